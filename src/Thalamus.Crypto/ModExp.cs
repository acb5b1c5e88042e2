using System.Numerics;
using Thalamus.Core;

namespace Thalamus.Crypto;

/// <summary>
/// EIP-198 big-integer modular exponentiation (precompile 0x05): input parsing with the EIP's
/// zero-padding rules and the arithmetic. Gas pricing (EIP-2565) lives with the precompile.
/// </summary>
/// <remarks>
/// Input: baseLength (32) || exponentLength (32) || modulusLength (32) || base || exponent || modulus,
/// every field read as if the input were followed by infinitely many zero bytes. The output is
/// exactly modulusLength bytes: empty for modulusLength 0, all zeros for a zero modulus.
/// </remarks>
public static class ModExp
{
    public const int HeaderLength = 96;

    /// <summary>Reads the three 32-byte length words (zero-padded if the input is short).</summary>
    public static void ReadHeader(ReadOnlySpan<byte> input, out UInt256 baseLength, out UInt256 exponentLength, out UInt256 modulusLength)
    {
        Span<byte> header = stackalloc byte[HeaderLength];
        CopyPadded(input, 0, header);
        baseLength = UInt256.FromBigEndian(header[..32]);
        exponentLength = UInt256.FromBigEndian(header.Slice(32, 32));
        modulusLength = UInt256.FromBigEndian(header.Slice(64, 32));
    }

    /// <summary>
    /// The exponent's leading min(32, exponentLength) bytes as a number: what EIP-2565 prices on.
    /// </summary>
    public static UInt256 ReadExponentHead(ReadOnlySpan<byte> input, in UInt256 baseLength, in UInt256 exponentLength)
    {
        if (exponentLength.IsZero)
            return UInt256.Zero;
        // Beyond the input everything reads as zero, so an offset past it gives a zero head.
        if (!baseLength.IsUInt64 || (ulong)baseLength >= (ulong)input.Length)
            return UInt256.Zero;
        int headLength = exponentLength.IsUInt64 && (ulong)exponentLength < 32 ? (int)(ulong)exponentLength : 32;
        Span<byte> head = stackalloc byte[32];
        CopyPadded(input, HeaderLength + (long)(ulong)baseLength, head[..headLength]);
        return UInt256.FromBigEndian(head[..headLength]);
    }

    /// <summary>
    /// Runs the EIP-198 function on a raw precompile input. Lengths must be materialisable
    /// (gas pricing guarantees that inside the EVM); a modulus length of 0 always gives an empty
    /// result without looking at the other fields.
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">A length too large to compute with.</exception>
    public static byte[] Run(ReadOnlySpan<byte> input)
    {
        ReadHeader(input, out UInt256 baseLength, out UInt256 exponentLength, out UInt256 modulusLength);
        if (modulusLength.IsZero)
            return [];

        int modLength = CheckLength(modulusLength, nameof(modulusLength));
        int baseLen = CheckLength(baseLength, nameof(baseLength));
        int expLength = CheckLength(exponentLength, nameof(exponentLength));

        long exponentStart = HeaderLength + (long)baseLen;
        long modulusStart = exponentStart + expLength;
        BigInteger baseValue = ReadNumber(input, HeaderLength, baseLen);
        BigInteger exponent = ReadNumber(input, exponentStart, expLength);
        BigInteger modulus = ReadNumber(input, modulusStart, modLength);

        var output = new byte[modLength];
        WriteResult(baseValue, exponent, modulus, output);
        return output;
    }

    /// <summary>
    /// base^exponent mod modulus over big-endian unsigned byte strings, written big-endian into
    /// <paramref name="output"/> (left-padded; its length is the result width, normally the
    /// modulus length). A zero modulus gives zero.
    /// </summary>
    public static void Compute(ReadOnlySpan<byte> baseValue, ReadOnlySpan<byte> exponent, ReadOnlySpan<byte> modulus, Span<byte> output) =>
        WriteResult(
            new BigInteger(baseValue, isUnsigned: true, isBigEndian: true),
            new BigInteger(exponent, isUnsigned: true, isBigEndian: true),
            new BigInteger(modulus, isUnsigned: true, isBigEndian: true),
            output);

    private static void WriteResult(BigInteger baseValue, BigInteger exponent, BigInteger modulus, Span<byte> output)
    {
        output.Clear();
        // x mod 1 and x mod 0 are both 0 here (EIP-198); handled explicitly so 0^0 mod 1 is 0, not 1.
        if (modulus <= BigInteger.One)
            return;
        BigInteger result = BigInteger.ModPow(baseValue, exponent, modulus);
        int length = result.GetByteCount(isUnsigned: true);
        if (length > output.Length)
            throw new ArgumentException("The output buffer is narrower than the modulus.", nameof(output));
        result.TryWriteBytes(output[(output.Length - length)..], out _, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>The field of <paramref name="length"/> bytes at <paramref name="offset"/>, zero-extended on the right past the input.</summary>
    private static BigInteger ReadNumber(ReadOnlySpan<byte> input, long offset, int length)
    {
        if (length == 0 || offset >= input.Length)
            return BigInteger.Zero;
        int available = (int)Math.Min(length, input.Length - offset);
        var value = new BigInteger(input.Slice((int)offset, available), isUnsigned: true, isBigEndian: true);
        int missing = length - available;
        // Missing trailing bytes are zeros: the number is shifted, not truncated.
        return missing == 0 || value.IsZero ? value : value << (8 * missing);
    }

    private static void CopyPadded(ReadOnlySpan<byte> input, long offset, Span<byte> destination)
    {
        destination.Clear();
        if (offset >= input.Length)
            return;
        int available = (int)Math.Min(destination.Length, input.Length - offset);
        input.Slice((int)offset, available).CopyTo(destination);
    }

    private static int CheckLength(in UInt256 length, string name)
    {
        // 8·length must also fit in an int: a shift count for zero-extension.
        if (!length.IsUInt64 || (ulong)length > int.MaxValue / 8)
            throw new ArgumentOutOfRangeException(name, length.ToString(), "The ModExp field length is too large to compute with.");
        return (int)(ulong)length;
    }
}
