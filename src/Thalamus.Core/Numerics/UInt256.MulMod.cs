using System.Numerics;
using System.Runtime.CompilerServices;

namespace Thalamus.Core;

/// <summary>
/// What MULMOD remembers about the modulus of its caller's last full-width MULMODs (a field prime,
/// typically): the modulus seen last, and once it came twice in a row, its normalized form and
/// reciprocals, so that the next products by it (and ADDMODs by it) reduce with multiplications
/// only. The caller owns it (one per EVM instance), so no thread-local lookup is needed; a default
/// value is empty.
/// </summary>
public struct ModulusCache
{
    internal UInt256 Seen;       // the last full-width modulus, whether or not its constants are ready
    internal UInt256 Modulus;    // the modulus the constants below belong to; zero while there are none
    internal ulong D0, D1, D2, D3; // Modulus shifted left by Shift (top bit set)
    internal ulong V0, V1, V2, V3; // floor((2^512 - 1) / D) - 2^256
    internal ulong V3By2;          // Reciprocal3By2(D3, D2), for one digit of algorithm D (ADDMOD, unreduced MULMOD operands)
    internal int Shift;
}

public readonly partial struct UInt256
{
    /// <summary>
    /// (a * b) mod m (EVM MULMOD), remembering a repeated full-width modulus in <paramref name="cache"/>:
    /// the second MULMOD in a row by one modulus computes its reciprocal, the following ones reduce
    /// with multiplications only (<see cref="MulModByReciprocal"/>). Alternating moduli never pay for it.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void MulMod(in UInt256 a, in UInt256 b, in UInt256 m, ref ModulusCache cache, out UInt256 result)
    {
        if ((a.U0 | a.U1 | a.U2 | a.U3) == 0 || (b.U0 | b.U1 | b.U2 | b.U3) == 0)
        {
            // A zero factor (frequent: elliptic-curve code multiplies by zero coordinates).
            result = default;
            return;
        }
        ref UInt256 c = ref cache.Modulus;
        if (((m.U0 ^ c.U0) | (m.U1 ^ c.U1) | (m.U2 ^ c.U2) | (m.U3 ^ c.U3)) == 0 && c.U3 != 0)
        {
            MulModByReciprocal(in a, in b, in cache, out result);
            return;
        }
        MulModCacheMiss(in a, in b, in m, ref cache, out result);
    }

    /// <summary>
    /// (a + b) mod m without wrapping the sum (EVM ADDMOD), faster when m is the modulus prepared in
    /// <paramref name="cache"/> by MULMOD: the 257-bit sum, shifted like the modulus, is reduced by
    /// one digit of algorithm D whatever the operands' size (elliptic-curve code adds unreduced values).
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public static void AddMod(in UInt256 a, in UInt256 b, in UInt256 m, ref ModulusCache cache, out UInt256 result)
    {
        ref UInt256 c = ref cache.Modulus;
        int s = cache.Shift;
        // s < 63 keeps the sum's top limb after the shift below 2^63 <= d3, as the digit step needs.
        if (((m.U0 ^ c.U0) | (m.U1 ^ c.U1) | (m.U2 ^ c.U2) | (m.U3 ^ c.U3)) != 0 || c.U3 == 0 || s == 63)
        {
            AddMod(in a, in b, in m, out result);
            return;
        }

        ulong s0 = AddCarry(a.U0, b.U0, 0, out ulong carry);
        ulong s1 = AddCarry(a.U1, b.U1, carry, out carry);
        ulong s2 = AddCarry(a.U2, b.U2, carry, out carry);
        ulong s3 = AddCarry(a.U3, b.U3, carry, out carry);
        ulong u4 = (carry << s) | SpillLeft(s3, s);
        ulong u3 = (s3 << s) | SpillLeft(s2, s);
        ulong u2 = (s2 << s) | SpillLeft(s1, s);
        ulong u1 = (s1 << s) | SpillLeft(s0, s);
        ulong u0 = s0 << s;
        ulong d3 = cache.D3;
        if ((u4 | (u3 >= d3 ? 1UL : 0UL)) != 0)
        {
            ReduceTopDigit(u4, ref u3, ref u2, ref u1, ref u0, d3, cache.D2, cache.D1, cache.D0, cache.V3By2);
        }
        result = ShiftedBack(u0, u1, u2, u3, s);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static void MulModCacheMiss(in UInt256 a, in UInt256 b, in UInt256 m, ref ModulusCache cache, out UInt256 result)
    {
        if (m.U3 != 0)
        {
            if (cache.Seen == m)
            {
                PrepareModulus(in m, ref cache);
                MulModByReciprocal(in a, in b, in cache, out result);
                return;
            }
            // Seen once: remember it, divide this time.
            cache.Seen = m;
        }
        MulModByDivision(in a, in b, in m, out result);
    }

    /// <summary>Fills <paramref name="cache"/> with the constants of a modulus whose top limb is non-zero.</summary>
    [SkipLocalsInit]
    internal static void PrepareModulus(in UInt256 m, ref ModulusCache cache)
    {
        int s = BitOperations.LeadingZeroCount(m.U3);
        ShiftLeft(in m, s, out UInt256 d);
        // floor((2^512 - 1) / d) lies in [2^256, 2^257) for a normalized d; its low four limbs are v.
        Unsafe.SkipInit(out LimbBuffer numerator);
        for (int i = 0; i < 8; i++) numerator[i] = ulong.MaxValue;
        Unsafe.SkipInit(out LimbBuffer quotient);
        DivRemCore(ref numerator[0], 8, in d, ref quotient[0], out _);
        cache.Seen = m;
        cache.Modulus = m;
        cache.Shift = s;
        cache.D0 = d.U0;
        cache.D1 = d.U1;
        cache.D2 = d.U2;
        cache.D3 = d.U3;
        cache.V0 = quotient[0];
        cache.V1 = quotient[1];
        cache.V2 = quotient[2];
        cache.V3 = quotient[3];
        cache.V3By2 = Reciprocal3By2(d.U3, d.U2);
    }

    /// <summary>
    /// (a * b) mod m for the prepared modulus of <paramref name="k"/>. The product, shifted like the
    /// modulus, is a two-digit number in base 2^256; its top digit is first brought below the divisor
    /// D (one step of algorithm D, only when the operands were not reduced), then the division of the
    /// two digits by D is Möller and Granlund's 2-by-1 division by a reciprocal (algorithm 4 of
    /// "Improved division by invariant integers") with 256-bit digits: one 4-by-4 product by the
    /// reciprocal, one low-half product by the quotient estimate, and at most two corrections.
    /// </summary>
    [SkipLocalsInit]
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal static void MulModByReciprocal(in UInt256 a, in UInt256 b, in ModulusCache k, out UInt256 result)
    {
        // The 512-bit product, in registers.
        Mul256x256Add(a.U0, a.U1, a.U2, a.U3, b.U0, b.U1, b.U2, b.U3, 0, 0, 0, 0,
            out ulong p0, out ulong p1, out ulong p2, out ulong p3, out ulong p4, out ulong p5, out ulong p6, out ulong p7);

        // Shifted left by s: nine limbs u8..u0, u8 < 2^s.
        int s = k.Shift;
        ulong u8 = SpillLeft(p7, s);
        ulong u7 = (p7 << s) | SpillLeft(p6, s);
        ulong u6 = (p6 << s) | SpillLeft(p5, s);
        ulong u5 = (p5 << s) | SpillLeft(p4, s);
        ulong u4 = (p4 << s) | SpillLeft(p3, s);
        ulong u3 = (p3 << s) | SpillLeft(p2, s);
        ulong u2 = (p2 << s) | SpillLeft(p1, s);
        ulong u1 = (p1 << s) | SpillLeft(p0, s);
        ulong u0 = p0 << s;

        ulong d0 = k.D0, d1 = k.D1, d2 = k.D2, d3 = k.D3;
        if ((u8 | (u7 >= d3 ? 1UL : 0UL)) != 0)
        {
            // The top digit (u8:u7..u4) may be at or above D (operands at or above m).
            ReduceTopDigit(u8, ref u7, ref u6, ref u5, ref u4, d3, d2, d1, d0, k.V3By2);
        }

        // (U1:U0) = (u7..u4 : u3..u0) with U1 < D. (Q1:Q0) = v * U1 + (U1:U0) is below 2^512.
        Mul256x256Add(k.V0, k.V1, k.V2, k.V3, u4, u5, u6, u7, u0, u1, u2, u3,
            out ulong w0, out ulong w1, out ulong w2, out ulong w3, out ulong w4, out ulong w5, out ulong w6, out ulong w7);

        // The estimate q = Q1 + 1 (mod 2^256), the +1 as the carry into the addition of U1.
        ulong q0 = AddCarry(w4, u4, 1, out ulong carry);
        ulong q1 = AddCarry(w5, u5, carry, out carry);
        ulong q2 = AddCarry(w6, u6, carry, out carry);
        ulong q3 = w7 + u7 + carry;

        // r = U0 - q * D (mod 2^256), which needs only the low half of q * D.
        MulLow256(q0, q1, q2, q3, d0, d1, d2, d3, out ulong t0, out ulong t1, out ulong t2, out ulong t3);
        ulong r0 = SubBorrow(u0, t0, 0, out ulong borrow);
        ulong r1 = SubBorrow(u1, t1, borrow, out borrow);
        ulong r2 = SubBorrow(u2, t2, borrow, out borrow);
        ulong r3 = u3 - t3 - borrow;

        // r > Q0: the estimate was one too large, add D back. Frequent and unpredictable, so by a
        // mask; the top limbs decide but when they are equal (rare).
        ulong greater = r3 != w3 ? (r3 > w3 ? 1UL : 0UL) : (GreaterThan(r2, r1, r0, w2, w1, w0) ? 1UL : 0UL);
        ulong mask = 0 - greater;
        r0 = AddCarry(r0, d0 & mask, 0, out carry);
        r1 = AddCarry(r1, d1 & mask, carry, out carry);
        r2 = AddCarry(r2, d2 & mask, carry, out carry);
        r3 = r3 + (d3 & mask) + carry;

        // r >= D: one too small (rare; r3 >= d3 is necessary).
        if (r3 >= d3)
        {
            ulong e0 = SubBorrow(r0, d0, 0, out borrow);
            ulong e1 = SubBorrow(r1, d1, borrow, out borrow);
            ulong e2 = SubBorrow(r2, d2, borrow, out borrow);
            ulong e3 = SubBorrow(r3, d3, borrow, out borrow);
            if (borrow == 0)
            {
                r0 = e0;
                r1 = e1;
                r2 = e2;
                r3 = e3;
            }
        }

        // Shifted back.
        result = ShiftedBack(r0, r1, r2, r3, s);
    }

    /// <summary>
    /// One digit of algorithm D: replaces the window (w4:w3:w2:w1:w0) by its remainder mod the
    /// normalized D = (d3:d2:d1:d0), in (w3:w2:w1:w0). Needs (w4:w3) &lt; (d3:d2) (so the window is
    /// below D * 2^64 and the digit fits a limb); v = <see cref="Reciprocal3By2"/>(d3, d2). Also the
    /// step of the division path (<c>ReduceWindow4</c>).
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void ReduceTopDigit(ulong w4, ref ulong w3, ref ulong w2, ref ulong w1, ref ulong w0,
        ulong d3, ulong d2, ulong d1, ulong d0, ulong v)
    {
        // The digit from the top three limbs over (d3:d2), exact for them, with their remainder
        // (h1:h0); the lower divisor limbs make it at most one too large.
        ulong q = DivRem3By2(w4, w3, w2, d3, d2, v, out ulong h1, out ulong h0);
        // (h1:h0:w1:w0) - q * (d1:d0).
        ulong hi = MulAdd(q, d0, 0, out ulong lo);
        ulong n0 = SubBorrow(w0, lo, 0, out ulong borrow);
        hi = MulAdd(q, d1, hi, borrow, out lo);
        ulong n1 = SubBorrow(w1, lo, 0, out borrow);
        ulong n2 = SubBorrow(h0, hi, borrow, out borrow);
        ulong n3 = SubBorrow(h1, 0, borrow, out borrow);
        if (borrow != 0)
        {
            // The digit was one too large: add D back.
            n0 = AddCarry(n0, d0, 0, out ulong c);
            n1 = AddCarry(n1, d1, c, out c);
            n2 = AddCarry(n2, d2, c, out c);
            n3 = AddCarry(n3, d3, c, out _);
        }
        w0 = n0;
        w1 = n1;
        w2 = n2;
        w3 = n3;
    }

    /// <summary>(x2:x1:x0) &gt; (y2:y1:y0).</summary>
    [MethodImpl(MethodImplOptions.NoInlining)]
    private static bool GreaterThan(ulong x2, ulong x1, ulong x0, ulong y2, ulong y1, ulong y0) =>
        x2 != y2 ? x2 > y2 : x1 != y1 ? x1 > y1 : x0 > y0;

    /// <summary>(a3..a0) * (b3..b0) + (z3..z0), all 512 bits (the sum cannot overflow them).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void Mul256x256Add(ulong a0, ulong a1, ulong a2, ulong a3, ulong b0, ulong b1, ulong b2, ulong b3,
        ulong z0, ulong z1, ulong z2, ulong z3,
        out ulong p0, out ulong p1, out ulong p2, out ulong p3, out ulong p4, out ulong p5, out ulong p6, out ulong p7)
    {
        ulong c = MulAdd(a0, b0, z0, out p0);
        c = MulAdd(a0, b1, z1, c, out p1);
        c = MulAdd(a0, b2, z2, c, out p2);
        p4 = MulAdd(a0, b3, z3, c, out p3);

        c = MulAdd(a1, b0, p1, out p1);
        c = MulAdd(a1, b1, p2, c, out p2);
        c = MulAdd(a1, b2, p3, c, out p3);
        p5 = MulAdd(a1, b3, p4, c, out p4);

        c = MulAdd(a2, b0, p2, out p2);
        c = MulAdd(a2, b1, p3, c, out p3);
        c = MulAdd(a2, b2, p4, c, out p4);
        p6 = MulAdd(a2, b3, p5, c, out p5);

        c = MulAdd(a3, b0, p3, out p3);
        c = MulAdd(a3, b1, p4, c, out p4);
        c = MulAdd(a3, b2, p5, c, out p5);
        p7 = MulAdd(a3, b3, p6, c, out p6);
    }

    /// <summary>The low 256 bits of (a3..a0) * (b3..b0).</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void MulLow256(ulong a0, ulong a1, ulong a2, ulong a3, ulong b0, ulong b1, ulong b2, ulong b3,
        out ulong r0, out ulong r1, out ulong r2, out ulong r3)
    {
        ulong c = MulAdd(a0, b0, 0, out r0);
        c = MulAdd(a1, b0, c, out r1);
        c = MulAdd(a2, b0, c, out r2);
        r3 = a3 * b0 + c;

        c = MulAdd(a0, b1, r1, out r1);
        c = MulAdd(a1, b1, r2, c, out r2);
        r3 += a2 * b1 + c;

        c = MulAdd(a0, b2, r2, out r2);
        r3 += a1 * b2 + c;

        r3 += a0 * b3;
    }
}
