using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Xunit;
using static Thalamus.Core.Tests.Numerics.UInt256Generators;

namespace Thalamus.Core.Tests.Numerics;

/// <summary>
/// Division building blocks and the rare branches of Knuth's algorithm D (maximal quotient digit,
/// add-back), which uniformly random operands almost never reach.
/// </summary>
public class UInt256DivisionPropertyTests
{
    private static readonly Gen<ulong> Limb = Gen.Frequency(
        (3, Gen.Four(Gen.Choose(0, 0xFFFF)).Select(t => (ulong)(uint)t.Item1 | ((ulong)(uint)t.Item2 << 16) | ((ulong)(uint)t.Item3 << 32) | ((ulong)(uint)t.Item4 << 48))),
        (2, Gen.Elements(0UL, 1UL, ulong.MaxValue, ulong.MaxValue - 1, 1UL << 63, (1UL << 63) - 1, (1UL << 63) + 1)));

    private static readonly Arbitrary<ulong> NormalizedLimb = Limb.Select(x => x | (1UL << 63)).ToArbitrary();

    [Fact]
    public void Reciprocal_matches_its_definition() => Check.One(Settings, Prop.ForAll(NormalizedLimb, d =>
    {
        UInt128 expected = UInt128.MaxValue / d - ((UInt128)1 << 64);
        Assert.Equal((ulong)expected, UInt256.Reciprocal(d));
        Assert.Equal((ulong)expected, UInt256.ReciprocalNewton(d)); // the path for CPUs without a 128/64 divide
    }));

    [Fact]
    public void Two_by_one_division_matches_UInt128() => Check.One(Settings, Prop.ForAll(
        NormalizedLimb, Limb.ToArbitrary(), Limb.ToArbitrary(), (d, high, low) =>
        {
            ulong uh = high % d; // the precondition uh < d
            ulong q = UInt256.DivRem2By1(uh, low, d, UInt256.Reciprocal(d), out ulong r);
            UInt128 u = ((UInt128)uh << 64) | low;
            Assert.Equal((ulong)(u / d), q);
            Assert.Equal((ulong)(u % d), r);
        }));

    [Fact]
    public void Three_by_two_reciprocal_matches_its_definition() => Check.One(Settings, Prop.ForAll(
        NormalizedLimb, Limb.ToArbitrary(), (d1, d0) =>
        {
            BigInteger d = (new BigInteger(d1) << 64) + d0;
            BigInteger expected = ((BigInteger.One << 192) - 1) / d - (BigInteger.One << 64);
            Assert.Equal(expected, new BigInteger(UInt256.Reciprocal3By2(d1, d0)));
        }));

    [Fact]
    public void Three_by_two_division_matches_reference() => Check.One(Settings, Prop.ForAll(
        Gen.Zip(NormalizedLimb.Generator, Limb).ToArbitrary(), Gen.Zip(Limb, Limb).ToArbitrary(), Limb.ToArbitrary(), (d, high, u0) =>
        {
            (ulong d1, ulong d0) = d;
            BigInteger divisor = (new BigInteger(d1) << 64) + d0;
            // Reduce the top two limbs below the divisor (the precondition).
            BigInteger top = ((new BigInteger(high.Item1) << 64) + high.Item2) % divisor;
            ulong u2 = (ulong)(top >> 64), u1 = (ulong)(top & ulong.MaxValue);
            BigInteger u = (top << 64) + u0;

            ulong q = UInt256.DivRem3By2(u2, u1, u0, d1, d0, UInt256.Reciprocal3By2(d1, d0), out ulong r1, out ulong r0);
            Assert.Equal(u / divisor, new BigInteger(q));
            Assert.Equal(u % divisor, (new BigInteger(r1) << 64) + r0);
        }));

    private static readonly Gen<UInt256> StructuredDivisor =
        from limbs in Gen.Four(Limb)
        from length in Gen.Choose(1, 4)
        from top in Gen.Elements(1UL << 63, ulong.MaxValue, (1UL << 63) + 1, 1UL, 3UL)
        select length switch
        {
            1 => new UInt256(top | limbs.Item1),
            2 => new UInt256(limbs.Item1, top),
            3 => new UInt256(limbs.Item1, limbs.Item2, top),
            _ => new UInt256(limbs.Item1, limbs.Item2, limbs.Item3, top),
        };

