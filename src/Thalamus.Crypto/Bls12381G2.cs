namespace Thalamus.Crypto;

/// <summary>
/// A point of the BLS12-381 sextic (M-type) twist E': y² = x³ + 4(1 + u) over F_p², in Jacobian coordinates;
/// Z = 0 is the point at infinity. G2 is its subgroup of order r.
/// </summary>
internal readonly struct Bls12381G2
{
    public readonly Bls12381Fp2 X;
    public readonly Bls12381Fp2 Y;
    public readonly Bls12381Fp2 Z;

    public static readonly Bls12381Fp2 B = new(Bls12381Fp.FromUInt64(4), Bls12381Fp.FromUInt64(4));
    public static readonly Bls12381G2 Infinity = new(Bls12381Fp2.One, Bls12381Fp2.One, Bls12381Fp2.Zero);

    public Bls12381G2(in Bls12381Fp2 x, in Bls12381Fp2 y, in Bls12381Fp2 z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public bool IsInfinity => Z.IsZero;

    public static Bls12381G2 FromAffine(in Bls12381Fp2 x, in Bls12381Fp2 y) => new(x, y, Bls12381Fp2.One);

    /// <summary>True when (x, y) satisfies y² = x³ + 4(1 + u).</summary>
    public static bool IsOnCurve(in Bls12381Fp2 x, in Bls12381Fp2 y) => y.Square() == x.Square() * x + B;

    /// <summary>Affine coordinates; (0, 0) for the point at infinity.</summary>
    public void ToAffine(out Bls12381Fp2 x, out Bls12381Fp2 y)
    {
        if (IsInfinity)
        {
            x = Bls12381Fp2.Zero;
            y = Bls12381Fp2.Zero;
            return;
        }
        Bls12381Fp2 zInv = Z.Inverse();
        Bls12381Fp2 zInv2 = zInv.Square();
        x = X * zInv2;
        y = Y * zInv2 * zInv;
    }

    public Bls12381G2 Negate() => new(X, -Y, Z);

    /// <summary>Doubling for a = 0 (dbl-2009-l).</summary>
    public Bls12381G2 Double()
    {
        if (IsInfinity)
            return this;
        Bls12381Fp2 a = X.Square();
        Bls12381Fp2 b = Y.Square();
        Bls12381Fp2 c = b.Square();
        Bls12381Fp2 d = ((X + b).Square() - a - c).Double();
        Bls12381Fp2 e = a.Double() + a;
        Bls12381Fp2 f = e.Square();
        Bls12381Fp2 x3 = f - d.Double();
        Bls12381Fp2 y3 = e * (d - x3) - c.Double().Double().Double();
        Bls12381Fp2 z3 = (Y * Z).Double();
        return new(x3, y3, z3);
    }

    /// <summary>General addition (add-2007-bl) with the doubling and inverse cases handled.</summary>
    public static Bls12381G2 operator +(in Bls12381G2 p, in Bls12381G2 q)
    {
        if (p.IsInfinity)
            return q;
        if (q.IsInfinity)
            return p;
        Bls12381Fp2 z1z1 = p.Z.Square();
        Bls12381Fp2 z2z2 = q.Z.Square();
        Bls12381Fp2 u1 = p.X * z2z2;
        Bls12381Fp2 u2 = q.X * z1z1;
        Bls12381Fp2 s1 = p.Y * q.Z * z2z2;
        Bls12381Fp2 s2 = q.Y * p.Z * z1z1;
        Bls12381Fp2 h = u2 - u1;
        Bls12381Fp2 r = (s2 - s1).Double();
        if (h.IsZero)
            return r.IsZero ? p.Double() : Infinity;
        Bls12381Fp2 i = h.Double().Square();
        Bls12381Fp2 j = h * i;
        Bls12381Fp2 v = u1 * i;
        Bls12381Fp2 x3 = r.Square() - j - v.Double();
        Bls12381Fp2 y3 = r * (v - x3) - (s1 * j).Double();
        Bls12381Fp2 z3 = ((p.Z + q.Z).Square() - z1z1 - z2z2) * h;
        return new(x3, y3, z3);
    }

    /// <summary>
    /// Scalar multiplication by a little-endian limb scalar: a fixed 4-bit window (15 precomputed
    /// multiples, then four doublings and at most one addition per window). Not constant time: inputs are public.
    /// </summary>
    public Bls12381G2 Multiply(ReadOnlySpan<ulong> scalar)
    {
        Span<Bls12381G2> table = stackalloc Bls12381G2[16];
        table[0] = Infinity;
        table[1] = this;
        for (int i = 2; i < 16; i++)
            table[i] = (i & 1) == 0 ? table[i >> 1].Double() : table[i - 1] + this;

        Bls12381G2 result = Infinity;
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

    public bool EqualsPoint(in Bls12381G2 other)
    {
        if (IsInfinity || other.IsInfinity)
            return IsInfinity && other.IsInfinity;
        Bls12381Fp2 z1z1 = Z.Square();
        Bls12381Fp2 z2z2 = other.Z.Square();
        return X * z2z2 == other.X * z1z1 && Y * other.Z * z2z2 == other.Y * Z * z1z1;
    }

    /// <summary>True when the point lies in the order-r subgroup: r·Q = O.</summary>
    public bool IsInSubgroup() => Multiply(Bls12381Scalar.Order).IsInfinity;
}
