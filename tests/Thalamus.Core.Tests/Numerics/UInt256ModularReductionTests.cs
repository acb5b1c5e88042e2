using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Xunit;
using static Thalamus.Core.Tests.Numerics.UInt256Generators;

namespace Thalamus.Core.Tests.Numerics;

/// <summary>
/// MULMOD's Barrett path (a modulus repeated on one thread) and ADDMOD agree with BigInteger,
/// including moduli 0, 1, 2^192, 2^256-1, field primes, and operands at or above the modulus.
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
        new(0, 0, 0, 1), new(1, 0, 0, 1), new(0, 0, 0, 1UL << 63), UInt256.MaxValue,
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
            foreach (UInt256 a in OperandsAround(m))
            {
                foreach (UInt256 b in OperandsAround(m))
                {
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
}
