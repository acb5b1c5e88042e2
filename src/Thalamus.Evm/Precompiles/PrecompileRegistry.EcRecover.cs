using Thalamus.Core;
using Thalamus.Crypto;

namespace Thalamus.Evm.Precompiles;

// 0x01 ecrecover: hash (32) || v (32) || r (32) || s (32), zero-padded to 128 bytes.
public static partial class PrecompileRegistry
{
    public const long EcRecoverGas = 3000;

    private static PrecompileResult EcRecover(ReadOnlySpan<byte> input, long gasAvailable)
    {
        if (!CanPay(EcRecoverGas, gasAvailable))
            return PrecompileResult.Failure(gasAvailable);

        Span<byte> padded = stackalloc byte[128];
        padded.Clear();
        input[..Math.Min(input.Length, 128)].CopyTo(padded);

        // A bad signature is not a failed call: it succeeds, charges the gas and returns nothing.
        ReadOnlySpan<byte> v = padded.Slice(32, 32);
        if (v[..31].IndexOfAnyExcept((byte)0) >= 0 || v[31] is not (27 or 28))
            return new PrecompileResult(true, EcRecoverGas, []);
        if (!Secp256k1.TryRecoverAddress(padded[..32], padded.Slice(64, 32), padded.Slice(96, 32), v[31] - 27, out Address signer))
            return new PrecompileResult(true, EcRecoverGas, []);

        var output = new byte[32];
        signer.CopyTo(output.AsSpan(12));
        return new PrecompileResult(true, EcRecoverGas, output);
    }
}
