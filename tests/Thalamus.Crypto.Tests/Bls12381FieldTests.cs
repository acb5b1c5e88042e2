using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Thalamus.Crypto;
using Xunit;

namespace Thalamus.Crypto.Tests;

/// <summary>The BLS12-381 field tower against BigInteger arithmetic and its own algebraic identities.</summary>
public class Bls12381FieldTests
{
    private static readonly BigInteger P = Bls12381Fp.Modulus;
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(200);

    // Values mod p, with the edges (0, 1, p − 1, p − 2) over-represented.
    private static readonly Gen<BigInteger> Element = Gen.Frequency(
        (6, Gen.Choose(0, 255).Select(i => (byte)i).ArrayOf(56).Select(b => new BigInteger(b, isUnsigned: true) % P)),
        (1, Gen.Elements(BigInteger.Zero, BigInteger.One, P - 1, P - 2, new BigInteger(2))));

    private static readonly Gen<Bls12381Fp2> Fp2Element =
        Element.Two().Select(t => new Bls12381Fp2(Bls12381Fp.FromBigInteger(t.Item1), Bls12381Fp.FromBigInteger(t.Item2)));

    private static readonly Gen<Bls12381Fp6> Fp6Element =
        Fp2Element.Three().Select(t => new Bls12381Fp6(t.Item1, t.Item2, t.Item3));

    private static readonly Gen<Bls12381Fp12> Fp12Element =
        Fp6Element.Two().Select(t => new Bls12381Fp12(t.Item1, t.Item2));

    [Fact]
    public void Base_field_operations_agree_with_BigInteger() => Check.One(Quick, Prop.ForAll(
        Element.ToArbitrary(), Element.ToArbitrary(), (a, b) =>
        {
            Bls12381Fp x = Bls12381Fp.FromBigInteger(a), y = Bls12381Fp.FromBigInteger(b);
            Assert.Equal(a, x.ToBigInteger());
            Assert.Equal((a + b) % P, (x + y).ToBigInteger());
            Assert.Equal(((a - b) % P + P) % P, (x - y).ToBigInteger());
            Assert.Equal((P - a) % P, (-x).ToBigInteger());
            Assert.Equal(a * b % P, (x * y).ToBigInteger());
            Assert.Equal(a * a % P, x.Square().ToBigInteger());
            if (!a.IsZero)
                Assert.Equal(BigInteger.ModPow(a, P - 2, P), x.Inverse().ToBigInteger());
            Assert.Equal(x.InverseByExponentiation(), x.Inverse());
        }));

    [Fact]
    public void Square_roots_exist_exactly_for_quadratic_residues() => Check.One(Quick, Prop.ForAll(
        Element.ToArbitrary(), a =>
        {
            Bls12381Fp x = Bls12381Fp.FromBigInteger(a);
            bool residue = a.IsZero || BigInteger.ModPow(a, (P - 1) / 2, P).IsOne;
            Assert.Equal(residue, x.TrySqrt(out var root));
            Assert.Equal(residue, x.IsSquare());
            if (residue)
                Assert.Equal(x, root.Square());
        }));

    [Fact]
    public void Big_endian_decoding_rejects_values_not_below_p()
    {
        byte[] Encode(BigInteger v)
        {
            var bytes = new byte[48];
            byte[] raw = v.ToByteArray(isUnsigned: true, isBigEndian: true);
            raw.CopyTo(bytes, 48 - raw.Length);
            return bytes;
        }

        Assert.True(Bls12381Fp.TryFromBigEndian(Encode(P - 1), out var max));
        Assert.Equal(P - 1, max.ToBigInteger());
        Assert.False(Bls12381Fp.TryFromBigEndian(Encode(P), out _));
        Assert.False(Bls12381Fp.TryFromBigEndian(Encode(P + 1), out _));
        Assert.False(Bls12381Fp.TryFromBigEndian(Enumerable.Repeat((byte)0xff, 48).ToArray(), out _));

        var written = new byte[48];
        max.WriteBigEndian(written);
        Assert.Equal(Encode(P - 1), written);
    }

    [Fact]
    public void Fp2_multiplication_is_the_complex_product() => Check.One(Quick, Prop.ForAll(
        Fp2Element.ToArbitrary(), Fp2Element.ToArbitrary(), (a, b) =>
        {
            BigInteger a0 = a.C0.ToBigInteger(), a1 = a.C1.ToBigInteger(), b0 = b.C0.ToBigInteger(), b1 = b.C1.ToBigInteger();
            Bls12381Fp2 product = a * b;
            Assert.Equal(((a0 * b0 - a1 * b1) % P + P) % P, product.C0.ToBigInteger());
            Assert.Equal((a0 * b1 + a1 * b0) % P, product.C1.ToBigInteger());
            Assert.Equal(a * a, a.Square());
            Assert.Equal(a * new Bls12381Fp2(Bls12381Fp.One, Bls12381Fp.One), a.MulByNonResidue());
            if (!a.IsZero)
                Assert.Equal(Bls12381Fp2.One, a * a.Inverse());
        }));

