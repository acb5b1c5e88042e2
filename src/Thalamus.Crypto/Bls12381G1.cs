using System.Globalization;
using System.Numerics;
using Point = Thalamus.Crypto.JacobianPoint<Thalamus.Crypto.Bls12381Fp, Thalamus.Crypto.Bls12381G1Curve>;

namespace Thalamus.Crypto;

/// <summary>
/// A point of the BLS12-381 curve y² = x³ + 4 over F_p in Jacobian coordinates (x = X/Z², y = Y/Z³);
/// Z = 0 is the point at infinity. G1 is its subgroup of prime order r (the cofactor is not 1, so
/// decoded points need a subgroup check). The arithmetic is the shared <see cref="JacobianPoint{TField, TCurve}"/>.
/// </summary>
internal readonly struct Bls12381G1
{
    private readonly Point _point;

    public static Bls12381Fp B => Bls12381G1Curve.B;
    public static readonly Bls12381G1 Infinity = new(Point.Infinity);
    // The standard generator (as in the ZCash BLS12-381 specification).
    public static readonly Bls12381G1 Generator = FromAffine(
        Bls12381Fp.FromBigInteger(BigInteger.Parse("017f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb", NumberStyles.HexNumber)),
        Bls12381Fp.FromBigInteger(BigInteger.Parse("008b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1", NumberStyles.HexNumber)));

    public Bls12381G1(in Bls12381Fp x, in Bls12381Fp y, in Bls12381Fp z) => _point = new(x, y, z);

    private Bls12381G1(in Point point) => _point = point;

    public Bls12381Fp X => _point.X;
    public Bls12381Fp Y => _point.Y;
    public Bls12381Fp Z => _point.Z;

    public bool IsInfinity => _point.IsInfinity;

    public static Bls12381G1 FromAffine(in Bls12381Fp x, in Bls12381Fp y) => new(x, y, Bls12381Fp.One);

    /// <summary>True when (x, y) satisfies y² = x³ + 4.</summary>
    public static bool IsOnCurve(in Bls12381Fp x, in Bls12381Fp y) => Point.IsOnCurve(x, y);

    /// <summary>Affine coordinates; (0, 0) for the point at infinity.</summary>
    public void ToAffine(out Bls12381Fp x, out Bls12381Fp y) => _point.ToAffine(out x, out y);

    public Bls12381G1 Negate() => new(_point.Negate());

    public Bls12381G1 Double() => new(_point.Double());

    public static Bls12381G1 operator +(in Bls12381G1 p, in Bls12381G1 q) => new(p._point + q._point);

    /// <summary>Scalar multiplication by a little-endian limb scalar (fixed 4-bit window); not constant time: inputs are public.</summary>
    public Bls12381G1 Multiply(ReadOnlySpan<ulong> scalar) => new(_point.Multiply(scalar));

    public bool EqualsPoint(in Bls12381G1 other) => _point.EqualsPoint(other._point);

    /// <summary>True when the point lies in the order-r subgroup: r·P = O.</summary>
    public bool IsInSubgroup() => Multiply(Bls12381Scalar.Order).IsInfinity;
}
