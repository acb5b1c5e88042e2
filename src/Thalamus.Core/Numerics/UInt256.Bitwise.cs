using System.Numerics;
using System.Runtime.CompilerServices;

namespace Thalamus.Core;

public readonly partial struct UInt256
{
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void And(in UInt256 a, in UInt256 b, out UInt256 result) =>
        result = new UInt256(a.U0 & b.U0, a.U1 & b.U1, a.U2 & b.U2, a.U3 & b.U3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Or(in UInt256 a, in UInt256 b, out UInt256 result) =>
        result = new UInt256(a.U0 | b.U0, a.U1 | b.U1, a.U2 | b.U2, a.U3 | b.U3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Xor(in UInt256 a, in UInt256 b, out UInt256 result) =>
        result = new UInt256(a.U0 ^ b.U0, a.U1 ^ b.U1, a.U2 ^ b.U2, a.U3 ^ b.U3);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Not(in UInt256 a, out UInt256 result) =>
        result = new UInt256(~a.U0, ~a.U1, ~a.U2, ~a.U3);

    /// <summary>x &lt;&lt; shift (EVM SHL); any shift outside 0..255 (negative counts as huge) gives 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ShiftLeft(in UInt256 x, int shift, out UInt256 result)
    {
        if ((uint)shift >= 256)
        {
            result = default;
            return;
        }

        int bits = shift & 63;
        ulong a0 = x.U0, a1 = x.U1, a2 = x.U2, a3 = x.U3;
        ulong b0 = a0 << bits;
        ulong b1 = (a1 << bits) | SpillLeft(a0, bits);
        ulong b2 = (a2 << bits) | SpillLeft(a1, bits);
        ulong b3 = (a3 << bits) | SpillLeft(a2, bits);
        result = (shift >> 6) switch
        {
            0 => new UInt256(b0, b1, b2, b3),
            1 => new UInt256(0, b0, b1, b2),
            2 => new UInt256(0, 0, b0, b1),
            _ => new UInt256(0, 0, 0, b0),
        };
    }

    /// <summary>Logical x &gt;&gt; shift (EVM SHR); any shift outside 0..255 (negative counts as huge) gives 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ShiftRight(in UInt256 x, int shift, out UInt256 result)
    {
        if ((uint)shift >= 256)
        {
            result = default;
            return;
        }

        int bits = shift & 63;
        ulong a0 = x.U0, a1 = x.U1, a2 = x.U2, a3 = x.U3;
        ulong b0 = (a0 >> bits) | SpillRight(a1, bits);
        ulong b1 = (a1 >> bits) | SpillRight(a2, bits);
        ulong b2 = (a2 >> bits) | SpillRight(a3, bits);
        ulong b3 = a3 >> bits;
        result = (shift >> 6) switch
        {
            0 => new UInt256(b0, b1, b2, b3),
            1 => new UInt256(b1, b2, b3, 0),
            2 => new UInt256(b2, b3, 0, 0),
            _ => new UInt256(b3, 0, 0, 0),
        };
    }

    /// <summary>
    /// Arithmetic (sign-filling) x &gt;&gt; shift (EVM SAR); shifts outside 0..255 give 0 for a
    /// non-negative x and all ones for a negative one.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void ArithmeticShiftRight(in UInt256 x, int shift, out UInt256 result)
    {
        if (!x.IsNegative)
        {
            ShiftRight(in x, shift, out result);
            return;
        }

        // For negative x, sar(x) = ~shr(~x): the complement is non-negative and its zero fill becomes the one fill.
        Not(in x, out UInt256 complement);
        ShiftRight(in complement, shift, out UInt256 shifted);
        Not(in shifted, out result);
    }

    /// <summary>The index-th byte of x counting from the most significant (EVM BYTE); index ≥ 32 gives 0.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Byte(in UInt256 index, in UInt256 x, out UInt256 result)
    {
        if (!index.IsUInt64 || index.U0 >= 32)
        {
            result = default;
            return;
        }

        int i = (int)index.U0;
        ulong limb = GetLimb(in x, 3 - (i >> 3));
        result = new UInt256((limb >> ((7 - (i & 7)) << 3)) & 0xFF);
    }

    /// <summary>
    /// Sign-extends x from the byte at <paramref name="byteIndex"/> (0 = least significant) upwards
    /// (EVM SIGNEXTEND); byteIndex ≥ 31 returns x unchanged.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SignExtend(in UInt256 byteIndex, in UInt256 x, out UInt256 result)
    {
        if (!byteIndex.IsUInt64 || byteIndex.U0 >= 31)
        {
            result = x;
            return;
        }

        int signBit = ((int)byteIndex.U0 << 3) + 7;
        int limbIndex = signBit >> 6;
        int bit = signBit & 63;
        ulong limb = GetLimb(in x, limbIndex);
        bool negative = ((limb >> bit) & 1) != 0;
        ulong above = (ulong.MaxValue << bit) << 1; // bits strictly above the sign bit within its limb
        ulong fill = negative ? ulong.MaxValue : 0;
        limb = negative ? limb | above : limb & ~above;

        ulong r0 = x.U0, r1 = x.U1, r2 = x.U2, r3 = x.U3;
        switch (limbIndex)
        {
            case 0:
                r0 = limb; r1 = fill; r2 = fill; r3 = fill;
                break;
            case 1:
                r1 = limb; r2 = fill; r3 = fill;
                break;
            case 2:
                r2 = limb; r3 = fill;
                break;
            default:
                r3 = limb;
                break;
        }
        result = new UInt256(r0, r1, r2, r3);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong GetLimb(in UInt256 x, int index) => Unsafe.Add(ref Unsafe.AsRef(in x.U0), index);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static bool TestBit(in UInt256 x, int bit) => ((GetLimb(in x, bit >> 6) >> (bit & 63)) & 1) != 0;

    internal static int PopCount(in UInt256 x) =>
        BitOperations.PopCount(x.U0) + BitOperations.PopCount(x.U1) + BitOperations.PopCount(x.U2) + BitOperations.PopCount(x.U3);

    /// <summary>Number of trailing zero bits (256 for zero).</summary>
    internal static int TrailingZeroCount(in UInt256 x) =>
        x.U0 != 0 ? BitOperations.TrailingZeroCount(x.U0)
        : x.U1 != 0 ? 64 + BitOperations.TrailingZeroCount(x.U1)
        : x.U2 != 0 ? 128 + BitOperations.TrailingZeroCount(x.U2)
        : x.U3 != 0 ? 192 + BitOperations.TrailingZeroCount(x.U3)
        : 256;

    public static UInt256 operator &(in UInt256 a, in UInt256 b)
    {
        And(in a, in b, out UInt256 r);
        return r;
    }

    public static UInt256 operator |(in UInt256 a, in UInt256 b)
    {
        Or(in a, in b, out UInt256 r);
        return r;
    }

    public static UInt256 operator ^(in UInt256 a, in UInt256 b)
    {
        Xor(in a, in b, out UInt256 r);
        return r;
    }

    public static UInt256 operator ~(in UInt256 a)
    {
        Not(in a, out UInt256 r);
        return r;
    }

    /// <summary>x &lt;&lt; shift with EVM semantics: shifts outside 0..255 give 0 (no masking of the count as for built-in integers).</summary>
    public static UInt256 operator <<(in UInt256 x, int shift)
    {
        ShiftLeft(in x, shift, out UInt256 r);
        return r;
    }

    /// <summary>Logical x &gt;&gt; shift with EVM semantics: shifts outside 0..255 give 0.</summary>
    public static UInt256 operator >>(in UInt256 x, int shift)
    {
        ShiftRight(in x, shift, out UInt256 r);
        return r;
    }
}
