using Thalamus.Core;

namespace Thalamus.Evm.Precompiles;

/// <summary>
/// The Cancun precompiled contracts, 0x01–0x0a: their gas prices and their results.
/// </summary>
/// <remarks>
/// Each precompile prices its input first and only computes when the call can pay, so an
/// underfunded call never does the (possibly expensive) work. Failure, whether out of gas or
/// invalid input, consumes all the gas the call was given.
/// </remarks>
public static partial class PrecompileRegistry
{
    public const byte EcRecoverAddress = 0x01;
    public const byte Sha256Address = 0x02;
    public const byte Ripemd160Address = 0x03;
    public const byte IdentityAddress = 0x04;
    public const byte ModExpAddress = 0x05;
    public const byte Bn254AddAddress = 0x06;
    public const byte Bn254MultiplyAddress = 0x07;
    public const byte Bn254PairingAddress = 0x08;
    public const byte Blake2FAddress = 0x09;
    public const byte PointEvaluationAddress = 0x0a;

    /// <summary>The highest precompile address in Cancun.</summary>
    public const byte LastAddress = PointEvaluationAddress;

    /// <summary>True for 0x00…01 through 0x00…0a.</summary>
    public static bool IsPrecompile(in Address address)
    {
        ReadOnlySpan<byte> bytes = address.Bytes;
        byte last = bytes[Address.Length - 1];
        return last is >= EcRecoverAddress and <= LastAddress && bytes[..(Address.Length - 1)].IndexOfAnyExcept((byte)0) < 0;
    }

    /// <summary>
    /// Runs the precompile at <paramref name="address"/> on <paramref name="input"/> with
    /// <paramref name="gasAvailable"/> gas. Throws <see cref="ArgumentException"/> if the address
    /// is not a precompile (callers check <see cref="IsPrecompile"/>).
    /// </summary>
    public static PrecompileResult Run(in Address address, ReadOnlySpan<byte> input, long gasAvailable)
    {
        if (!IsPrecompile(address))
            throw new ArgumentException($"{address} is not a precompiled contract.", nameof(address));

        return address.Bytes[Address.Length - 1] switch
        {
            EcRecoverAddress => EcRecover(input, gasAvailable),
            Sha256Address => Sha256(input, gasAvailable),
            Ripemd160Address => Ripemd160(input, gasAvailable),
            IdentityAddress => Identity(input, gasAvailable),
            ModExpAddress => ModExp(input, gasAvailable),
            Bn254AddAddress => Bn254Add(input, gasAvailable),
            Bn254MultiplyAddress => Bn254Multiply(input, gasAvailable),
            Bn254PairingAddress => Bn254Pairing(input, gasAvailable),
            Blake2FAddress => Blake2F(input, gasAvailable),
            _ => PointEvaluation(input, gasAvailable),
        };
    }

    /// <summary>The function of precompile <paramref name="number"/> (0x01–0x0a), so a caller that found it once calls it directly.</summary>
    internal static unsafe delegate*<ReadOnlySpan<byte>, long, PrecompileResult> FunctionOf(byte number) => number switch
    {
        EcRecoverAddress => &EcRecover,
        Sha256Address => &Sha256,
        Ripemd160Address => &Ripemd160,
        IdentityAddress => &Identity,
        ModExpAddress => &ModExp,
        Bn254AddAddress => &Bn254Add,
        Bn254MultiplyAddress => &Bn254Multiply,
        Bn254PairingAddress => &Bn254Pairing,
        Blake2FAddress => &Blake2F,
        PointEvaluationAddress => &PointEvaluation,
        _ => throw new ArgumentOutOfRangeException(nameof(number), number, "not a Cancun precompile"),
    };

    /// <summary>Gas for the word-priced precompiles: base + perWord · ceil(length / 32).</summary>
    private static long WordPriced(int inputLength, long baseCost, long perWord) =>
        baseCost + perWord * (((long)inputLength + 31) / 32);

    /// <summary>Success with <paramref name="gasCost"/> charged, or failure if the call cannot pay it.</summary>
    private static bool CanPay(long gasCost, long gasAvailable) => gasCost <= gasAvailable;
}
