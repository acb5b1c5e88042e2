using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Thalamus.Crypto;
using Xunit;

namespace Thalamus.Crypto.Tests;

/// <summary>The BN254 optimal ate pairing: bilinearity, non-degeneracy, the final exponentiation, and input validation.</summary>
public class Bn254PairingTests
{
    private static readonly BigInteger R = BigInteger.Parse("21888242871839275222246405745257275088548364400416034343698204186575808495617");
    private static readonly BigInteger P = Bn254Fp.Modulus;

    private static readonly Gen<BigInteger> NonZeroScalar =
        Gen.Choose(0, 255).Select(i => (byte)i).ArrayOf(32).Select(b => new BigInteger(b, isUnsigned: true) % (R - 1) + 1);

    private static ulong[] Limbs(BigInteger k)
    {
        var limbs = new ulong[4];
        for (int i = 0; i < 4; i++)
            limbs[i] = (ulong)((k >> (64 * i)) & ulong.MaxValue);
        return limbs;
    }

    private static Bn254Fp12 Pair(in Bn254G1 p, in Bn254G2 q)
    {
        p.ToAffine(out var px, out var py);
        q.ToAffine(out var qx, out var qy);
        return Bn254Pairing.FinalExponentiation(Bn254Pairing.MillerLoop([px], [py], [qx], [qy]));
    }

    private static byte[] EncodeG1(in Bn254G1 point)
    {
        point.ToAffine(out var x, out var y);
        var bytes = new byte[64];
        x.WriteBigEndian(bytes.AsSpan(0, 32));
        y.WriteBigEndian(bytes.AsSpan(32));
        return bytes;
    }

    private static byte[] EncodeG2(in Bn254Fp2 x, in Bn254Fp2 y)
    {
        var bytes = new byte[128];
        x.C1.WriteBigEndian(bytes.AsSpan(0, 32));
        x.C0.WriteBigEndian(bytes.AsSpan(32, 32));
        y.C1.WriteBigEndian(bytes.AsSpan(64, 32));
        y.C0.WriteBigEndian(bytes.AsSpan(96, 32));
        return bytes;
    }

    private static byte[] EncodeG2(in Bn254G2 point)
    {
        if (point.IsInfinity)
            return new byte[128];
        point.ToAffine(out var x, out var y);
        return EncodeG2(x, y);
    }

    /// <summary>A point of the twist curve outside G2: the twist's cofactor is huge, so the first point found qualifies.</summary>
    private static (Bn254Fp2 X, Bn254Fp2 Y) TwistPointOutsideG2()
    {
        for (ulong i = 1; ; i++)
        {
            var x = new Bn254Fp2(Bn254Fp.FromUInt64(i), Bn254Fp.One);
            if ((x.Square() * x + Bn254G2.B).TrySqrt(out var y))
            {
                Assert.True(Bn254G2.IsOnCurve(x, y));
                Assert.False(Bn254G2.FromAffine(x, y).IsInSubgroup());
                return (x, y);
            }
        }
    }

