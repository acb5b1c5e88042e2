namespace Thalamus.Crypto;

/// <summary>
/// The ZCash compressed encodings of BLS12-381 points (as used by EIP-4844 and the consensus specs):
/// big-endian x with three flag bits in the first byte — 0x80 compressed, 0x40 point at infinity,
/// 0x20 "y is the lexicographically larger root". G2 encodes x as its u coefficient then its real part.
/// Decoding checks that x is canonical, the point is on the curve and in the order-r subgroup.
/// </summary>
internal static class Bls12381Encoding
{
    public const int G1CompressedSize = 48;
    public const int G2CompressedSize = 96;

    private const byte CompressionFlag = 0x80;
    private const byte InfinityFlag = 0x40;
    private const byte SignFlag = 0x20;

    public static bool TryDecompressG1(ReadOnlySpan<byte> encoded, out Bls12381G1 point)
    {
        point = default;
        if (encoded.Length != G1CompressedSize || !TryReadFlags(encoded, out bool infinity, out bool largest))
            return false;
        if (infinity)
        {
            point = Bls12381G1.Infinity;
            return true;
        }
        if (!TryReadX(encoded, out var x))
            return false;
        if (!(x.Square() * x + Bls12381G1.B).TrySqrt(out var y))
            return false;
        if (y.IsLexicographicallyLargest() != largest)
            y = -y;
        point = Bls12381G1.FromAffine(x, y);
        return point.IsInSubgroup();
    }

    public static bool TryDecompressG2(ReadOnlySpan<byte> encoded, out Bls12381G2 point)
    {
        point = default;
        if (encoded.Length != G2CompressedSize || !TryReadFlags(encoded, out bool infinity, out bool largest))
            return false;
        if (infinity)
        {
            point = Bls12381G2.Infinity;
            return true;
        }
        if (!TryReadX(encoded.Slice(0, 48), out var xU) || !Bls12381Fp.TryFromBigEndian(encoded.Slice(48, 48), out var xReal))
            return false;
        var x = new Bls12381Fp2(xReal, xU);
        if (!(x.Square() * x + Bls12381G2.B).TrySqrt(out var y))
            return false;
        if (y.IsLexicographicallyLargest() != largest)
            y = -y;
        point = Bls12381G2.FromAffine(x, y);
        return point.IsInSubgroup();
    }

    /// <summary>Validates the flag bits; the point at infinity must be exactly 0xc0 followed by zeros.</summary>
    private static bool TryReadFlags(ReadOnlySpan<byte> encoded, out bool infinity, out bool largest)
    {
        byte first = encoded[0];
        infinity = (first & InfinityFlag) != 0;
        largest = (first & SignFlag) != 0;
        if ((first & CompressionFlag) == 0)
            return false;
        if (infinity)
            return !largest && (first & 0x1f) == 0 && !encoded.Slice(1).ContainsAnyExcept((byte)0);
        return true;
    }

    /// <summary>The 381-bit x below the flag bits; false when it is not below p.</summary>
    private static bool TryReadX(ReadOnlySpan<byte> encoded48, out Bls12381Fp x)
    {
        Span<byte> bytes = stackalloc byte[48];
        encoded48.CopyTo(bytes);
        bytes[0] &= 0x1f;
        return Bls12381Fp.TryFromBigEndian(bytes, out x);
    }
}
