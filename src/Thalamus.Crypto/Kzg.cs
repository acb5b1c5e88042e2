namespace Thalamus.Crypto;

/// <summary>The EIP-4844 point evaluation check behind precompile 0x0a.</summary>
public static class Kzg
{
    public static bool TryVerifyPointEvaluation(ReadOnlySpan<byte> input192) =>
        throw new NotSupportedException("KZG point evaluation is not implemented");
}
