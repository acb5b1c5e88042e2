namespace Thalamus.Evm.Precompiles;

// 0x09 BLAKE2 F (EIP-152): one gas per round; the input must be exactly 213 bytes.
public static partial class PrecompileRegistry
{
    public const long Blake2FRoundGas = 1;

    private static PrecompileResult Blake2F(ReadOnlySpan<byte> input, long gasAvailable)
    {
        if (Crypto.Blake2F.ReadRounds(input) is not uint rounds)
            return PrecompileResult.Failure(gasAvailable);
        long gas = rounds * Blake2FRoundGas;
        if (!CanPay(gas, gasAvailable))
            return PrecompileResult.Failure(gasAvailable);
        var output = new byte[Crypto.Blake2F.OutputLength];
        return Crypto.Blake2F.TryCompress(input, output)
            ? new PrecompileResult(true, gas, output)
            : PrecompileResult.Failure(gasAvailable);
    }
}