    [Fact]
    public void Final_exponentiation_matches_the_plain_exponent() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(3), Prop.ForAll(
        Gen.Choose(0, 255).Select(i => (byte)i).ArrayOf(12 * 32).ToArbitrary(), bytes =>
        {
            var c = new Bn254Fp[12];
            for (int i = 0; i < 12; i++)
                c[i] = Bn254Fp.FromBigInteger(new BigInteger(bytes.AsSpan(32 * i, 32), isUnsigned: true));
            var f = new Bn254Fp12(
                new Bn254Fp6(new(c[0], c[1]), new(c[2], c[3]), new(c[4], c[5])),
                new Bn254Fp6(new(c[6], c[7]), new(c[8], c[9]), new(c[10], c[11])));
            Assert.Equal(f.Pow((BigInteger.Pow(P, 12) - 1) / R), Bn254Pairing.FinalExponentiation(f));
        }));

    [Fact]
    public void Pairing_is_non_degenerate_and_of_order_r()
    {
        Bn254Fp12 e = Pair(Bn254G1.Generator, Bn254G2.Generator);
        Assert.False(e.IsOne);
        Assert.True(e.Pow(R).IsOne);
    }

    [Fact]
    public void Pairing_is_bilinear() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(4), Prop.ForAll(
        NonZeroScalar.ToArbitrary(), NonZeroScalar.ToArbitrary(), (a, b) =>
        {
            Bn254Fp12 e = Pair(Bn254G1.Generator, Bn254G2.Generator);
            Bn254Fp12 eab = Pair(Bn254G1.Generator.Multiply(Limbs(a)), Bn254G2.Generator.Multiply(Limbs(b)));
            Assert.Equal(e.Pow(a * b % R), eab);
            // Linearity in each argument separately: e(aP + bP, Q) = e(aP, Q)·e(bP, Q).
            Bn254G1 ap = Bn254G1.Generator.Multiply(Limbs(a)), bp = Bn254G1.Generator.Multiply(Limbs(b));
            Assert.Equal(Pair(ap, Bn254G2.Generator) * Pair(bp, Bn254G2.Generator), Pair(ap + bp, Bn254G2.Generator));
        }));

    [Fact]
    public void Precompile_accepts_balanced_products_and_rejects_unbalanced_ones() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(4), Prop.ForAll(
        NonZeroScalar.ToArbitrary(), NonZeroScalar.ToArbitrary(), (a, b) =>
        {
            // e(a·G1, b·G2) · e(−ab·G1, G2) = 1
            byte[] left = [.. EncodeG1(Bn254G1.Generator.Multiply(Limbs(a))), .. EncodeG2(Bn254G2.Generator.Multiply(Limbs(b)))];
            byte[] right = [.. EncodeG1(Bn254G1.Generator.Multiply(Limbs(R - a * b % R))), .. EncodeG2(Bn254G2.Generator)];
            Assert.True(Bn254.TryPairingCheck([.. left, .. right], out bool isOne));
            Assert.True(isOne);

            byte[] off = [.. EncodeG1(Bn254G1.Generator.Multiply(Limbs((R - a * b % R + 1) % R))), .. EncodeG2(Bn254G2.Generator)];
            Assert.True(Bn254.TryPairingCheck([.. left, .. off], out isOne));
            Assert.False(isOne);
        }));

    [Fact]
    public void Pairs_with_a_point_at_infinity_contribute_one()
    {
        byte[] g1 = EncodeG1(Bn254G1.Generator), g2 = EncodeG2(Bn254G2.Generator);
        Assert.True(Bn254.TryPairingCheck([.. new byte[64], .. g2], out bool isOne));
        Assert.True(isOne);
        Assert.True(Bn254.TryPairingCheck([.. g1, .. new byte[128]], out isOne));
        Assert.True(isOne);
        Assert.True(Bn254.TryPairingCheck([.. g1, .. new byte[128], .. g1, .. g2], out isOne));
        Assert.False(isOne);
        Assert.True(Bn254.TryPairingCheck([], out isOne));
        Assert.True(isOne);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(191)]
    [InlineData(193)]
    [InlineData(383)]
    public void Lengths_that_are_not_a_multiple_of_192_are_invalid(int length)
    {
        Assert.False(Bn254.TryPairingCheck(new byte[length], out _));
    }

    [Fact]
    public void G2_points_outside_the_subgroup_are_invalid()
    {
        var (x, y) = TwistPointOutsideG2();
        byte[] g1 = EncodeG1(Bn254G1.Generator);
        Assert.False(Bn254.TryPairingCheck([.. g1, .. EncodeG2(x, y)], out _));
        // Even when the G1 side is the point at infinity the G2 point must be valid.
        Assert.False(Bn254.TryPairingCheck([.. new byte[64], .. EncodeG2(x, y)], out _));
    }

    [Fact]
    public void G2_points_off_the_twist_or_with_coordinates_at_least_p_are_invalid()
    {
        byte[] g1 = EncodeG1(Bn254G1.Generator);
        byte[] g2 = EncodeG2(Bn254G2.Generator);

        byte[] offCurve = (byte[])g2.Clone();
        offCurve[127] ^= 1;
        Assert.False(Bn254.TryPairingCheck([.. g1, .. offCurve], out _));

        // Replace the real part of x by itself + p: same value mod p, but not canonical.
        Bn254G2.Generator.ToAffine(out var x, out _);
        byte[] word = (x.C0.ToBigInteger() + P).ToByteArray(isUnsigned: true, isBigEndian: true);
        Assert.Equal(32, word.Length);
        byte[] nonCanonical = (byte[])g2.Clone();
        word.CopyTo(nonCanonical, 32);
        Assert.False(Bn254.TryPairingCheck([.. g1, .. nonCanonical], out _));

        byte[] badG1 = (byte[])g1.Clone();
        badG1[63] ^= 1;
        Assert.False(Bn254.TryPairingCheck([.. badG1, .. g2], out _));
    }

    [Fact]
    public void Swapping_the_imaginary_and_real_parts_is_not_the_same_point()
    {
        // Guards the EIP-197 encoding order (imaginary part first): the swapped encoding is off the twist.
        byte[] g2 = EncodeG2(Bn254G2.Generator);
        byte[] swapped = [.. g2.AsSpan(32, 32), .. g2.AsSpan(0, 32), .. g2.AsSpan(96, 32), .. g2.AsSpan(64, 32)];
        Assert.False(Bn254.TryPairingCheck([.. EncodeG1(Bn254G1.Generator), .. swapped], out _));
    }
}
