using Thalamus.Core;

namespace Thalamus.Crypto;

/// <summary>SHA-256 over spans (the platform's implementation; no allocation for the span form).</summary>
public static class Sha256
{
    public const int HashLength = 32;

    public static Hash256 Compute(ReadOnlySpan<byte> input)
    {
        Span<byte> hash = stackalloc byte[HashLength];
        System.Security.Cryptography.SHA256.HashData(input, hash);
        return new Hash256(hash);
    }

    public static void Compute(ReadOnlySpan<byte> input, Span<byte> output32)
    {
        if (output32.Length < HashLength)
            throw new ArgumentException($"The output buffer must hold {HashLength} bytes.", nameof(output32));
        System.Security.Cryptography.SHA256.HashData(input, output32);
    }
}
