using System.Globalization;
using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Thalamus.Crypto;
using Xunit;

namespace Thalamus.Crypto.Tests;

/// <summary>BLS12-381 groups, the compressed point encoding, and the pairing (bilinearity, final exponentiation).</summary>
public class Bls12381CurveTests
{
    private static readonly BigInteger R = Bls12381Scalar.Modulus;
    private static readonly BigInteger P = Bls12381Fp.Modulus;

    private static readonly Gen<BigInteger> NonZeroScalar =
        Gen.Choose(0, 255).Select(i => (byte)i).ArrayOf(40).Select(b => new BigInteger(b, isUnsigned: true) % (R - 1) + 1);

    private static BigInteger Hex(string hex) => BigInteger.Parse("0" + hex, NumberStyles.HexNumber);

    private static ulong[] Limbs(BigInteger k)
    {
        var limbs = new ulong[4];
        for (int i = 0; i < 4; i++)
            limbs[i] = (ulong)((k >> (64 * i)) & ulong.MaxValue);
        return limbs;
    }

    private static Bls12381Fp12 Pair(in Bls12381G1 p, in Bls12381G2 q)
    {
        p.ToAffine(out var px, out var py);
        q.ToAffine(out var qx, out var qy);
        return Bls12381Pairing.FinalExponentiation(Bls12381Pairing.MillerLoop([px], [py], [qx], [qy]));
    }

    /// <summary>ZCash compressed encoding, written independently of the decoder.</summary>
    private static byte[] Compress(in Bls12381G1 point)
    {
        var bytes = new byte[48];
        if (point.IsInfinity)
        {
            bytes[0] = 0xc0;
            return bytes;
        }
        point.ToAffine(out var x, out var y);
        x.WriteBigEndian(bytes);
        bytes[0] |= 0x80;
        if (y.ToBigInteger() > (P - 1) / 2)
            bytes[0] |= 0x20;
        return bytes;
    }

    [Fact]
    public void Generators_are_on_their_curves_and_have_order_r()
    {
        Bls12381G1.Generator.ToAffine(out var x1, out var y1);
        Assert.True(Bls12381G1.IsOnCurve(x1, y1));
        Assert.True(Bls12381G1.Generator.IsInSubgroup());
        Assert.False(Bls12381G1.Generator.Multiply(Limbs(R - 1)).IsInfinity);

        Bls12381G2 g2 = KzgTrustedSetup.G2Generator;
        g2.ToAffine(out var x2, out var y2);
        Assert.True(Bls12381G2.IsOnCurve(x2, y2));
        Assert.True(g2.IsInSubgroup());
        Assert.True(KzgTrustedSetup.G2Tau.IsInSubgroup());
    }

    [Fact]
    public void The_compressed_G2_generator_decodes_to_the_standard_coordinates()
    {
        KzgTrustedSetup.G2Generator.ToAffine(out var x, out var y);
        Assert.Equal(Hex("024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8"), x.C0.ToBigInteger());
        Assert.Equal(Hex("13e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e"), x.C1.ToBigInteger());
        Assert.Equal(Hex("0ce5d527727d6e118cc9cdc6da2e351aadfd9baa8cbdd3a76d429a695160d12c923ac9cc3baca289e193548608b82801"), y.C0.ToBigInteger());
        Assert.Equal(Hex("0606c4a02ea734cc32acd2b02bc28b99cb3e287e85a763af267492ab572e99ab3f370d275cec1da1aaa9075ff05f79be"), y.C1.ToBigInteger());
    }

    [Fact]
    public void The_compressed_G1_generator_is_the_standard_encoding()
    {
        byte[] expected = Convert.FromHexString("97f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb");
        Assert.Equal(expected, Compress(Bls12381G1.Generator));
        Assert.True(Bls12381Encoding.TryDecompressG1(expected, out var decoded));
        Assert.True(decoded.EqualsPoint(Bls12381G1.Generator));
    }

