using System.Numerics;

namespace Thalamus.Crypto;

/// <summary>
/// A point of the BN254 sextic (D-type) twist E': y² = x³ + 3/ξ over F_p², ξ = 9 + i, in Jacobian coordinates;
/// Z = 0 is the point at infinity. G2 is its subgroup of order r (the twist has a large cofactor,
/// so inputs need an explicit subgroup check).
/// </summary>
internal readonly struct Bn254G2
{
    public readonly Bn254Fp2 X;
    public readonly Bn254Fp2 Y;
    public readonly Bn254Fp2 Z;

    public static readonly Bn254Fp2 B = new Bn254Fp2(Bn254Fp.FromUInt64(3), Bn254Fp.Zero) * new Bn254Fp2(Bn254Fp.FromUInt64(9), Bn254Fp.One).Inverse();
    public static readonly Bn254G2 Infinity = new(Bn254Fp2.One, Bn254Fp2.One, Bn254Fp2.Zero);
    // The EIP-197 generator.
    public static readonly Bn254G2 Generator = FromAffine(
        new Bn254Fp2(
            Bn254Fp.FromBigInteger(BigInteger.Parse("10857046999023057135944570762232829481370756359578518086990519993285655852781")),
            Bn254Fp.FromBigInteger(BigInteger.Parse("11559732032986387107991004021392285783925812861821192530917403151452391805634"))),
        new Bn254Fp2(
            Bn254Fp.FromBigInteger(BigInteger.Parse("8495653923123431417604973247489272438418190587263600148770280649306958101930")),
            Bn254Fp.FromBigInteger(BigInteger.Parse("4082367875863433681332203403145435568316851327593401208105741076214120093531"))));

    public Bn254G2(in Bn254Fp2 x, in Bn254Fp2 y, in Bn254Fp2 z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public bool IsInfinity => Z.IsZero;

    public static Bn254G2 FromAffine(in Bn254Fp2 x, in Bn254Fp2 y) => new(x, y, Bn254Fp2.One);

    /// <summary>True when (x, y) satisfies y² = x³ + 3/ξ.</summary>
    public static bool IsOnCurve(in Bn254Fp2 x, in Bn254Fp2 y) => y.Square() == x.Square() * x + B;

    /// <summary>Affine coordinates; (0, 0) for the point at infinity (the EVM encoding).</summary>
    public void ToAffine(out Bn254Fp2 x, out Bn254Fp2 y)
    {
        if (IsInfinity)
        {
            x = Bn254Fp2.Zero;
            y = Bn254Fp2.Zero;
            return;
        }
        Bn254Fp2 zInv = Z.Inverse();
        Bn254Fp2 zInv2 = zInv.Square();
        x = X * zInv2;
        y = Y * zInv2 * zInv;
    }

    public Bn254G2 Negate() => new(X, -Y, Z);

    /// <summary>Doubling for a = 0 (dbl-2009-l).</summary>
    public Bn254G2 Double()
    {
        if (IsInfinity)
            return this;
        Bn254Fp2 a = X.Square();
        Bn254Fp2 b = Y.Square();
        Bn254Fp2 c = b.Square();
        Bn254Fp2 d = ((X + b).Square() - a - c).Double();
        Bn254Fp2 e = a.Double() + a;
        Bn254Fp2 f = e.Square();
        Bn254Fp2 x3 = f - d.Double();
        Bn254Fp2 y3 = e * (d - x3) - c.Double().Double().Double();
        Bn254Fp2 z3 = (Y * Z).Double();
        return new(x3, y3, z3);
    }

    /// <summary>General addition (add-2007-bl) with the doubling and inverse cases handled.</summary>
    public static Bn254G2 operator +(in Bn254G2 p, in Bn254G2 q)
    {
        if (p.IsInfinity)
            return q;
        if (q.IsInfinity)
            return p;
        Bn254Fp2 z1z1 = p.Z.Square();
        Bn254Fp2 z2z2 = q.Z.Square();
        Bn254Fp2 u1 = p.X * z2z2;
        Bn254Fp2 u2 = q.X * z1z1;
        Bn254Fp2 s1 = p.Y * q.Z * z2z2;
        Bn254Fp2 s2 = q.Y * p.Z * z1z1;
        Bn254Fp2 h = u2 - u1;
        Bn254Fp2 r = (s2 - s1).Double();
        if (h.IsZero)
            return r.IsZero ? p.Double() : Infinity;
        Bn254Fp2 i = h.Double().Square();
        Bn254Fp2 j = h * i;
        Bn254Fp2 v = u1 * i;
        Bn254Fp2 x3 = r.Square() - j - v.Double();
        Bn254Fp2 y3 = r * (v - x3) - (s1 * j).Double();
        Bn254Fp2 z3 = ((p.Z + q.Z).Square() - z1z1 - z2z2) * h;
        return new(x3, y3, z3);
    }

    /// <summary>
    /// Scalar multiplication by a little-endian limb scalar: a fixed 4-bit window (15 precomputed
    /// multiples, then four doublings and at most one addition per window). Not constant time: inputs are public.
    /// </summary>
    public Bn254G2 Multiply(ReadOnlySpan<ulong> scalar)
    {
        Span<Bn254G2> table = stackalloc Bn254G2[16];
        table[0] = Infinity;
        table[1] = this;
        for (int i = 2; i < 16; i++)
            table[i] = (i & 1) == 0 ? table[i >> 1].Double() : table[i - 1] + this;

        Bn254G2 result = Infinity;
        bool started = false;
        for (int limb = scalar.Length - 1; limb >= 0; limb--)
        {
            for (int shift = 60; shift >= 0; shift -= 4)
            {
                if (started)
                    result = result.Double().Double().Double().Double();
                int window = (int)((scalar[limb] >> shift) & 0xF);
                if (window != 0)
                {
                    result = started ? result + table[window] : table[window];
                    started = true;
                }
            }
        }
        return result;
    }

    public bool EqualsPoint(in Bn254G2 other)
    {
        if (IsInfinity || other.IsInfinity)
            return IsInfinity && other.IsInfinity;
        Bn254Fp2 z1z1 = Z.Square();
        Bn254Fp2 z2z2 = other.Z.Square();
        return X * z2z2 == other.X * z1z1 && Y * other.Z * z2z2 == other.Y * Z * z1z1;
    }

    /// <summary>True when the point lies in the order-r subgroup: r·Q = O.</summary>
    public bool IsInSubgroup() => Multiply(Bn254Scalar.Order).IsInfinity;
}
