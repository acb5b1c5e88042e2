using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics.X86;
using System.Runtime.InteropServices;

namespace Thalamus.Core;

public readonly partial struct UInt256
{
    // Carry and borrow are computed branch-free from the operand bits (as in Hacker's Delight 2-16),
    // which the JIT turns into a short dependency chain instead of unpredictable branches.

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong AddCarry(ulong x, ulong y, ulong carryIn, out ulong carryOut)
    {
        ulong sum = x + y + carryIn;
        carryOut = ((x & y) | ((x | y) & ~sum)) >> 63;
        return sum;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong SubBorrow(ulong x, ulong y, ulong borrowIn, out ulong borrowOut)
    {
        ulong diff = x - y - borrowIn;
        borrowOut = ((~x & y) | (~(x ^ y) & diff)) >> 63;
        return diff;
    }

    /// <summary>
    /// The high limb of x * y. Math.BigMul's low limb goes out through memory (the intrinsic takes
    /// its address), which in long unrolled chains (the 4-by-4 product, Barrett) kept every product
    /// on the stack; the low limb is a plain multiplication instead, and both stay in registers.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong MulHigh(ulong x, ulong y) => Bmi2.X64.IsSupported ? Bmi2.X64.MultiplyNoFlags(x, y) : Math.BigMul(x, y, out _);

    /// <summary>x*y + z as a 128-bit value; returns the high limb. Cannot overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong MulAdd(ulong x, ulong y, ulong z, out ulong low)
    {
        ulong lo = x * y + z;
        low = lo;
        return MulHigh(x, y) + (lo < z ? 1UL : 0UL);
    }

    /// <summary>x*y + z + c as a 128-bit value; returns the high limb. Cannot overflow.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong MulAdd(ulong x, ulong y, ulong z, ulong c, out ulong low)
    {
        ulong lo = x * y;
        ulong high = MulHigh(x, y);
        lo += z;
        high += lo < z ? 1UL : 0UL;
        lo += c;
        high += lo < c ? 1UL : 0UL;
        low = lo;
        return high;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Add(in UInt256 a, in UInt256 b, out UInt256 result) => AddOverflow(in a, in b, out result);

    /// <summary>a + b mod 2^256; returns true when the true sum does not fit.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool AddOverflow(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        ulong r0 = AddCarry(a.U0, b.U0, 0, out ulong c);
        ulong r1 = AddCarry(a.U1, b.U1, c, out c);
        ulong r2 = AddCarry(a.U2, b.U2, c, out c);
        ulong r3 = AddCarry(a.U3, b.U3, c, out c);
        result = new UInt256(r0, r1, r2, r3);
        return c != 0;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Subtract(in UInt256 a, in UInt256 b, out UInt256 result) => SubtractUnderflow(in a, in b, out result);

    /// <summary>a - b mod 2^256; returns true when b &gt; a.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static bool SubtractUnderflow(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        ulong r0 = SubBorrow(a.U0, b.U0, 0, out ulong c);
        ulong r1 = SubBorrow(a.U1, b.U1, c, out c);
        ulong r2 = SubBorrow(a.U2, b.U2, c, out c);
        ulong r3 = SubBorrow(a.U3, b.U3, c, out c);
        result = new UInt256(r0, r1, r2, r3);
        return c != 0;
    }

    /// <summary>Two's complement negation (0 - a).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static void Negate(in UInt256 a, out UInt256 result) => SubtractUnderflow(in Zero, in a, out result);

    /// <summary>a * b mod 2^256.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Multiply(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        // Only the partial products that land below 2^256 are needed (MulLow256).
        MulLow256(a.U0, a.U1, a.U2, a.U3, b.U0, b.U1, b.U2, b.U3, out ulong r0, out ulong r1, out ulong r2, out ulong r3);
        result = new UInt256(r0, r1, r2, r3);
    }

    /// <summary>a * a mod 2^256, cheaper than <see cref="Multiply"/> because each cross product is computed once and doubled.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Square(in UInt256 a, out UInt256 result)
    {
        ulong a0 = a.U0, a1 = a.U1, a2 = a.U2, a3 = a.U3;

        // Cross terms a0a1, a0a2, a0a3 + a1a2 (the last only below 2^256), then doubled.
        ulong c = Math.BigMul(a0, a1, out ulong x1);
        c = MulAdd(a0, a2, c, out ulong x2);
        ulong x3 = c + a0 * a3 + a1 * a2;
        x3 = (x3 << 1) | (x2 >> 63);
        x2 = (x2 << 1) | (x1 >> 63);
        x1 <<= 1;

        // Plus the squares on the diagonal, a0^2 and a1^2 (a2^2 and a3^2 lie above 2^256).
        ulong d1 = Math.BigMul(a0, a0, out ulong r0);
        ulong d3 = Math.BigMul(a1, a1, out ulong d2);
        ulong r1 = AddCarry(x1, d1, 0, out c);
        ulong r2 = AddCarry(x2, d2, c, out c);
        ulong r3 = x3 + d3 + c;
        result = new UInt256(r0, r1, r2, r3);
    }

    /// <summary>a * b mod 2^256; returns true when the true product does not fit.</summary>
    public static bool MultiplyOverflow(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        Multiply512(in a, in b, out UInt256 low, out UInt256 high);
        result = low;
        return !high.IsZero;
    }

    /// <summary>The full 512-bit product a * b as (low, high) halves.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Multiply512(in UInt256 a, in UInt256 b, out UInt256 low, out UInt256 high)
    {
        ulong a0 = a.U0, a1 = a.U1, a2 = a.U2, a3 = a.U3;
        ulong b0 = b.U0, b1 = b.U1, b2 = b.U2, b3 = b.U3;

        // Schoolbook, one row per limb of a.
        ulong c = Math.BigMul(a0, b0, out ulong p0);
        c = MulAdd(a0, b1, c, out ulong p1);
        c = MulAdd(a0, b2, c, out ulong p2);
        ulong p4 = MulAdd(a0, b3, c, out ulong p3);

        c = MulAdd(a1, b0, p1, out p1);
        c = MulAdd(a1, b1, p2, c, out p2);
        c = MulAdd(a1, b2, p3, c, out p3);
        ulong p5 = MulAdd(a1, b3, p4, c, out p4);

        c = MulAdd(a2, b0, p2, out p2);
        c = MulAdd(a2, b1, p3, c, out p3);
        c = MulAdd(a2, b2, p4, c, out p4);
        ulong p6 = MulAdd(a2, b3, p5, c, out p5);

        c = MulAdd(a3, b0, p3, out p3);
        c = MulAdd(a3, b1, p4, c, out p4);
        c = MulAdd(a3, b2, p5, c, out p5);
        ulong p7 = MulAdd(a3, b3, p6, c, out p6);

        low = new UInt256(p0, p1, p2, p3);
        high = new UInt256(p4, p5, p6, p7);
    }

    /// <summary>(a + b) mod m without wrapping the sum (EVM ADDMOD); m = 0 gives 0.</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddMod(in UInt256 a, in UInt256 b, in UInt256 m, out UInt256 result)
    {
        if (m.IsZero)
        {
            result = default;
            return;
        }

        if (LessThan(in a, in m) && LessThan(in b, in m))
        {
            // Common case (reduced operands): the sum is below 2m, so one conditional subtraction reduces it.
            bool carry = AddOverflow(in a, in b, out UInt256 sum);
            if (carry || !LessThan(in sum, in m))
            {
                SubtractUnderflow(in sum, in m, out sum);
            }
            result = sum;
            return;
        }

        bool overflow = AddOverflow(in a, in b, out UInt256 s);
        if (!overflow)
        {
            Mod(in s, in m, out result);
            return;
        }

        // The sum carried out of 256 bits: reduce the 257-bit value (1 : s).
        Unsafe.SkipInit(out LimbBuffer numerator);
        numerator[0] = s.U0;
        numerator[1] = s.U1;
        numerator[2] = s.U2;
        numerator[3] = s.U3;
        numerator[4] = 1;
        Unsafe.SkipInit(out LimbBuffer quotient);
        DivRemCore(ref numerator[0], 5, in m, ref quotient[0], out result);
    }

    /// <summary>
    /// (a * b) mod m over the full 512-bit product (EVM MULMOD); m = 0 gives 0. A repeated full-width
    /// modulus is remembered per thread; a caller that can keep a <see cref="ModulusCache"/> of its
    /// own (the EVM keeps one per instance) passes it to the other overload and skips the lookup.
    /// </summary>
    public static void MulMod(in UInt256 a, in UInt256 b, in UInt256 m, out UInt256 result) =>
        MulMod(in a, in b, in m, ref t_modulusCache, out result);

    [ThreadStatic]
    private static ModulusCache t_modulusCache;

    /// <summary>
    /// MULMOD by division only: every case but a repeated full-width modulus goes this way, and it is
    /// the peer of the MULMOD benchmark and of the property tests.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void MulModByDivision(in UInt256 a, in UInt256 b, in UInt256 m, out UInt256 result)
    {
        if (m.IsZero)
        {
            result = default;
            return;
        }

        if (m.IsUInt64)
        {
            // Small modulus: reduce the operands first, then one 128-by-64 division.
            ulong d = m.U0;
            ulong x = a.IsUInt64 ? a.U0 % d : DivRemBy64(in a, d, out _);
            ulong y = b.IsUInt64 ? b.U0 % d : DivRemBy64(in b, d, out _);
            ulong high64 = Math.BigMul(x, y, out ulong low64);
            result = new UInt256(Mod128By64(high64, low64, d));
            return;
        }

        Unsafe.SkipInit(out Product512 product);
        Multiply512(in a, in b, out product.Low, out product.High);
        if (product.High.IsZero)
        {
            Mod(in product.Low, in m, out result);
            return;
        }

        if (m.U3 != 0)
        {
            // Full-width modulus: a dedicated 512-by-256 division.
            Mod512By256(in product, in m, out result);
            return;
        }

        Unsafe.SkipInit(out LimbBuffer quotient);
        DivRemCore(ref Unsafe.As<Product512, ulong>(ref product), 8, in m, ref quotient[0], out result);
    }

    /// <summary>
    /// (a * b) mod m by Barrett reduction with a given constant (<see cref="BarrettConstant"/>); m must
    /// have a non-zero top limb. MULMOD's repeated-modulus path before <see cref="MulModByReciprocal"/>,
    /// kept as the MULMOD benchmark's peer.
    /// </summary>
    [SkipLocalsInit]
    internal static void MulModBarrett(in UInt256 a, in UInt256 b, in UInt256 m, ulong mu0, ulong mu1, ulong mu2, ulong mu3, ulong mu4, out UInt256 result)
    {
        Unsafe.SkipInit(out Product512 product);
        Multiply512(in a, in b, out product.Low, out product.High);
        Mod512By256Barrett(in product, in m, mu0, mu1, mu2, mu3, mu4, out result);
    }

    /// <summary>A 512-bit product as two adjacent halves, so its eight limbs can be walked as one array.</summary>
    [StructLayout(LayoutKind.Sequential)]
    internal struct Product512
    {
        public UInt256 Low;
        public UInt256 High;
    }

    /// <summary>b^e mod 2^256 (EVM EXP), by square-and-multiply over the bits of e.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Exp(in UInt256 b, in UInt256 e, out UInt256 result)
    {
        if (e.IsZero)
        {
            result = One;
            return;
        }

        if (b.IsUInt64 && b.U0 <= 1)
        {
            result = b; // 0^e = 0 and 1^e = 1 for e > 0.
            return;
        }

        if (PopCount(in b) == 1)
        {
            // Power of two base: (2^k)^e = 2^(k*e), a single shift, and 0 once k*e reaches 256 (k ≥ 1).
            if (!e.IsUInt64 || e.U0 >= 256)
            {
                result = default;
                return;
            }
            ulong shift = (ulong)TrailingZeroCount(in b) * e.U0;
            result = shift < 256 ? One << (int)shift : default;
            return;
        }

        int exponentBits = e.BitLength;
        UInt256 baseValue = b;
        UInt256 acc = One;
        for (int i = 0; i < exponentBits; i++)
        {
            if (TestBit(in e, i))
            {
                Multiply(in acc, in baseValue, out acc);
            }
            if (i + 1 < exponentBits)
            {
                Square(in baseValue, out baseValue);
            }
        }
        result = acc;
    }

    public static UInt256 operator +(in UInt256 a, in UInt256 b)
    {
        Add(in a, in b, out UInt256 r);
        return r;
    }

    public static UInt256 operator -(in UInt256 a, in UInt256 b)
    {
        Subtract(in a, in b, out UInt256 r);
        return r;
    }

    public static UInt256 operator *(in UInt256 a, in UInt256 b)
    {
        Multiply(in a, in b, out UInt256 r);
        return r;
    }
}
