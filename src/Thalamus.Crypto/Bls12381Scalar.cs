using System.Buffers.Binary;
using System.Numerics;

namespace Thalamus.Crypto;

/// <summary>BLS12-381 scalars: the group order r (the KZG "BLS_MODULUS") and big-endian parsing.</summary>
internal static class Bls12381Scalar
{
    /// <summary>r = 0x73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001, little-endian limbs.</summary>
    public static ReadOnlySpan<ulong> Order => [0xffffffff00000001UL, 0x53bda402fffe5bfeUL, 0x3339d80809a1d805UL, 0x73eda753299d7d48UL];

    public static readonly BigInteger Modulus = new(Convert.FromHexString("73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001"), isUnsigned: true, isBigEndian: true);

    /// <summary>Reads a 32-byte big-endian integer into four little-endian limbs; false when it is not below r.</summary>
    public static bool TryReadCanonical(ReadOnlySpan<byte> bytes32, Span<ulong> limbs)
    {
        for (int i = 0; i < 4; i++)
            limbs[i] = BinaryPrimitives.ReadUInt64BigEndian(bytes32.Slice(24 - 8 * i, 8));
        ReadOnlySpan<ulong> r = Order;
        for (int i = 3; i >= 0; i--)
        {
            if (limbs[i] != r[i])
                return limbs[i] < r[i];
        }
        return false; // equal to r
    }
}
