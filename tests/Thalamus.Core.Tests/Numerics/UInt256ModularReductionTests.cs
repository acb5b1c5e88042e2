using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Xunit;
using static Thalamus.Core.Tests.Numerics.UInt256Generators;

namespace Thalamus.Core.Tests.Numerics;

/// <summary>
/// MULMOD's reciprocal path (a modulus repeated in a <see cref="ModulusCache"/>), the Barrett path it
/// replaced, and ADDMOD with and without a prepared modulus agree with BigInteger, including moduli
/// 0, 1, 2^192, 2^256-1, field primes, top limbs 1 and 2^64-1, and operands at or above the modulus.
/// </summary>
public class UInt256ModularReductionTests
{
    private static readonly UInt256 Bn254Prime =
        UInt256.Parse("0x30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47");

    private static readonly UInt256 Secp256k1Prime =
        UInt256.Parse("0xfffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");

    /// <summary>Moduli whose top limb is non-zero: the ones the Barrett path takes.</summary>
    private static readonly Gen<UInt256> FullWidthModulus = Gen.Frequency(
        (1, Gen.Elements(
            Bn254Prime, Secp256k1Prime, UInt256.MaxValue, new UInt256(0, 0, 0, 1), new UInt256(1, 0, 0, 1),
            new UInt256(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, 1), new UInt256(0, 0, 0, 1UL << 63),
            new UInt256(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, long.MaxValue))),
        (4, Value.Where(m => m.U3 != 0)));