    [Fact]
    public void Division_of_constructed_quotients_recovers_them() => Check.One(Settings, Prop.ForAll(
        StructuredDivisor.ToArbitrary(), Arbitrary, Arbitrary, (d, q, r) =>
        {
            // a = q*d + r with r < d, built to hit maximal quotient digits and one-too-large estimates.
            BigInteger rem = Ref(r) % Ref(d);
            BigInteger quotient = Ref(q) % (((Modulus - 1 - rem) / Ref(d)) + 1);
            BigInteger a = quotient * Ref(d) + rem;
            UInt256 numerator = FromReference(a);
            Assert.Equal(a, Ref(numerator));

            UInt256.DivRem(in numerator, in d, out UInt256 gotQ, out UInt256 gotR);
            AssertEqual(quotient, gotQ);
            AssertEqual(rem, gotR);
            AssertEqual(quotient, numerator / d);
            AssertEqual(rem, numerator % d);
        }));

    [Fact]
    public void MulMod_with_structured_moduli() => Check.One(Settings, Prop.ForAll(
        Arbitrary, Arbitrary, StructuredDivisor.ToArbitrary(), (a, b, m) =>
        {
            UInt256.MulMod(in a, in b, in m, out UInt256 r);
            AssertEqual(Ref(a) * Ref(b) % Ref(m), r);
            UInt256.AddMod(in a, in b, in m, out r);
            AssertEqual((Ref(a) + Ref(b)) % Ref(m), r);
        }));

    /// <summary>A value a modulus-related distance away from a multiple of m: t*m + r (mod 2^256) with r in {0, 1, m-1, m-2, random}.</summary>
    private static Gen<UInt256> NearMultipleOf(UInt256 m) =>
        from t in Gen.Frequency((1, Gen.Constant(UInt256.Zero)), (1, Gen.Constant(UInt256.One)), (2, Value))
        from kind in Gen.Choose(0, 4)
        from random in Value
        select FromReference(Ref(t) * Ref(m) + kind switch
        {
            0 => BigInteger.Zero,
            1 => BigInteger.One,
            2 => Ref(m) - 1,
            3 => Ref(m) - 2,
            _ => Ref(random) % Ref(m),
        });

    [Fact]
    public void MulMod_and_AddMod_near_multiples_of_moduli_of_every_length() => Check.One(Settings, Prop.ForAll(
        (from m in StructuredDivisor
         from a in NearMultipleOf(m)
         from b in NearMultipleOf(m)
         select (m, a, b)).ToArbitrary(), t =>
        {
            (UInt256 m, UInt256 a, UInt256 b) = t;
            UInt256.MulMod(in a, in b, in m, out UInt256 r);
            AssertEqual(Ref(a) * Ref(b) % Ref(m), r);
            UInt256.AddMod(in a, in b, in m, out r);
            AssertEqual((Ref(a) + Ref(b)) % Ref(m), r);
        }));

    [Fact]
    public void MulMod_of_reduced_operands_with_full_width_moduli() => Check.One(Settings, Prop.ForAll(
        (from low in Gen.Three(Limb)
         from top in Gen.Elements(1UL, 3UL, 1UL << 62, (1UL << 63) - 1, 1UL << 63, (1UL << 63) + 1, ulong.MaxValue - 1, ulong.MaxValue)
         from x in Value
         from y in Value
         select (new UInt256(low.Item1, low.Item2, low.Item3, top), x, y)).ToArbitrary(), t =>
        {
            // Reduced operands (the field-arithmetic case) and their complements m - 1 - x.
            (UInt256 m, UInt256 x, UInt256 y) = t;
            UInt256 a = FromReference(Ref(x) % Ref(m)), b = FromReference(Ref(y) % Ref(m));
            UInt256 na = FromReference(Ref(m) - 1 - Ref(a));
            foreach ((UInt256 p, UInt256 q) in new[] { (a, b), (na, b), (na, na), (a, a) })
            {
                UInt256.MulMod(in p, in q, in m, out UInt256 r);
                AssertEqual(Ref(p) * Ref(q) % Ref(m), r);
            }
        }));

    [Fact]
    public void MulMod_hits_the_maximal_quotient_digit()
    {
        // Moduli whose second limb makes the window's top two limbs equal the divisor's: the (2^64 - 1) digit.
        ulong[] tops = [ulong.MaxValue, 1UL << 63, (1UL << 63) + 1, 1UL];
        ulong[] fills = [0, 1, ulong.MaxValue, 1UL << 63];
        foreach (ulong top in tops)
        foreach (ulong fill in fills)
        {
            UInt256 m = new(fill, fill, ulong.MaxValue, top);
            UInt256[] operands = [UInt256.MaxValue, m, new UInt256(0, 0, 0, top), new UInt256(fill, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue), FromReference(Ref(m) - 1)];
            foreach (UInt256 a in operands)
            foreach (UInt256 b in operands)
            {
                UInt256.MulMod(in a, in b, in m, out UInt256 r);
                AssertEqual(Ref(a) * Ref(b) % Ref(m), r);
            }
        }
    }
}
