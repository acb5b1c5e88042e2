namespace Thalamus.Crypto;

/// <summary>
/// A point of the BN254 curve y² = x³ + 3 over F_p in Jacobian coordinates (x = X/Z², y = Y/Z³);
/// Z = 0 is the point at infinity. The group has prime order r (cofactor 1).
/// </summary>
internal readonly struct Bn254G1
{
    public readonly Bn254Fp X;
    public readonly Bn254Fp Y;
    public readonly Bn254Fp Z;

    public static readonly Bn254Fp B = Bn254Fp.FromUInt64(3);
    public static readonly Bn254G1 Infinity = new(Bn254Fp.One, Bn254Fp.One, Bn254Fp.Zero);
    public static readonly Bn254G1 Generator = FromAffine(Bn254Fp.One, Bn254Fp.FromUInt64(2));

    public Bn254G1(in Bn254Fp x, in Bn254Fp y, in Bn254Fp z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public bool IsInfinity => Z.IsZero;

    public static Bn254G1 FromAffine(in Bn254Fp x, in Bn254Fp y) => new(x, y, Bn254Fp.One);

    /// <summary>True when (x, y) satisfies y² = x³ + 3.</summary>
    public static bool IsOnCurve(in Bn254Fp x, in Bn254Fp y) => y.Square() == x.Square() * x + B;

    /// <summary>Affine coordinates; (0, 0) for the point at infinity (the EVM encoding).</summary>
    public void ToAffine(out Bn254Fp x, out Bn254Fp y)
    {
        if (IsInfinity)
        {
            x = Bn254Fp.Zero;
            y = Bn254Fp.Zero;
            return;
        }
        Bn254Fp zInv = Z.Inverse();
        Bn254Fp zInv2 = zInv.Square();
        x = X * zInv2;
        y = Y * zInv2 * zInv;
    }

    public Bn254G1 Negate() => new(X, -Y, Z);

    /// <summary>Doubling for a = 0 (dbl-2009-l).</summary>
    public Bn254G1 Double()
    {
        if (IsInfinity)
            return this;
        Bn254Fp a = X.Square();
        Bn254Fp b = Y.Square();
        Bn254Fp c = b.Square();
        Bn254Fp d = ((X + b).Square() - a - c).Double();
        Bn254Fp e = a.Double() + a;
        Bn254Fp f = e.Square();
        Bn254Fp x3 = f - d.Double();
        Bn254Fp y3 = e * (d - x3) - c.Double().Double().Double();
        Bn254Fp z3 = (Y * Z).Double();
        return new(x3, y3, z3);
    }

    /// <summary>General addition (add-2007-bl) with the doubling and inverse cases handled.</summary>
    public static Bn254G1 operator +(in Bn254G1 p, in Bn254G1 q)
    {
        if (p.IsInfinity)
            return q;
        if (q.IsInfinity)
            return p;
        Bn254Fp z1z1 = p.Z.Square();
        Bn254Fp z2z2 = q.Z.Square();
        Bn254Fp u1 = p.X * z2z2;
        Bn254Fp u2 = q.X * z1z1;
        Bn254Fp s1 = p.Y * q.Z * z2z2;
        Bn254Fp s2 = q.Y * p.Z * z1z1;
        Bn254Fp h = u2 - u1;
        Bn254Fp r = (s2 - s1).Double();
        if (h.IsZero)
            return r.IsZero ? p.Double() : Infinity;
        Bn254Fp i = h.Double().Square();
        Bn254Fp j = h * i;
        Bn254Fp v = u1 * i;
        Bn254Fp x3 = r.Square() - j - v.Double();
        Bn254Fp y3 = r * (v - x3) - (s1 * j).Double();
        Bn254Fp z3 = ((p.Z + q.Z).Square() - z1z1 - z2z2) * h;
        return new(x3, y3, z3);
    }

    /// <summary>
    /// Scalar multiplication by a little-endian limb scalar: a fixed 4-bit window (15 precomputed
    /// multiples, then four doublings and at most one addition per window). Not constant time: inputs are public.
    /// </summary>
    public Bn254G1 Multiply(ReadOnlySpan<ulong> scalar)
    {
        Span<Bn254G1> table = stackalloc Bn254G1[16];
        table[0] = Infinity;
        table[1] = this;
        for (int i = 2; i < 16; i++)
            table[i] = (i & 1) == 0 ? table[i >> 1].Double() : table[i - 1] + this;

        Bn254G1 result = Infinity;
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

    public bool EqualsPoint(in Bn254G1 other)
    {
        if (IsInfinity || other.IsInfinity)
            return IsInfinity && other.IsInfinity;
        Bn254Fp z1z1 = Z.Square();
        Bn254Fp z2z2 = other.Z.Square();
        return X * z2z2 == other.X * z1z1 && Y * other.Z * z2z2 == other.Y * Z * z1z1;
    }
}