    private static readonly UInt256[] EdgeModuli =
    [
        UInt256.Zero, UInt256.One, new(2), new(3), new(ulong.MaxValue), new(0, 1), new(0, 0, 1),
        new(ulong.MaxValue, ulong.MaxValue), new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue),
        new(0, 0, 0, 1), new(1, 0, 0, 1), new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, 1), new(0, 0, 0, 3),
        new(0, 0, 0, 1UL << 62), new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, (1UL << 62) - 1),
        new(0, 0, 0, 1UL << 63), new(0, 0, 0, ulong.MaxValue), UInt256.MaxValue,
        new(ulong.MaxValue - 1, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue), Bn254Prime, Secp256k1Prime,
    ];

    /// <summary>Operands around a modulus: 0, 1, m-1, m, m+1, 2m (wrapping), 2^256-1, 2^256-1-m and a sparse value.</summary>
    private static IEnumerable<UInt256> OperandsAround(UInt256 m)
    {
        yield return UInt256.Zero;
        yield return UInt256.One;
        yield return m - UInt256.One;
        yield return m;
        yield return m + UInt256.One;
        yield return m + m;
        yield return UInt256.MaxValue;
        yield return UInt256.MaxValue - m;
        yield return new UInt256(ulong.MaxValue, 0, ulong.MaxValue, 0);
    }

    private static BigInteger ExpectedMulMod(UInt256 a, UInt256 b, UInt256 m) => m.IsZero ? 0 : Ref(a) * Ref(b) % Ref(m);

    private static BigInteger ExpectedAddMod(UInt256 a, UInt256 b, UInt256 m) => m.IsZero ? 0 : (Ref(a) + Ref(b)) % Ref(m);

    [Fact]
    public void Barrett_reduction_matches_the_reference_for_any_full_width_modulus() => Check.One(Settings, Prop.ForAll(
        Arbitrary, Arbitrary, FullWidthModulus.ToArbitrary(), (a, b, m) =>
        {
            UInt256.BarrettConstant(in m, out ulong mu0, out ulong mu1, out ulong mu2, out ulong mu3, out ulong mu4);
            UInt256.MulModBarrett(in a, in b, in m, mu0, mu1, mu2, mu3, mu4, out UInt256 r);
            AssertEqual(ExpectedMulMod(a, b, m), r);
        }));

    [Fact]
    public void The_Barrett_constant_is_the_floor_of_the_largest_512_bit_value_over_the_modulus() => Check.One(Settings, Prop.ForAll(
        FullWidthModulus.ToArbitrary(), m =>
        {
            UInt256.BarrettConstant(in m, out ulong mu0, out ulong mu1, out ulong mu2, out ulong mu3, out ulong mu4);
            BigInteger mu = new BigInteger(mu0) | new BigInteger(mu1) << 64 | new BigInteger(mu2) << 128
                | new BigInteger(mu3) << 192 | new BigInteger(mu4) << 256;
            Assert.Equal(((BigInteger.One << 512) - 1) / Ref(m), mu);
        }));

    [Fact]
    public void MulMod_by_a_repeated_modulus_matches_the_reference_on_every_call() => Check.One(Settings, Prop.ForAll(
        Arbitrary, Arbitrary, Arbitrary, (a, b, m) =>
        {
            // The first call remembers the modulus, the second computes its constant, the rest reuse it.
            for (int i = 0; i < 4; i++)
            {
                UInt256 x = a + new UInt256((ulong)i);
                UInt256.MulMod(in x, in b, in m, out UInt256 r);
                AssertEqual(ExpectedMulMod(x, b, m), r);
            }
        }));

    [Fact]
    public void MulMod_alternating_between_two_moduli_matches_the_reference() => Check.One(Settings, Prop.ForAll(
        Arbitrary, Gen.Two(FullWidthModulus).ToArbitrary(), Arbitrary, (a, moduliPair, b) =>
        {
            (UInt256 m1, UInt256 m2) = moduliPair;
            UInt256[] moduli = [m1, m1, m1, m2, m2, m1, m2, m1];
            foreach (UInt256 m in moduli)
            {
                UInt256.MulMod(in a, in b, in m, out UInt256 r);
                AssertEqual(ExpectedMulMod(a, b, m), r);
            }
        }));

    [Fact]
    public void MulMod_and_AddMod_are_right_at_the_edges_of_every_edge_modulus()
    {
        foreach (UInt256 m in EdgeModuli)
        {
            var cache = new ModulusCache();
            foreach (UInt256 a in OperandsAround(m))
            {
                foreach (UInt256 b in OperandsAround(m))
                {
                    // With the caller's cache: the first call by m divides, the next ones use its reciprocal.
                    for (int i = 0; i < 3; i++)
                    {
                        UInt256.MulMod(in a, in b, in m, ref cache, out UInt256 cached);
                        AssertEqual(ExpectedMulMod(a, b, m), cached);
                        UInt256.AddMod(in a, in b, in m, ref cache, out cached);
                        AssertEqual(ExpectedAddMod(a, b, m), cached);
                    }
                    // Three times each, so the repeated-modulus path is taken too.
                    for (int i = 0; i < 3; i++)
                    {
                        UInt256.MulMod(in a, in b, in m, out UInt256 product);
                        AssertEqual(ExpectedMulMod(a, b, m), product);
                    }
                    UInt256.MulModByDivision(in a, in b, in m, out UInt256 byDivision);
                    AssertEqual(ExpectedMulMod(a, b, m), byDivision);
                    UInt256.AddMod(in a, in b, in m, out UInt256 sum);
                    AssertEqual(ExpectedAddMod(a, b, m), sum);
                }
            }
        }
    }

    [Fact]
    public void AddMod_matches_the_reference_for_operands_at_or_above_the_modulus() => Check.One(Settings, Prop.ForAll(
        Arbitrary, Arbitrary, Arbitrary, (a, b, m) =>
        {
            UInt256 above = m + a; // wraps for large m: any operand size turns up
            UInt256.AddMod(in above, in b, in m, out UInt256 r);
            AssertEqual(ExpectedAddMod(above, b, m), r);
            UInt256.AddMod(in a, in b, in m, out r);
            AssertEqual(ExpectedAddMod(a, b, m), r);
        }));

    [Fact]
    public void A_field_prime_modulus_stays_right_over_a_long_chain_of_products()
    {
        // weierstrudel's shape: one prime, many MULMODs in a row, each on the last result.
        var random = new Random(17);
        Span<byte> bytes = stackalloc byte[32];
        random.NextBytes(bytes);
        UInt256 x = new UInt256(BitConverter.ToUInt64(bytes[..8]), BitConverter.ToUInt64(bytes[8..16]), BitConverter.ToUInt64(bytes[16..24]), BitConverter.ToUInt64(bytes[24..]));
        BigInteger expected = Ref(x);
        foreach (UInt256 p in new[] { Bn254Prime, Secp256k1Prime })
        {
            for (int i = 0; i < 5000; i++)
            {
                UInt256.MulMod(in x, in x, in p, out x);
                expected = expected * expected % Ref(p);
                AssertEqual(expected, x);
            }
        }
    }

    [Fact]
    public void The_reciprocal_path_matches_the_reference_for_any_full_width_modulus_and_operands_of_any_size() => Check.One(Settings, Prop.ForAll(
        Arbitrary, Arbitrary, FullWidthModulus.ToArbitrary(), (a, b, m) =>
        {
            var cache = new ModulusCache();
            UInt256.PrepareModulus(in m, ref cache);
            UInt256.MulModByReciprocal(in a, in b, in cache, out UInt256 r);
            AssertEqual(ExpectedMulMod(a, b, m), r);
            // Reduced operands too (the product below m * 2^256 skips the first digit).
            UInt256 x = a % m, y = b % m;
            UInt256.MulModByReciprocal(in x, in y, in cache, out r);
            AssertEqual(ExpectedMulMod(x, y, m), r);
        }));

    [Fact]
    public void The_reciprocal_path_is_right_for_products_near_a_multiple_of_the_modulus() => Check.One(Settings, Prop.ForAll(
        Gen.Zip(FullWidthModulus, Gen.Choose(-3, 3)).ToArbitrary(), Arbitrary, Arbitrary, (modulusAndDelta, bSeed, tSeed) =>
        {
            (UInt256 m, int delta) = modulusAndDelta;
            // b is at most 64 bits (at least 1) and a = floor(m * t / b) + delta for a t below b, so
            // a * b lies within a few b of m * t: remainders near 0 and near m.
            BigInteger b = (Ref(bSeed) & ulong.MaxValue) | 1;
            BigInteger t = Ref(tSeed) % b;
            BigInteger a = BigInteger.Max(Ref(m) * t / b + delta, 0);
            UInt256 ua = FromReference(a), ub = FromReference(b);
            var cache = new ModulusCache();
            UInt256.PrepareModulus(in m, ref cache);
            UInt256.MulModByReciprocal(in ua, in ub, in cache, out UInt256 r);
            AssertEqual(ExpectedMulMod(ua, ub, m), r);
            UInt256.MulModByReciprocal(in ub, in ua, in cache, out r);
            AssertEqual(ExpectedMulMod(ua, ub, m), r);
        }));

    [Fact]
    public void MulMod_with_a_caller_cache_matches_the_reference_for_moduli_of_every_length() => Check.One(Settings, Prop.ForAll(
        Arbitrary, Arbitrary, Gen.Two(Value).ToArbitrary(), (a, b, moduliPair) =>
        {
            // Runs and alternations of two moduli of any length (0 and 1..4 limbs): every call is right
            // whether it divides, prepares the modulus or uses the prepared reciprocal.
            (UInt256 m1, UInt256 m2) = moduliPair;
            var cache = new ModulusCache();
            UInt256[] moduli = [m1, m1, m1, m2, m2, m1, m2, m2, m2, m1];
            for (int i = 0; i < moduli.Length; i++)
            {
                UInt256 x = a + new UInt256((ulong)i);
                UInt256.MulMod(in x, in b, in moduli[i], ref cache, out UInt256 r);
                AssertEqual(ExpectedMulMod(x, b, moduli[i]), r);
            }
        }));

    [Fact]
    public void AddMod_by_a_prepared_modulus_matches_the_reference_for_operands_of_any_size() => Check.One(Settings, Prop.ForAll(
        Arbitrary, Arbitrary, FullWidthModulus.ToArbitrary(), (a, b, m) =>
        {
            var cache = new ModulusCache();
            UInt256.PrepareModulus(in m, ref cache);
            UInt256.AddMod(in a, in b, in m, ref cache, out UInt256 r);
            AssertEqual(ExpectedAddMod(a, b, m), r);
            UInt256 x = a % m, y = b % m;
            UInt256.AddMod(in x, in y, in m, ref cache, out r);
            AssertEqual(ExpectedAddMod(x, y, m), r);
        }));

    [Fact]
    public void AddMod_by_another_modulus_than_the_prepared_one_is_still_right() => Check.One(Settings, Prop.ForAll(
        Arbitrary, Arbitrary, Gen.Zip(Value, FullWidthModulus).ToArbitrary(), (a, b, moduli) =>
        {
            (UInt256 m, UInt256 prepared) = moduli;
            var cache = new ModulusCache();
            UInt256.PrepareModulus(in prepared, ref cache);
            UInt256.AddMod(in a, in b, in m, ref cache, out UInt256 r);
            AssertEqual(ExpectedAddMod(a, b, m), r);
        }));

    [Fact]
    public void A_zero_factor_gives_zero_for_every_modulus()
    {
        var cache = new ModulusCache();
        foreach (UInt256 m in EdgeModuli)
        {
            foreach (UInt256 x in OperandsAround(m))
            {
                UInt256.MulMod(in x, in UInt256.Zero, in m, ref cache, out UInt256 r);
                Assert.True(r.IsZero, $"{x} * 0 mod {m} = {r}");
                UInt256.MulMod(in UInt256.Zero, in x, in m, ref cache, out r);
                Assert.True(r.IsZero, $"0 * {x} mod {m} = {r}");
            }
        }
    }

    [Fact]
    public void MulMod_and_AddMod_may_write_the_result_over_the_modulus()
    {
        // The EVM writes the result in the modulus' stack slot.
        var cache = new ModulusCache();
        UInt256 a = UInt256.MaxValue - new UInt256(5), b = UInt256.MaxValue - Bn254Prime;
        for (int i = 0; i < 3; i++)
        {
            UInt256 m = Bn254Prime;
            UInt256.MulMod(in a, in b, in m, ref cache, out m);
            AssertEqual(ExpectedMulMod(a, b, Bn254Prime), m);
            m = Bn254Prime;
            UInt256.AddMod(in a, in b, in m, ref cache, out m);
            AssertEqual(ExpectedAddMod(a, b, Bn254Prime), m);
        }
    }
}
