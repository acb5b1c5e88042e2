using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>EIP-4844 blob gas accounting for headers (Cancun parameters).</summary>
public static class BlobGas
{
    /// <summary>GAS_PER_BLOB: 2^17.</summary>
    public const ulong GasPerBlob = 1 << 17;
    /// <summary>TARGET_BLOB_GAS_PER_BLOCK: three blobs.</summary>
    public const ulong TargetPerBlock = 3 * GasPerBlob;
    /// <summary>MAX_BLOB_GAS_PER_BLOCK: six blobs.</summary>
    public const ulong MaxPerBlock = 6 * GasPerBlob;
    public const ulong MinBaseFee = 1;
    public const ulong BaseFeeUpdateFraction = 3_338_477;

    /// <summary><c>calc_excess_blob_gas(parent)</c>: what the child header carries.</summary>
    public static ulong NextExcessBlobGas(ulong parentExcessBlobGas, ulong parentBlobGasUsed)
    {
        var total = parentExcessBlobGas + parentBlobGasUsed;
        return total < TargetPerBlock ? 0 : total - TargetPerBlock;
    }

    /// <summary><c>get_base_fee_per_blob_gas</c> = fake_exponential(1, excess, 3338477).</summary>
    public static UInt256 BaseFee(ulong excessBlobGas) => FakeExponential(MinBaseFee, excessBlobGas, BaseFeeUpdateFraction);

    /// <summary>The integer Taylor approximation of factor * e^(numerator / denominator) the EIP specifies.</summary>
    public static UInt256 FakeExponential(ulong factor, ulong numerator, ulong denominator)
    {
        var i = System.Numerics.BigInteger.One;
        var output = System.Numerics.BigInteger.Zero;
        var n = (System.Numerics.BigInteger)numerator;
        var d = (System.Numerics.BigInteger)denominator;
        var accumulator = factor * d;
        while (accumulator > 0)
        {
            output += accumulator;
            accumulator = accumulator * n / (d * i);
            i++;
        }
        return UInt256.FromBigInteger(output / d);
    }
}