    [Fact]
    public void Fp2_square_roots_square_back() => Check.One(Quick, Prop.ForAll(
        Fp2Element.ToArbitrary(), a =>
        {
            Bls12381Fp2 square = a.Square();
            Assert.True(square.TrySqrt(out var root));
            Assert.Equal(square, root.Square());
        }));

    [Fact]
    public void Fp6_ring_laws_and_sparse_products() => Check.One(Quick, Prop.ForAll(
        Fp6Element.ToArbitrary(), Fp6Element.ToArbitrary(), Fp6Element.ToArbitrary(), (a, b, c) =>
        {
            Assert.Equal(a * b, b * a);
            Assert.Equal((a * b) * c, a * (b * c));
            Assert.Equal(a * (b + c), a * b + a * c);
            Assert.Equal(a * a, a.Square());
            Assert.Equal(a * new Bls12381Fp6(Bls12381Fp2.Zero, Bls12381Fp2.One, Bls12381Fp2.Zero), a.MulByV());
            Assert.Equal(a * new Bls12381Fp6(b.C0, b.C1, Bls12381Fp2.Zero), a.MulBy01(b.C0, b.C1));
            Assert.Equal(a * new Bls12381Fp6(Bls12381Fp2.Zero, b.C1, Bls12381Fp2.Zero), a.MulBy1(b.C1));
            if (!a.IsZero)
                Assert.Equal(Bls12381Fp6.One, a * a.Inverse());
        }));

    [Fact]
    public void Fp12_ring_laws_line_product_and_inverse() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(50), Prop.ForAll(
        Fp12Element.ToArbitrary(), Fp12Element.ToArbitrary(), Fp12Element.ToArbitrary(), (a, b, c) =>
        {
            Assert.Equal(a * b, b * a);
            Assert.Equal((a * b) * c, a * (b * c));
            Assert.Equal(a * a, a.Square());
            var line = new Bls12381Fp12(new Bls12381Fp6(b.C0.C0, b.C0.C1, Bls12381Fp2.Zero), new Bls12381Fp6(Bls12381Fp2.Zero, b.C1.C1, Bls12381Fp2.Zero));
            Assert.Equal(a * line, a.MulByLineMType(b.C0.C0, b.C0.C1, b.C1.C1));
            Assert.Equal(Bls12381Fp12.One, a * a.Inverse());
            Assert.Equal(a.Pow(5), a * a * a * a * a);
            Assert.Equal(a.Pow(new BigInteger(1234567)), a.Pow(1234567UL));
        }));

    [Fact]
    public void Fp12_Frobenius_is_the_pth_power() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(5), Prop.ForAll(
        Fp12Element.ToArbitrary(), a =>
        {
            Bls12381Fp12 ap = a.Pow(P);
            Assert.Equal(ap, a.Frobenius(1));
            Assert.Equal(ap.Pow(P), a.Frobenius(2));
            Assert.Equal(a.Frobenius(2).Frobenius(1), a.Frobenius(3));
            Assert.Equal(a.Conjugate(), a.Frobenius(3).Frobenius(3));
        }));

    [Fact]
    public void Exactly_one_of_x_and_minus_x_is_lexicographically_largest() => Check.One(Quick, Prop.ForAll(
        Element.ToArbitrary(), a =>
        {
            Bls12381Fp x = Bls12381Fp.FromBigInteger(a);
            Assert.Equal(a > (P - 1) / 2, x.IsLexicographicallyLargest());
            if (!x.IsZero)
                Assert.NotEqual(x.IsLexicographicallyLargest(), (-x).IsLexicographicallyLargest());
        }));

    [Fact]
    public void Cyclotomic_squaring_agrees_with_squaring_in_the_cyclotomic_subgroup() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(20), Prop.ForAll(
        Fp12Element.ToArbitrary(), a =>
        {
            // a^((p⁶ − 1)(p² + 1)) lies in the cyclotomic subgroup.
            Bls12381Fp12 m = a.Conjugate() * a.Inverse();
            m = m.Frobenius(2) * m;
            Assert.Equal(m.Square(), m.CyclotomicSquare());
            Assert.Equal(m.Pow(0xd201000000010000UL), m.CyclotomicPow(0xd201000000010000UL));
            Assert.Equal(Bls12381Fp12.One, m * m.Conjugate());
        }));
}
