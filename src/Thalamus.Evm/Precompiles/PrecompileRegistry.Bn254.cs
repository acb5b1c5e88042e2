namespace Thalamus.Evm.Precompiles;

// 0x06 / 0x07 / 0x08: BN254 (alt_bn128) add, scalar multiply and pairing check (EIP-196/197),
// priced by EIP-1108.
public static partial class PrecompileRegistry
{
    public const long Bn254AddGas = 150;
    public const long Bn254MultiplyGas = 6000;
    public const long Bn254PairingBaseGas = 45000;
    public const long Bn254PairingPerPairGas = 34000;

    private const int Bn254AddInputLength = 128;
    private const int Bn254MultiplyInputLength = 96;
    private const int Bn254PairLength = 192;

    private static PrecompileResult Bn254Add(ReadOnlySpan<byte> input, long gasAvailable)
    {
        if (!CanPay(Bn254AddGas, gasAvailable))
            return PrecompileResult.Failure(gasAvailable);
        Span<byte> padded = stackalloc byte[Bn254AddInputLength];
        PadOrTruncate(input, padded);
        var output = new byte[64];
        return Crypto.Bn254.TryAdd(padded, output)
            ? new PrecompileResult(true, Bn254AddGas, output)
            : PrecompileResult.Failure(gasAvailable);
    }

    private static PrecompileResult Bn254Multiply(ReadOnlySpan<byte> input, long gasAvailable)
    {
        if (!CanPay(Bn254MultiplyGas, gasAvailable))
            return PrecompileResult.Failure(gasAvailable);
        Span<byte> padded = stackalloc byte[Bn254MultiplyInputLength];
        PadOrTruncate(input, padded);
        var output = new byte[64];
        return Crypto.Bn254.TryMultiply(padded, output)
            ? new PrecompileResult(true, Bn254MultiplyGas, output)
            : PrecompileResult.Failure(gasAvailable);
    }

    private static PrecompileResult Bn254Pairing(ReadOnlySpan<byte> input, long gasAvailable)
    {
        long gas = Bn254PairingBaseGas + Bn254PairingPerPairGas * (input.Length / Bn254PairLength);
        if (!CanPay(gas, gasAvailable) || input.Length % Bn254PairLength != 0)
            return PrecompileResult.Failure(gasAvailable);
        if (!Crypto.Bn254.TryPairingCheck(input, out bool isOne))
            return PrecompileResult.Failure(gasAvailable);
        var output = new byte[32];
        output[31] = isOne ? (byte)1 : (byte)0;
        return new PrecompileResult(true, gas, output);
    }

    /// <summary>Copies the input into a fixed-size buffer: zeros on the right if short, cut if long.</summary>
    private static void PadOrTruncate(ReadOnlySpan<byte> input, Span<byte> destination)
    {
        destination.Clear();
        input[..Math.Min(input.Length, destination.Length)].CopyTo(destination);
    }
}