    [Fact]
    public void G1_compression_round_trips() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(20), Prop.ForAll(
        NonZeroScalar.ToArbitrary(), k =>
        {
            Bls12381G1 point = Bls12381G1.Generator.Multiply(Limbs(k));
            Assert.True(Bls12381Encoding.TryDecompressG1(Compress(point), out var decoded));
            Assert.True(decoded.EqualsPoint(point));
            Assert.True(Bls12381Encoding.TryDecompressG1(Compress(point.Negate()), out var negated));
            Assert.True(negated.EqualsPoint(point.Negate()));
        }));

    [Fact]
    public void G1_scalar_multiplication_is_a_homomorphism() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(20), Prop.ForAll(
        NonZeroScalar.ToArbitrary(), NonZeroScalar.ToArbitrary(), (a, b) =>
        {
            Bls12381G1 g = Bls12381G1.Generator;
            Bls12381G1 aG = g.Multiply(Limbs(a)), bG = g.Multiply(Limbs(b));
            Assert.True((aG + bG).EqualsPoint(g.Multiply(Limbs((a + b) % R))));
            Assert.True(aG.Multiply(Limbs(b)).EqualsPoint(g.Multiply(Limbs(a * b % R))));
            Assert.True((aG + aG).EqualsPoint(aG.Double()));
            Assert.True((aG + aG.Negate()).IsInfinity);
        }));

    [Fact]
    public void G2_scalar_multiplication_is_a_homomorphism() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(8), Prop.ForAll(
        NonZeroScalar.ToArbitrary(), NonZeroScalar.ToArbitrary(), (a, b) =>
        {
            Bls12381G2 g = KzgTrustedSetup.G2Generator;
            Bls12381G2 aG = g.Multiply(Limbs(a)), bG = g.Multiply(Limbs(b));
            Assert.True((aG + bG).EqualsPoint(g.Multiply(Limbs((a + b) % R))));
            Assert.True((aG + aG).EqualsPoint(aG.Double()));
            Assert.True((aG + aG.Negate()).IsInfinity);
        }));

    [Fact]
    public void Final_exponentiation_is_the_cube_of_the_plain_exponent() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(2), Prop.ForAll(
        Gen.Choose(0, 255).Select(i => (byte)i).ArrayOf(12 * 48).ToArbitrary(), bytes =>
        {
            var c = new Bls12381Fp[12];
            for (int i = 0; i < 12; i++)
                c[i] = Bls12381Fp.FromBigInteger(new BigInteger(bytes.AsSpan(48 * i, 48), isUnsigned: true));
            var f = new Bls12381Fp12(
                new Bls12381Fp6(new(c[0], c[1]), new(c[2], c[3]), new(c[4], c[5])),
                new Bls12381Fp6(new(c[6], c[7]), new(c[8], c[9]), new(c[10], c[11])));
            Assert.Equal(f.Pow(3 * ((BigInteger.Pow(P, 12) - 1) / R)), Bls12381Pairing.FinalExponentiation(f));
        }));

    [Fact]
    public void Pairing_is_non_degenerate_and_of_order_r()
    {
        Bls12381Fp12 e = Pair(Bls12381G1.Generator, KzgTrustedSetup.G2Generator);
        Assert.False(e.IsOne);
        Assert.True(e.Pow(R).IsOne);
    }

    [Fact]
    public void Pairing_is_bilinear() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(3), Prop.ForAll(
        NonZeroScalar.ToArbitrary(), NonZeroScalar.ToArbitrary(), (a, b) =>
        {
            Bls12381Fp12 e = Pair(Bls12381G1.Generator, KzgTrustedSetup.G2Generator);
            Bls12381Fp12 eab = Pair(Bls12381G1.Generator.Multiply(Limbs(a)), KzgTrustedSetup.G2Generator.Multiply(Limbs(b)));
            Assert.Equal(e.Pow(a * b % R), eab);
        }));
}
