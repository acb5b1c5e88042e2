using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics.X86;

namespace Thalamus.Core;

public readonly partial struct UInt256
{
    // Division is Knuth's algorithm D (TAOCP 4.3.1) on 64-bit digits. Each quotient digit comes
    // from multiplying by a precomputed reciprocal of the normalized divisor's top limbs instead of
    // dividing (Möller and Granlund, "Improved division by invariant integers", 2011): 2-by-1 for
    // one-limb divisors, 3-by-2 otherwise, which makes the digit estimate at most one too large.

    /// <summary>a / b, 0 when b is 0 (EVM DIV).</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Divide(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        if (b.IsUInt64)
        {
            ulong d = b.U0;
            if (d == 0)
            {
                result = default;
                return;
            }
            if (a.IsUInt64)
            {
                result = new UInt256(a.U0 / d);
                return;
            }
            if ((d & (d - 1)) == 0)
            {
                // Dividing by 2^k is a shift (compiled code extracts bit fields with DIV: sha1_divs).
                ShiftRight(in a, BitOperations.TrailingZeroCount(d), out result);
                return;
            }
            DivRemBy64(in a, d, out result);
            return;
        }

        if (LessThan(in a, in b))
        {
            result = default;
            return;
        }

        if (PopCount(in b) == 1)
        {
            ShiftRight(in a, TrailingZeroCount(in b), out result);
            return;
        }

        Unsafe.SkipInit(out UInt256 quotient);
        DivRemCore(ref Unsafe.AsRef(in a.U0), 4, in b, ref Unsafe.As<UInt256, ulong>(ref quotient), out _);
        result = quotient;
    }

    /// <summary>a mod b, 0 when b is 0 (EVM MOD).</summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void Mod(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        if (b.IsUInt64)
        {
            ulong d = b.U0;
            if (d == 0)
            {
                result = default;
                return;
            }
            if (a.IsUInt64)
            {
                result = new UInt256(a.U0 % d);
                return;
            }
            result = new UInt256(DivRemBy64(in a, d, out _));
            return;
        }

        if (LessThan(in a, in b))
        {
            result = a;
            return;
        }

        Unsafe.SkipInit(out UInt256 quotient);
        DivRemCore(ref Unsafe.AsRef(in a.U0), 4, in b, ref Unsafe.As<UInt256, ulong>(ref quotient), out result);
    }

    /// <summary>Quotient and remainder in one pass; both 0 when b is 0.</summary>
    [SkipLocalsInit]
    public static void DivRem(in UInt256 a, in UInt256 b, out UInt256 quotient, out UInt256 remainder)
    {
        if (b.IsZero)
        {
            quotient = default;
            remainder = default;
            return;
        }
        if (LessThan(in a, in b))
        {
            remainder = a;
            quotient = default;
            return;
        }
        if (b.IsUInt64)
        {
            ulong r = DivRemBy64(in a, b.U0, out quotient);
            remainder = new UInt256(r);
            return;
        }
        Unsafe.SkipInit(out UInt256 q);
        DivRemCore(ref Unsafe.AsRef(in a.U0), 4, in b, ref Unsafe.As<UInt256, ulong>(ref q), out remainder);
        quotient = q;
    }

    /// <summary>Signed a / b truncated toward zero, 0 when b is 0 (EVM SDIV; -2^255 / -1 = -2^255).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SignedDivide(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        bool aNegative = a.IsNegative, bNegative = b.IsNegative;
        UInt256 x = a, y = b;
        if (aNegative) Negate(in x, out x);
        if (bNegative) Negate(in y, out y);
        Divide(in x, in y, out UInt256 q);
        if (aNegative != bNegative) Negate(in q, out q);
        result = q;
    }

    /// <summary>Signed a mod b with the sign of a, 0 when b is 0 (EVM SMOD).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void SignedMod(in UInt256 a, in UInt256 b, out UInt256 result)
    {
        bool aNegative = a.IsNegative;
        UInt256 x = a, y = b;
        if (aNegative) Negate(in x, out x);
        if (b.IsNegative) Negate(in y, out y);
        Mod(in x, in y, out UInt256 r);
        if (aNegative) Negate(in r, out r);
        result = r;
    }

    public static UInt256 operator /(in UInt256 a, in UInt256 b)
    {
        Divide(in a, in b, out UInt256 r);
        return r;
    }

    public static UInt256 operator %(in UInt256 a, in UInt256 b)
    {
        Mod(in a, in b, out UInt256 r);
        return r;
    }

    /// <summary>a / d for a 64-bit divisor; returns the remainder.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong DivRemBy64(in UInt256 a, ulong d, out UInt256 quotient)
    {
        int s = BitOperations.LeadingZeroCount(d);
        ulong dn = d << s;
        ulong v = Reciprocal(dn);

        // Shift the dividend by the same amount on the fly; the bits pushed out on top start the
        // remainder. Leading zero limbs are skipped (their quotient digits are zero).
        ulong a0 = a.U0, a1 = a.U1, a2 = a.U2, a3 = a.U3;
        ulong q3 = 0, q2 = 0, r;
        if (a3 != 0)
        {
            q3 = DivRem2By1(SpillLeft(a3, s), (a3 << s) | SpillLeft(a2, s), dn, v, out r);
            q2 = DivRem2By1(r, (a2 << s) | SpillLeft(a1, s), dn, v, out r);
        }
        else if (a2 != 0)
        {
            q2 = DivRem2By1(SpillLeft(a2, s), (a2 << s) | SpillLeft(a1, s), dn, v, out r);
        }
        else
        {
            r = SpillLeft(a1, s);
        }
        ulong q1 = DivRem2By1(r, (a1 << s) | SpillLeft(a0, s), dn, v, out r);
        ulong q0 = DivRem2By1(r, a0 << s, dn, v, out r);
        quotient = new UInt256(q0, q1, q2, q3);
        return r >> s;
    }

    /// <summary>(high:low) mod d for high &lt; d.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static ulong Mod128By64(ulong high, ulong low, ulong d)
    {
        int s = BitOperations.LeadingZeroCount(d);
        ulong dn = d << s;
        // high < d, so shifting (high:low) left by s cannot overflow 128 bits and keeps the top limb below dn.
        DivRem2By1((high << s) | SpillLeft(low, s), low << s, dn, Reciprocal(dn), out ulong r);
        return r >> s;
    }

    /// <summary>The bits of x that a left shift by <paramref name="shift"/> (0..63) pushes out of the limb.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SpillLeft(ulong x, int shift) => (x >> 1) >> (63 - shift);

    /// <summary>The bits of x that a right shift by <paramref name="shift"/> (0..63) pushes out of the limb.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SpillRight(ulong x, int shift) => (x << 1) << (63 - shift);

    /// <summary>The four limbs (x3:x2:x1:x0), normalized by a left shift of <paramref name="shift"/> bits (0..63), shifted back.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static UInt256 ShiftedBack(ulong x0, ulong x1, ulong x2, ulong x3, int shift) =>
        new((x0 >> shift) | SpillRight(x1, shift), (x1 >> shift) | SpillRight(x2, shift), (x2 >> shift) | SpillRight(x3, shift), x3 >> shift);

    /// <summary>Scratch limbs on the stack: a numerator of up to 8 limbs plus the extra top limb of normalization.</summary>
    [InlineArray(9)]
    internal struct LimbBuffer
    {
        private ulong _element0;
    }

    /// <summary>
    /// Divides the little-endian limbs u[0..length) (length 1 to 8) by a non-zero divisor: writes
    /// <paramref name="length"/> quotient limbs to q and returns the remainder.
    /// </summary>
    /// <remarks>Works on refs rather than spans: span arguments are copied through the stack on every call.</remarks>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void DivRemCore(ref ulong u, int length, in UInt256 divisor, ref ulong q, out UInt256 remainder)
    {
        if ((uint)length - 1 >= 8) throw new ArgumentOutOfRangeException(nameof(length));
        int n = divisor.U3 != 0 ? 4 : divisor.U2 != 0 ? 3 : divisor.U1 != 0 ? 2 : divisor.U0 != 0 ? 1 : 0;
        if (n == 0) throw new DivideByZeroException();

        int m = length;
        while (m > 0 && Unsafe.Add(ref u, m - 1) == 0) m--;

        // Quotient digits from m - n + 1 up are zero; the loops below write the ones beneath.
        for (int i = Math.Max(m - n + 1, 0); i < length; i++) Unsafe.Add(ref q, i) = 0;

        if (m < n)
        {
            // Fewer limbs than the divisor: the numerator is the remainder (and fits in three limbs).
            remainder = new UInt256(
                m > 0 ? u : 0,
                m > 1 ? Unsafe.Add(ref u, 1) : 0,
                m > 2 ? Unsafe.Add(ref u, 2) : 0);
            return;
        }

        // D1: normalize so the divisor's top limb has its high bit set, and shift the numerator
        // alike into un, which gets one extra top limb for the bits shifted out.
        ref ulong d = ref Unsafe.AsRef(in divisor.U0);
        int s = BitOperations.LeadingZeroCount(Unsafe.Add(ref d, n - 1));
        Unsafe.SkipInit(out UInt256 dnStorage);
        ref ulong dn = ref Unsafe.As<UInt256, ulong>(ref dnStorage);
        for (int i = n - 1; i > 0; i--) Unsafe.Add(ref dn, i) = (Unsafe.Add(ref d, i) << s) | SpillLeft(Unsafe.Add(ref d, i - 1), s);
        dn = d << s;

        Unsafe.SkipInit(out LimbBuffer unStorage);
        ref ulong un = ref unStorage[0];
        Unsafe.Add(ref un, m) = SpillLeft(Unsafe.Add(ref u, m - 1), s);
        for (int i = m - 1; i > 0; i--) Unsafe.Add(ref un, i) = (Unsafe.Add(ref u, i) << s) | SpillLeft(Unsafe.Add(ref u, i - 1), s);
        un = u << s;

        if (n == 1)
        {
            ulong v = Reciprocal(dn);
            ulong r = Unsafe.Add(ref un, m);
            for (int i = m - 1; i >= 0; i--) Unsafe.Add(ref q, i) = DivRem2By1(r, Unsafe.Add(ref un, i), dn, v, out r);
            remainder = new UInt256(r >> s);
            return;
        }

        KnuthDivide(ref un, m + 1, ref dn, n, ref q);

        // D8: the remainder is what is left in the low n limbs, shifted back. Limb n of un is zero
        // after D2–D7, so shifting it in above limb n-1 is harmless.
        ulong r0 = (un >> s) | SpillRight(Unsafe.Add(ref un, 1), s);
        ulong r1 = (Unsafe.Add(ref un, 1) >> s) | SpillRight(Unsafe.Add(ref un, 2), s);
        ulong r2 = n > 2 ? (Unsafe.Add(ref un, 2) >> s) | SpillRight(Unsafe.Add(ref un, 3), s) : 0;
        ulong r3 = n > 3 ? (Unsafe.Add(ref un, 3) >> s) | SpillRight(Unsafe.Add(ref un, 4), s) : 0;
        remainder = new UInt256(r0, r1, r2, r3);
    }

    /// <summary>
    /// The 512-bit product mod a modulus whose top limb is non-zero: Knuth's algorithm D with the
    /// divisor length fixed at four limbs, so the normalized divisor stays in registers and every
    /// per-digit loop is unrolled. Only the remainder is kept.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void Mod512By256(in Product512 product, in UInt256 m, out UInt256 result)
    {
        int s = BitOperations.LeadingZeroCount(m.U3);
        ulong d3 = (m.U3 << s) | SpillLeft(m.U2, s);
        ulong d2 = (m.U2 << s) | SpillLeft(m.U1, s);
        ulong d1 = (m.U1 << s) | SpillLeft(m.U0, s);
        ulong d0 = m.U0 << s;

        // The reciprocal depends only on the top two normalized limbs; contracts reduce by one modulus
        // over and over, so the last one is remembered per thread (d3 = 0 never matches, d3 is normalized).
        ref ReciprocalCache cache = ref t_reciprocal;
        ulong v;
        if (cache.D3 == d3 && cache.D2 == d2)
        {
            v = cache.V;
        }
        else
        {
            v = Reciprocal3By2(d3, d2);
            cache.D3 = d3;
            cache.D2 = d2;
            cache.V = v;
        }

        // The numerator shifted by s into nine limbs; the top one holds the bits shifted out and is
        // below 2^s ≤ d3, so the first window is below the divisor times 2^64 as algorithm D requires.
        ulong p0 = product.Low.U0, p1 = product.Low.U1, p2 = product.Low.U2, p3 = product.Low.U3;
        ulong p4 = product.High.U0, p5 = product.High.U1, p6 = product.High.U2, p7 = product.High.U3;
        Unsafe.SkipInit(out LimbBuffer unStorage);
        ref ulong un = ref unStorage[0];
        Unsafe.Add(ref un, 8) = SpillLeft(p7, s);
        Unsafe.Add(ref un, 7) = (p7 << s) | SpillLeft(p6, s);
        Unsafe.Add(ref un, 6) = (p6 << s) | SpillLeft(p5, s);
        Unsafe.Add(ref un, 5) = (p5 << s) | SpillLeft(p4, s);
        Unsafe.Add(ref un, 4) = (p4 << s) | SpillLeft(p3, s);
        Unsafe.Add(ref un, 3) = (p3 << s) | SpillLeft(p2, s);
        Unsafe.Add(ref un, 2) = (p2 << s) | SpillLeft(p1, s);
        Unsafe.Add(ref un, 1) = (p1 << s) | SpillLeft(p0, s);
        un = p0 << s;

        // When the top limb is empty and the next is below d3 (always so for reduced operands, whose
        // product is below m^2), the top window is below the divisor: its digit is zero, skip it.
        int j = Unsafe.Add(ref un, 8) == 0 && Unsafe.Add(ref un, 7) < d3 ? 3 : 4;
        for (; j >= 0; j--)
        {
            ReduceWindow4(ref Unsafe.Add(ref un, j), d3, d2, d1, d0, v);
        }

        // The remainder is in the low four limbs (limb 4 is now zero), shifted back.
        ulong u0 = un, u1 = Unsafe.Add(ref un, 1), u2 = Unsafe.Add(ref un, 2), u3 = Unsafe.Add(ref un, 3);
        result = ShiftedBack(u0, u1, u2, u3, s);
    }

    /// <summary>The last <see cref="Reciprocal3By2"/> computed by <see cref="Mod512By256"/> on this thread, with its inputs.</summary>
    private struct ReciprocalCache
    {
        public ulong D3, D2, V;
    }

    [ThreadStatic]
    private static ReciprocalCache t_reciprocal;

    /// <summary>floor((2^512 - 1) / m) as five limbs, for m ≥ 2^192 (so the constant is below 2^320).</summary>
    [SkipLocalsInit]
    internal static void BarrettConstant(in UInt256 m, out ulong mu0, out ulong mu1, out ulong mu2, out ulong mu3, out ulong mu4)
    {
        Unsafe.SkipInit(out LimbBuffer numerator);
        for (int i = 0; i < 8; i++) numerator[i] = ulong.MaxValue;
        Unsafe.SkipInit(out LimbBuffer quotient);
        DivRemCore(ref numerator[0], 8, in m, ref quotient[0], out _);
        mu0 = quotient[0];
        mu1 = quotient[1];
        mu2 = quotient[2];
        mu3 = quotient[3];
        mu4 = quotient[4];
    }

    /// <summary>
    /// The 512-bit product x mod m (top limb non-zero) by Barrett reduction (Handbook of Applied
    /// Cryptography 14.42, base 2^64, k = 4) with mu = <see cref="BarrettConstant"/>: the quotient
    /// estimate floor(floor(x / 2^192) * mu / 2^320) is at most four below the true quotient
    /// (two from Barrett, one from mu being floor((2^512 - 1) / m), one from the skipped lowest
    /// partial products), so x - estimate * m is below 5m &lt; 2^320 and is exact in five limbs;
    /// conditional subtractions finish. No division and no data-dependent loop but the last.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static void Mod512By256Barrett(in Product512 x, in UInt256 m, ulong mu0, ulong mu1, ulong mu2, ulong mu3, ulong mu4, out UInt256 result)
    {
        // q1 = x / 2^192: the limbs x3..x7.
        ulong q0 = x.Low.U3, q1 = x.High.U0, q2 = x.High.U1, q3 = x.High.U2, q4 = x.High.U3;

        // q1 * mu, columns 3..9 only (the columns 0..2 add less than 2^320 · 6 / 2^64 to the top, at most 1 to the estimate).
        // Column c accumulates (t2:t1:t0); after each column t0 is its limb and (t2:t1) carries on.
        ulong t0 = 0, t1 = 0, t2 = 0;
        // Column 3's carry-in: the high halves of column 2's products (their low halves are dropped).
        t0 = MulHigh(q0, mu2);
        Acc(ref t0, ref t1, ref t2, MulHigh(q1, mu1));
        Acc(ref t0, ref t1, ref t2, MulHigh(q2, mu0));
        // Column 3.
        MulAcc(q0, mu3, ref t0, ref t1, ref t2);
        MulAcc(q1, mu2, ref t0, ref t1, ref t2);
        MulAcc(q2, mu1, ref t0, ref t1, ref t2);
        MulAcc(q3, mu0, ref t0, ref t1, ref t2);
        Shift(ref t0, ref t1, ref t2);
        // Column 4.
        MulAcc(q0, mu4, ref t0, ref t1, ref t2);
        MulAcc(q1, mu3, ref t0, ref t1, ref t2);
        MulAcc(q2, mu2, ref t0, ref t1, ref t2);
        MulAcc(q3, mu1, ref t0, ref t1, ref t2);
        MulAcc(q4, mu0, ref t0, ref t1, ref t2);
        Shift(ref t0, ref t1, ref t2);
        // Column 5: estimate limb 0.
        MulAcc(q1, mu4, ref t0, ref t1, ref t2);
        MulAcc(q2, mu3, ref t0, ref t1, ref t2);
        MulAcc(q3, mu2, ref t0, ref t1, ref t2);
        MulAcc(q4, mu1, ref t0, ref t1, ref t2);
        ulong e0 = t0;
        Shift(ref t0, ref t1, ref t2);
        // Column 6.
        MulAcc(q2, mu4, ref t0, ref t1, ref t2);
        MulAcc(q3, mu3, ref t0, ref t1, ref t2);
        MulAcc(q4, mu2, ref t0, ref t1, ref t2);
        ulong e1 = t0;
        Shift(ref t0, ref t1, ref t2);
        // Column 7.
        MulAcc(q3, mu4, ref t0, ref t1, ref t2);
        MulAcc(q4, mu3, ref t0, ref t1, ref t2);
        ulong e2 = t0;
        Shift(ref t0, ref t1, ref t2);
        // Column 8 and 9.
        MulAcc(q4, mu4, ref t0, ref t1, ref t2);
        ulong e3 = t0;
        ulong e4 = t1;

        // r2 = estimate * m mod 2^320.
        ulong m0 = m.U0, m1 = m.U1, m2 = m.U2, m3 = m.U3;
        ulong c = MulAdd(e0, m0, 0, out ulong s0);
        c = MulAdd(e0, m1, c, out ulong s1);
        c = MulAdd(e0, m2, c, out ulong s2);
        c = MulAdd(e0, m3, c, out ulong s3);
        ulong s4 = c;
        c = MulAdd(e1, m0, s1, out s1);
        c = MulAdd(e1, m1, s2, c, out s2);
        c = MulAdd(e1, m2, s3, c, out s3);
        s4 += e1 * m3 + c;
        c = MulAdd(e2, m0, s2, out s2);
        c = MulAdd(e2, m1, s3, c, out s3);
        s4 += e2 * m2 + c;
        c = MulAdd(e3, m0, s3, out s3);
        s4 += e3 * m1 + c;
        s4 += e4 * m0;

        // r = x mod 2^320 - r2, exact (it lies in [0, 5m)).
        ulong r0 = SubBorrow(x.Low.U0, s0, 0, out ulong b);
        ulong r1 = SubBorrow(x.Low.U1, s1, b, out b);
        ulong r2 = SubBorrow(x.Low.U2, s2, b, out b);
        ulong r3 = SubBorrow(x.Low.U3, s3, b, out b);
        ulong r4 = x.High.U0 - s4 - b;

        // At most four subtractions of m.
        while (true)
        {
            ulong d0 = SubBorrow(r0, m0, 0, out b);
            ulong d1 = SubBorrow(r1, m1, b, out b);
            ulong d2 = SubBorrow(r2, m2, b, out b);
            ulong d3 = SubBorrow(r3, m3, b, out b);
            if (r4 < b) break;
            r4 -= b;
            r0 = d0;
            r1 = d1;
            r2 = d2;
            r3 = d3;
        }
        result = new UInt256(r0, r1, r2, r3);
    }

    /// <summary>(t2:t1:t0) += x * y.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MulAcc(ulong x, ulong y, ref ulong t0, ref ulong t1, ref ulong t2)
    {
        ulong lo = x * y;
        ulong hi = MulHigh(x, y);
        ulong s = t0 + lo;
        hi += s < lo ? 1UL : 0UL;
        t0 = s;
        s = t1 + hi;
        t2 += s < hi ? 1UL : 0UL;
        t1 = s;
    }

    /// <summary>(t2:t1:t0) += x.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Acc(ref ulong t0, ref ulong t1, ref ulong t2, ulong x)
    {
        ulong s = t0 + x;
        ulong carry = s < x ? 1UL : 0UL;
        t0 = s;
        s = t1 + carry;
        t2 += s < carry ? 1UL : 0UL;
        t1 = s;
    }

    /// <summary>Moves the accumulator one column up: (t2:t1:t0) becomes (0:t2:t1).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Shift(ref ulong t0, ref ulong t1, ref ulong t2)
    {
        t0 = t1;
        t1 = t2;
        t2 = 0;
    }

    /// <summary>
    /// One step of algorithm D for a normalized four-limb divisor (d3:d2:d1:d0): replaces the five-limb
    /// window w[0..5), which is below the divisor times 2^64, by its remainder (w[4] becomes zero).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReduceWindow4(ref ulong w, ulong d3, ulong d2, ulong d1, ulong d0, ulong v)
    {
        ulong w3 = Unsafe.Add(ref w, 3), w4 = Unsafe.Add(ref w, 4);
        if (w4 == d3 && w3 == d2)
        {
            // The digit is exactly 2^64 - 1 (the window is below divisor * 2^64); no correction is needed.
            ulong borrow = SubtractMultiple4(ref w, d3, d2, d1, d0, ulong.MaxValue);
            Unsafe.Add(ref w, 4) = w4 - borrow;
            return;
        }

        ulong w0 = w, w1 = Unsafe.Add(ref w, 1), w2 = Unsafe.Add(ref w, 2);
        ReduceTopDigit(w4, ref w3, ref w2, ref w1, ref w0, d3, d2, d1, d0, v);
        w = w0;
        Unsafe.Add(ref w, 1) = w1;
        Unsafe.Add(ref w, 2) = w2;
        Unsafe.Add(ref w, 3) = w3;
        Unsafe.Add(ref w, 4) = 0;
    }

    /// <summary>w[0..4) -= q * (d3:d2:d1:d0); returns the borrow out of the top limb.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SubtractMultiple4(ref ulong w, ulong d3, ulong d2, ulong d1, ulong d0, ulong q)
    {
        ulong hi = Math.BigMul(q, d0, out ulong lo);
        ulong x = w;
        w = x - lo;
        ulong borrow = hi + (x < lo ? 1UL : 0UL);
        hi = MulAdd(q, d1, borrow, out lo);
        x = Unsafe.Add(ref w, 1);
        Unsafe.Add(ref w, 1) = x - lo;
        borrow = hi + (x < lo ? 1UL : 0UL);
        hi = MulAdd(q, d2, borrow, out lo);
        x = Unsafe.Add(ref w, 2);
        Unsafe.Add(ref w, 2) = x - lo;
        borrow = hi + (x < lo ? 1UL : 0UL);
        hi = MulAdd(q, d3, borrow, out lo);
        x = Unsafe.Add(ref w, 3);
        Unsafe.Add(ref w, 3) = x - lo;
        return hi + (x < lo ? 1UL : 0UL);
    }

    /// <summary>
    /// Knuth D2–D7 for a normalized divisor dn of n ≥ 2 limbs over the shifted numerator un of
    /// length limbs; writes length - n quotient digits and leaves the shifted remainder in un.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static void KnuthDivide(ref ulong un, int length, ref ulong dn, int n, ref ulong quotient)
    {
        ulong d1 = Unsafe.Add(ref dn, n - 1);
        ulong d0 = Unsafe.Add(ref dn, n - 2);
        ulong v = Reciprocal3By2(d1, d0);

        for (int j = length - n - 1; j >= 0; j--)
        {
            ref ulong window = ref Unsafe.Add(ref un, j);
            ulong u2 = Unsafe.Add(ref window, n);
            ulong u1 = Unsafe.Add(ref window, n - 1);
            ulong u0 = Unsafe.Add(ref window, n - 2);
            ulong qhat;

            if (u2 == d1 && u1 == d0)
            {
                // The top limbs equal the divisor's: the digit is exactly 2^64 - 1 (the window is
                // below divisor * 2^64), so subtract qhat * divisor over all n limbs; no correction.
                qhat = ulong.MaxValue;
                ulong borrow = SubtractMultiple(ref window, ref dn, n, qhat);
                Unsafe.Add(ref window, n) = u2 - borrow;
            }
            else
            {
                // D3: the digit from the top three limbs over the top two divisor limbs, exact for
                // those limbs, with their remainder (r1:r0). The lower divisor limbs can make it
                // at most one too large, which D6 corrects.
                qhat = DivRem3By2(u2, u1, u0, d1, d0, v, out ulong r1, out ulong r0);

                // D4: subtract qhat times the lower n-2 divisor limbs, borrowing from (r1:r0).
                ulong borrow = SubtractMultiple(ref window, ref dn, n - 2, qhat);
                ulong newR0 = SubBorrow(r0, borrow, 0, out ulong b0);
                ulong newR1 = SubBorrow(r1, 0, b0, out ulong b1);
                Unsafe.Add(ref window, n - 2) = newR0;
                Unsafe.Add(ref window, n - 1) = newR1;
                Unsafe.Add(ref window, n) = 0;

                if (b1 != 0)
                {
                    // D6: one too large; add the divisor back (the carry out cancels the borrow).
                    qhat--;
                    ulong carry = 0;
                    for (int i = 0; i < n; i++)
                    {
                        Unsafe.Add(ref window, i) = AddCarry(Unsafe.Add(ref window, i), Unsafe.Add(ref dn, i), carry, out carry);
                    }
                }
            }

            Unsafe.Add(ref quotient, j) = qhat;
        }
    }

    /// <summary>window[0..count) -= q * dn[0..count); returns the borrow out of the top limb.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static ulong SubtractMultiple(ref ulong window, ref ulong dn, int count, ulong q)
    {
        ulong borrow = 0;
        for (int i = 0; i < count; i++)
        {
            ulong hi = MulAdd(q, Unsafe.Add(ref dn, i), borrow, out ulong lo);
            ulong x = Unsafe.Add(ref window, i);
            Unsafe.Add(ref window, i) = x - lo;
            borrow = hi + (x < lo ? 1UL : 0UL);
        }
        return borrow;
    }

    // v0 estimates of 2^19 / d9 for the top nine bits d9 of a normalized divisor (Möller–Granlund, table 2).
    private static readonly ushort[] ReciprocalTable = BuildReciprocalTable();

    private static ushort[] BuildReciprocalTable()
    {
        var table = new ushort[256];
        for (int i = 0; i < 256; i++) table[i] = (ushort)(0x7FD00 / (i + 256));
        return table;
    }

    /// <summary>floor((2^128 - 1) / d) - 2^64 for a normalized d (high bit set).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong Reciprocal(ulong d)
    {
        // (2^128 - 1) - 2^64 * d = (~d : 2^64 - 1), and ~d < d, so the quotient fits one limb. On x64
        // UInt128 division of that shape is a single hardware DIV, faster than the Newton iteration.
        return X86Base.X64.IsSupported ? (ulong)(new UInt128(~d, ulong.MaxValue) / d) : ReciprocalNewton(d);
    }

    /// <summary><see cref="Reciprocal"/> without a hardware divide.</summary>
    internal static ulong ReciprocalNewton(ulong d)
    {
        // Möller–Granlund algorithm 3: a table lookup and three Newton steps, all in 64-bit arithmetic.
        ulong d9 = d >> 55;
        ulong v0 = ReciprocalTable[(int)(d9 - 256)];
        ulong d40 = (d >> 24) + 1;
        ulong v1 = (v0 << 11) - ((v0 * v0 * d40) >> 40) - 1;
        ulong v2 = (v1 << 13) + ((v1 * ((1UL << 60) - v1 * d40)) >> 47);
        ulong d0 = d & 1;
        ulong d63 = (d >> 1) + d0;
        ulong e = ((v2 >> 1) & (0 - d0)) - v2 * d63;
        ulong v3 = (Math.BigMul(v2, e, out _) >> 1) + (v2 << 31);
        ulong high = Math.BigMul(v3, d, out ulong low);
        low += d;
        high += low < d ? 1UL : 0UL;
        return v3 - high - d;
    }

    /// <summary>(uh:ul) / d for normalized d and uh &lt; d, using the reciprocal v of d.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong DivRem2By1(ulong uh, ulong ul, ulong d, ulong v, out ulong remainder)
    {
        // Möller–Granlund algorithm 4.
        ulong q1 = Math.BigMul(v, uh, out ulong q0);
        q0 += ul;
        q1 += uh + (q0 < ul ? 1UL : 0UL) + 1;
        ulong r = ul - q1 * d;
        if (r > q0)
        {
            q1--;
            r += d;
        }
        if (r >= d)
        {
            q1++;
            r -= d;
        }
        remainder = r;
        return q1;
    }

    /// <summary>floor((2^192 - 1) / (d1:d0)) - 2^64 for a normalized d1 (Möller–Granlund algorithm 6).</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    internal static ulong Reciprocal3By2(ulong d1, ulong d0)
    {
        ulong v = Reciprocal(d1);
        ulong p = d1 * v + d0;
        if (p < d0)
        {
            v--;
            if (p >= d1)
            {
                v--;
                p -= d1;
            }
            p -= d1;
        }
        ulong t1 = Math.BigMul(v, d0, out ulong t0);
        p += t1;
        if (p < t1)
        {
            v--;
            if (p > d1 || (p == d1 && t0 >= d0)) v--;
        }
        return v;
    }

    /// <summary>
    /// (u2:u1:u0) / (d1:d0) for normalized d1 and (u2:u1) &lt; (d1:d0), using v = <see cref="Reciprocal3By2"/>;
    /// returns the quotient digit and the two-limb remainder (Möller–Granlund algorithm 5).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static ulong DivRem3By2(ulong u2, ulong u1, ulong u0, ulong d1, ulong d0, ulong v, out ulong r1, out ulong r0)
    {
        ulong q1 = Math.BigMul(v, u2, out ulong q0);
        q0 = AddCarry(q0, u1, 0, out ulong c);
        q1 = q1 + u2 + c;

        ulong rHigh = u1 - q1 * d1;
        ulong t1 = Math.BigMul(d0, q1, out ulong t0);
        // (rHigh:rLow) = (rHigh:u0) - (t1:t0) - (d1:d0)
        ulong rLow = SubBorrow(u0, t0, 0, out ulong b);
        rHigh = SubBorrow(rHigh, t1, b, out _);
        rLow = SubBorrow(rLow, d0, 0, out b);
        rHigh = SubBorrow(rHigh, d1, b, out _);
        q1++;

        if (rHigh >= q0)
        {
            q1--;
            rLow = AddCarry(rLow, d0, 0, out c);
            rHigh = AddCarry(rHigh, d1, c, out _);
        }
        if (rHigh > d1 || (rHigh == d1 && rLow >= d0))
        {
            q1++;
            rLow = SubBorrow(rLow, d0, 0, out b);
            rHigh = SubBorrow(rHigh, d1, b, out _);
        }
        r1 = rHigh;
        r0 = rLow;
        return q1;
    }
}
