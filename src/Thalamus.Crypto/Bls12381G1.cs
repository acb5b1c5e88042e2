using System.Globalization;
using System.Numerics;

namespace Thalamus.Crypto;

/// <summary>
/// A point of the BLS12-381 curve y² = x³ + 4 over F_p in Jacobian coordinates (x = X/Z², y = Y/Z³);
/// Z = 0 is the point at infinity. G1 is its subgroup of prime order r (the cofactor is not 1, so
/// decoded points need a subgroup check).
/// </summary>
internal readonly struct Bls12381G1
{
    public readonly Bls12381Fp X;
    public readonly Bls12381Fp Y;
    public readonly Bls12381Fp Z;

    public static readonly Bls12381Fp B = Bls12381Fp.FromUInt64(4);
    public static readonly Bls12381G1 Infinity = new(Bls12381Fp.One, Bls12381Fp.One, Bls12381Fp.Zero);
    // The standard generator (as in the ZCash BLS12-381 specification).
    public static readonly Bls12381G1 Generator = FromAffine(
        Bls12381Fp.FromBigInteger(BigInteger.Parse("017f1d3a73197d7942695638c4fa9ac0fc3688c4f9774b905a14e3a3f171bac586c55e83ff97a1aeffb3af00adb22c6bb", NumberStyles.HexNumber)),
        Bls12381Fp.FromBigInteger(BigInteger.Parse("008b3f481e3aaa0f1a09e30ed741d8ae4fcf5e095d5d00af600db18cb2c04b3edd03cc744a2888ae40caa232946c5e7e1", NumberStyles.HexNumber)));

    public Bls12381G1(in Bls12381Fp x, in Bls12381Fp y, in Bls12381Fp z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public bool IsInfinity => Z.IsZero;

    public static Bls12381G1 FromAffine(in Bls12381Fp x, in Bls12381Fp y) => new(x, y, Bls12381Fp.One);

    /// <summary>True when (x, y) satisfies y² = x³ + 4.</summary>
    public static bool IsOnCurve(in Bls12381Fp x, in Bls12381Fp y) => y.Square() == x.Square() * x + B;

    /// <summary>Affine coordinates; (0, 0) for the point at infinity.</summary>
    public void ToAffine(out Bls12381Fp x, out Bls12381Fp y)
    {
        if (IsInfinity)
        {
            x = Bls12381Fp.Zero;
            y = Bls12381Fp.Zero;
            return;
        }
        Bls12381Fp zInv = Z.Inverse();
        Bls12381Fp zInv2 = zInv.Square();
        x = X * zInv2;
        y = Y * zInv2 * zInv;
    }

    public Bls12381G1 Negate() => new(X, -Y, Z);

    /// <summary>Doubling for a = 0 (dbl-2009-l).</summary>
    public Bls12381G1 Double()
    {
        if (IsInfinity)
            return this;
        Bls12381Fp a = X.Square();
        Bls12381Fp b = Y.Square();
        Bls12381Fp c = b.Square();
        Bls12381Fp d = ((X + b).Square() - a - c).Double();
        Bls12381Fp e = a.Double() + a;
        Bls12381Fp f = e.Square();
        Bls12381Fp x3 = f - d.Double();
        Bls12381Fp y3 = e * (d - x3) - c.Double().Double().Double();
        Bls12381Fp z3 = (Y * Z).Double();
        return new(x3, y3, z3);
    }

    /// <summary>General addition (add-2007-bl) with the doubling and inverse cases handled.</summary>
    public static Bls12381G1 operator +(in Bls12381G1 p, in Bls12381G1 q)
    {
        if (p.IsInfinity)
            return q;
        if (q.IsInfinity)
            return p;
        Bls12381Fp z1z1 = p.Z.Square();
        Bls12381Fp z2z2 = q.Z.Square();
        Bls12381Fp u1 = p.X * z2z2;
        Bls12381Fp u2 = q.X * z1z1;
        Bls12381Fp s1 = p.Y * q.Z * z2z2;
        Bls12381Fp s2 = q.Y * p.Z * z1z1;
        Bls12381Fp h = u2 - u1;
        Bls12381Fp r = (s2 - s1).Double();
        if (h.IsZero)
            return r.IsZero ? p.Double() : Infinity;
        Bls12381Fp i = h.Double().Square();
        Bls12381Fp j = h * i;
        Bls12381Fp v = u1 * i;
        Bls12381Fp x3 = r.Square() - j - v.Double();
        Bls12381Fp y3 = r * (v - x3) - (s1 * j).Double();
        Bls12381Fp z3 = ((p.Z + q.Z).Square() - z1z1 - z2z2) * h;
        return new(x3, y3, z3);
    }

    /// <summary>
    /// Scalar multiplication by a little-endian limb scalar: a fixed 4-bit window (15 precomputed
    /// multiples, then four doublings and at most one addition per window). Not constant time: inputs are public.
    /// </summary>
    public Bls12381G1 Multiply(ReadOnlySpan<ulong> scalar)
    {
        Span<Bls12381G1> table = stackalloc Bls12381G1[16];
        table[0] = Infinity;
        table[1] = this;
        for (int i = 2; i < 16; i++)
            table[i] = (i & 1) == 0 ? table[i >> 1].Double() : table[i - 1] + this;

        Bls12381G1 result = Infinity;
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

    public bool EqualsPoint(in Bls12381G1 other)
    {
        if (IsInfinity || other.IsInfinity)
            return IsInfinity && other.IsInfinity;
        Bls12381Fp z1z1 = Z.Square();
        Bls12381Fp z2z2 = other.Z.Square();
        return X * z2z2 == other.X * z1z1 && Y * other.Z * z2z2 == other.Y * Z * z1z1;
    }

    /// <summary>True when the point lies in the order-r subgroup: r·P = O.</summary>
    public bool IsInSubgroup() => Multiply(Bls12381Scalar.Order).IsInfinity;
}
