using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Thalamus.Crypto;
using Xunit;

namespace Thalamus.Crypto.Tests;

/// <summary>BN254 G1/G2 group laws and the add/mul precompile entry points on valid and invalid points.</summary>
public class Bn254CurveTests
{
    private static readonly BigInteger R = BigInteger.Parse("21888242871839275222246405745257275088548364400416034343698204186575808495617");
    private static readonly BigInteger P = Bn254Fp.Modulus;
    private static readonly Config Quick = Config.QuickThrowOnFailure.WithMaxTest(40);

    private static readonly Gen<BigInteger> Scalar = Gen.Frequency(
        (6, Gen.Choose(0, 255).Select(i => (byte)i).ArrayOf(32).Select(b => new BigInteger(b, isUnsigned: true))),
        (1, Gen.Elements(BigInteger.Zero, BigInteger.One, R - 1, R, R + 1, BigInteger.Pow(2, 256) - 1)));

    private static ulong[] Limbs(BigInteger k)
    {
        k %= BigInteger.Pow(2, 256);
        var limbs = new ulong[4];
        for (int i = 0; i < 4; i++)
            limbs[i] = (ulong)((k >> (64 * i)) & ulong.MaxValue);
        return limbs;
    }

    private static byte[] Word(BigInteger v)
    {
        var bytes = new byte[32];
        byte[] raw = v.ToByteArray(isUnsigned: true, isBigEndian: true);
        raw.CopyTo(bytes, 32 - raw.Length);
        return bytes;
    }

    private static byte[] Encode(in Bn254G1 point)
    {
        point.ToAffine(out var x, out var y);
        var bytes = new byte[64];
        x.WriteBigEndian(bytes.AsSpan(0, 32));
        y.WriteBigEndian(bytes.AsSpan(32));
        return bytes;
    }

    [Fact]
    public void Generators_are_on_their_curves_and_have_order_r()
    {
        Bn254G1.Generator.ToAffine(out var x1, out var y1);
        Assert.True(Bn254G1.IsOnCurve(x1, y1));
        Assert.True(Bn254G1.Generator.Multiply(Limbs(R)).IsInfinity);
        Assert.False(Bn254G1.Generator.Multiply(Limbs(R - 1)).IsInfinity);

        Bn254G2.Generator.ToAffine(out var x2, out var y2);
        Assert.True(Bn254G2.IsOnCurve(x2, y2));
        Assert.True(Bn254G2.Generator.IsInSubgroup());
        Assert.False(Bn254G2.Generator.Multiply(Limbs(R - 1)).IsInfinity);
    }

    [Fact]
    public void G1_scalar_multiplication_is_a_homomorphism() => Check.One(Quick, Prop.ForAll(
        Scalar.ToArbitrary(), Scalar.ToArbitrary(), (a, b) =>
        {
            Bn254G1 g = Bn254G1.Generator;
            Bn254G1 aG = g.Multiply(Limbs(a)), bG = g.Multiply(Limbs(b));
            Assert.True((aG + bG).EqualsPoint(g.Multiply(Limbs((a + b) % R))));
            Assert.True(aG.Multiply(Limbs(b)).EqualsPoint(g.Multiply(Limbs(a * b % R))));
            Assert.True((aG + aG).EqualsPoint(aG.Double()));
            Assert.True((aG + aG.Negate()).IsInfinity);
            Assert.True((aG + Bn254G1.Infinity).EqualsPoint(aG));
            aG.ToAffine(out var x, out var y);
            Assert.True(aG.IsInfinity || Bn254G1.IsOnCurve(x, y));
        }));

    [Fact]
    public void G2_scalar_multiplication_is_a_homomorphism() => Check.One(Config.QuickThrowOnFailure.WithMaxTest(15), Prop.ForAll(
        Scalar.ToArbitrary(), Scalar.ToArbitrary(), (a, b) =>
        {
            Bn254G2 g = Bn254G2.Generator;
            Bn254G2 aG = g.Multiply(Limbs(a)), bG = g.Multiply(Limbs(b));
            Assert.True((aG + bG).EqualsPoint(g.Multiply(Limbs((a + b) % R))));
            Assert.True((aG + aG).EqualsPoint(aG.Double()));
            Assert.True((aG + aG.Negate()).IsInfinity);
            Assert.True(aG.IsInSubgroup());
        }));

    [Fact]
    public void Precompile_add_and_multiply_agree_with_the_group() => Check.One(Quick, Prop.ForAll(
        Scalar.ToArbitrary(), Scalar.ToArbitrary(), (a, b) =>
        {
            byte[] aG = Encode(Bn254G1.Generator.Multiply(Limbs(a)));
            byte[] bG = Encode(Bn254G1.Generator.Multiply(Limbs(b)));
            var sum = new byte[64];
            Assert.True(Bn254.TryAdd([.. aG, .. bG], sum));
            Assert.Equal(Encode(Bn254G1.Generator.Multiply(Limbs((a + b) % R))), sum);

            var product = new byte[64];
            Assert.True(Bn254.TryMultiply([.. aG, .. Word(b)], product));
            Assert.Equal(Encode(Bn254G1.Generator.Multiply(Limbs(a * b % R))), product);
        }));

    [Fact]
    public void Infinity_is_encoded_as_zeros()
    {
        var output = new byte[64];
        byte[] g = Encode(Bn254G1.Generator);
        Assert.True(Bn254.TryMultiply([.. g, .. Word(R)], output));
        Assert.Equal(new byte[64], output);
        Assert.True(Bn254.TryMultiply([.. new byte[64], .. Word(5)], output));
        Assert.Equal(new byte[64], output);
        Assert.True(Bn254.TryAdd([.. g, .. new byte[64]], output));
        Assert.Equal(g, output);
    }

    public static TheoryData<string, string> InvalidG1Points => new()
    {
        { "(1, 3) is off the curve", "0000000000000000000000000000000000000000000000000000000000000001" + "0000000000000000000000000000000000000000000000000000000000000003" },
        { "(0, 1) is off the curve", "0000000000000000000000000000000000000000000000000000000000000000" + "0000000000000000000000000000000000000000000000000000000000000001" },
        { "x = p + 1 (≡ 1)", "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd48" + "0000000000000000000000000000000000000000000000000000000000000002" },
        { "y = p + 2 (≡ 2)", "0000000000000000000000000000000000000000000000000000000000000001" + "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd49" },
        { "(p, 0) would alias infinity", "30644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd47" + "0000000000000000000000000000000000000000000000000000000000000000" },
    };

    [Theory]
    [MemberData(nameof(InvalidG1Points))]
    public void Invalid_G1_points_are_rejected(string why, string point)
    {
        byte[] bad = Convert.FromHexString(point);
        byte[] g = Encode(Bn254G1.Generator);
        var output = new byte[64];
        Assert.False(Bn254.TryAdd([.. bad, .. g], output), why);
        Assert.False(Bn254.TryAdd([.. g, .. bad], output), why);
        Assert.False(Bn254.TryMultiply([.. bad, .. Word(2)], output), why);
        Assert.False(Bn254.TryMultiply([.. bad, .. Word(0)], output), why);
    }
}
