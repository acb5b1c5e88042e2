using Point = Thalamus.Crypto.JacobianPoint<Thalamus.Crypto.Bls12381Fp2, Thalamus.Crypto.Bls12381G2Curve>;

namespace Thalamus.Crypto;

/// <summary>
/// A point of the BLS12-381 sextic (M-type) twist E': y² = x³ + 4(1 + u) over F_p², in Jacobian coordinates;
/// Z = 0 is the point at infinity. G2 is its subgroup of order r. The arithmetic is the shared
/// <see cref="JacobianPoint{TField, TCurve}"/>.
/// </summary>
internal readonly struct Bls12381G2
{
    private readonly Point _point;

    public static Bls12381Fp2 B => Bls12381G2Curve.B;
    public static readonly Bls12381G2 Infinity = new(Point.Infinity);

    public Bls12381G2(in Bls12381Fp2 x, in Bls12381Fp2 y, in Bls12381Fp2 z) => _point = new(x, y, z);

    private Bls12381G2(in Point point) => _point = point;

    public Bls12381Fp2 X => _point.X;
    public Bls12381Fp2 Y => _point.Y;
    public Bls12381Fp2 Z => _point.Z;

    public bool IsInfinity => _point.IsInfinity;

    public static Bls12381G2 FromAffine(in Bls12381Fp2 x, in Bls12381Fp2 y) => new(x, y, Bls12381Fp2.One);

    /// <summary>True when (x, y) satisfies y² = x³ + 4(1 + u).</summary>
    public static bool IsOnCurve(in Bls12381Fp2 x, in Bls12381Fp2 y) => Point.IsOnCurve(x, y);

    /// <summary>Affine coordinates; (0, 0) for the point at infinity.</summary>
    public void ToAffine(out Bls12381Fp2 x, out Bls12381Fp2 y) => _point.ToAffine(out x, out y);

    public Bls12381G2 Negate() => new(_point.Negate());

    public Bls12381G2 Double() => new(_point.Double());

    public static Bls12381G2 operator +(in Bls12381G2 p, in Bls12381G2 q) => new(p._point + q._point);

    /// <summary>Scalar multiplication by a little-endian limb scalar (fixed 4-bit window); not constant time: inputs are public.</summary>
    public Bls12381G2 Multiply(ReadOnlySpan<ulong> scalar) => new(_point.Multiply(scalar));

    public bool EqualsPoint(in Bls12381G2 other) => _point.EqualsPoint(other._point);

    /// <summary>True when the point lies in the order-r subgroup: r·Q = O.</summary>
    public bool IsInSubgroup() => Multiply(Bls12381Scalar.Order).IsInfinity;
}
