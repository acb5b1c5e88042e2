namespace Thalamus.Evm.Precompiles;

// 0x02 SHA-256, 0x03 RIPEMD-160, 0x04 identity: priced per 32-byte word of input.
public static partial class PrecompileRegistry
{
    public const long Sha256BaseGas = 60;
    public const long Sha256WordGas = 12;
    public const long Ripemd160BaseGas = 600;
    public const long Ripemd160WordGas = 120;
    public const long IdentityBaseGas = 15;
    public const long IdentityWordGas = 3;

    private static PrecompileResult Sha256(ReadOnlySpan<byte> input, long gasAvailable)
    {
        long gas = WordPriced(input.Length, Sha256BaseGas, Sha256WordGas);
        if (!CanPay(gas, gasAvailable))
            return PrecompileResult.Failure(gasAvailable);
        var output = new byte[32];
        Crypto.Sha256.Compute(input, output);
        return new PrecompileResult(true, gas, output);
    }

    private static PrecompileResult Ripemd160(ReadOnlySpan<byte> input, long gasAvailable)
    {
        long gas = WordPriced(input.Length, Ripemd160BaseGas, Ripemd160WordGas);
        if (!CanPay(gas, gasAvailable))
            return PrecompileResult.Failure(gasAvailable);
        // The 20-byte digest is returned as a 32-byte word, left-padded with zeros.
        var output = new byte[32];
        Crypto.Ripemd160.Compute(input, output.AsSpan(12));
        return new PrecompileResult(true, gas, output);
    }

    private static PrecompileResult Identity(ReadOnlySpan<byte> input, long gasAvailable)
    {
        long gas = WordPriced(input.Length, IdentityBaseGas, IdentityWordGas);
        if (!CanPay(gas, gasAvailable))
            return PrecompileResult.Failure(gasAvailable);
        return new PrecompileResult(true, gas, input.ToArray());
    }
}
