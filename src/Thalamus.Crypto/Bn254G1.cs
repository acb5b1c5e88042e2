using Point = Thalamus.Crypto.JacobianPoint<Thalamus.Crypto.Bn254Fp, Thalamus.Crypto.Bn254G1Curve>;

namespace Thalamus.Crypto;

/// <summary>
/// A point of the BN254 curve y² = x³ + 3 over F_p in Jacobian coordinates (x = X/Z², y = Y/Z³);
/// Z = 0 is the point at infinity. The group has prime order r (cofactor 1).
/// The arithmetic is the shared <see cref="JacobianPoint{TField, TCurve}"/>.
/// </summary>
internal readonly struct Bn254G1
{
    private readonly Point _point;

    public static Bn254Fp B => Bn254G1Curve.B;
    public static readonly Bn254G1 Infinity = new(Point.Infinity);
    public static readonly Bn254G1 Generator = FromAffine(Bn254Fp.One, Bn254Fp.FromUInt64(2));

    public Bn254G1(in Bn254Fp x, in Bn254Fp y, in Bn254Fp z) => _point = new(x, y, z);

    private Bn254G1(in Point point) => _point = point;

    public Bn254Fp X => _point.X;
    public Bn254Fp Y => _point.Y;
    public Bn254Fp Z => _point.Z;

    public bool IsInfinity => _point.IsInfinity;

    public static Bn254G1 FromAffine(in Bn254Fp x, in Bn254Fp y) => new(x, y, Bn254Fp.One);

    /// <summary>True when (x, y) satisfies y² = x³ + 3.</summary>
    public static bool IsOnCurve(in Bn254Fp x, in Bn254Fp y) => Point.IsOnCurve(x, y);

    /// <summary>Affine coordinates; (0, 0) for the point at infinity (the EVM encoding).</summary>
    public void ToAffine(out Bn254Fp x, out Bn254Fp y) => _point.ToAffine(out x, out y);

    public Bn254G1 Negate() => new(_point.Negate());

    public Bn254G1 Double() => new(_point.Double());

    public static Bn254G1 operator +(in Bn254G1 p, in Bn254G1 q) => new(p._point + q._point);

    /// <summary>Scalar multiplication by a little-endian limb scalar (fixed 4-bit window); not constant time: inputs are public.</summary>
    public Bn254G1 Multiply(ReadOnlySpan<ulong> scalar) => new(_point.Multiply(scalar));

    public bool EqualsPoint(in Bn254G1 other) => _point.EqualsPoint(other._point);
}
