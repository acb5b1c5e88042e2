using System.Buffers.Binary;

namespace Thalamus.Crypto;

/// <summary>BN254 scalars: the group order r and big-endian scalar parsing.</summary>
internal static class Bn254Scalar
{
    /// <summary>r = 0x30644e72e131a029b85045b68181585d2833e84879b9709143e1f593f0000001, little-endian limbs.</summary>
    public static ReadOnlySpan<ulong> Order => [0x43e1f593f0000001UL, 0x2833e84879b97091UL, 0xb85045b68181585dUL, 0x30644e72e131a029UL];

    /// <summary>Reads a 32-byte big-endian integer (any value below 2^256) into four little-endian limbs.</summary>
    public static void ReadBigEndian(ReadOnlySpan<byte> bytes32, Span<ulong> limbs)
    {
        for (int i = 0; i < 4; i++)
            limbs[i] = BinaryPrimitives.ReadUInt64BigEndian(bytes32.Slice(24 - 8 * i, 8));
    }
}
