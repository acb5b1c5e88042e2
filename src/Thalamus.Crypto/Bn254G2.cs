using System.Numerics;
using Point = Thalamus.Crypto.JacobianPoint<Thalamus.Crypto.Bn254Fp2, Thalamus.Crypto.Bn254G2Curve>;

namespace Thalamus.Crypto;

/// <summary>
/// A point of the BN254 sextic (D-type) twist E': y² = x³ + 3/ξ over F_p², ξ = 9 + i, in Jacobian coordinates;
/// Z = 0 is the point at infinity. G2 is its subgroup of order r (the twist has a large cofactor,
/// so inputs need an explicit subgroup check). The arithmetic is the shared <see cref="JacobianPoint{TField, TCurve}"/>.
/// </summary>
internal readonly struct Bn254G2
{
    private readonly Point _point;

    public static Bn254Fp2 B => Bn254G2Curve.B;
    public static readonly Bn254G2 Infinity = new(Point.Infinity);
    // The EIP-197 generator.
    public static readonly Bn254G2 Generator = FromAffine(
        new Bn254Fp2(
            Bn254Fp.FromBigInteger(BigInteger.Parse("10857046999023057135944570762232829481370756359578518086990519993285655852781")),
            Bn254Fp.FromBigInteger(BigInteger.Parse("11559732032986387107991004021392285783925812861821192530917403151452391805634"))),
        new Bn254Fp2(
            Bn254Fp.FromBigInteger(BigInteger.Parse("8495653923123431417604973247489272438418190587263600148770280649306958101930")),
            Bn254Fp.FromBigInteger(BigInteger.Parse("4082367875863433681332203403145435568316851327593401208105741076214120093531"))));

    public Bn254G2(in Bn254Fp2 x, in Bn254Fp2 y, in Bn254Fp2 z) => _point = new(x, y, z);

    private Bn254G2(in Point point) => _point = point;

    public Bn254Fp2 X => _point.X;
    public Bn254Fp2 Y => _point.Y;
    public Bn254Fp2 Z => _point.Z;

    public bool IsInfinity => _point.IsInfinity;

    public static Bn254G2 FromAffine(in Bn254Fp2 x, in Bn254Fp2 y) => new(x, y, Bn254Fp2.One);

    /// <summary>True when (x, y) satisfies y² = x³ + 3/ξ.</summary>
    public static bool IsOnCurve(in Bn254Fp2 x, in Bn254Fp2 y) => Point.IsOnCurve(x, y);

    /// <summary>Affine coordinates; (0, 0) for the point at infinity (the EVM encoding).</summary>
    public void ToAffine(out Bn254Fp2 x, out Bn254Fp2 y) => _point.ToAffine(out x, out y);

    public Bn254G2 Negate() => new(_point.Negate());

    public Bn254G2 Double() => new(_point.Double());

    public static Bn254G2 operator +(in Bn254G2 p, in Bn254G2 q) => new(p._point + q._point);

    /// <summary>Scalar multiplication by a little-endian limb scalar (fixed 4-bit window); not constant time: inputs are public.</summary>
    public Bn254G2 Multiply(ReadOnlySpan<ulong> scalar) => new(_point.Multiply(scalar));

    public bool EqualsPoint(in Bn254G2 other) => _point.EqualsPoint(other._point);

    /// <summary>True when the point lies in the order-r subgroup: r·Q = O.</summary>
    public bool IsInSubgroup() => Multiply(Bn254Scalar.Order).IsInfinity;
}
