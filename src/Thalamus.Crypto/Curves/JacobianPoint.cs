namespace Thalamus.Crypto;

/// <summary>
/// A point of y² = x³ + b (a = 0) over <typeparamref name="TField"/> in Jacobian coordinates (x = X/Z², y = Y/Z³);
/// Z = 0 is the point at infinity. Shared by the G1 and G2 groups of BN254 and BLS12-381; with struct type
/// arguments the JIT emits one specialized copy per curve, so it costs nothing over hand-written code.
/// </summary>
internal readonly struct JacobianPoint<TField, TCurve>
    where TField : unmanaged, IFieldElement<TField>
    where TCurve : unmanaged, ICurveParameters<TField>
{
    public readonly TField X;
    public readonly TField Y;
    public readonly TField Z;

    public static readonly JacobianPoint<TField, TCurve> Infinity = new(TField.One, TField.One, TField.Zero);

    public JacobianPoint(in TField x, in TField y, in TField z)
    {
        X = x;
        Y = y;
        Z = z;
    }

    public bool IsInfinity => TField.IsZero(Z);

    public static JacobianPoint<TField, TCurve> FromAffine(in TField x, in TField y) => new(x, y, TField.One);

    /// <summary>True when (x, y) satisfies y² = x³ + b.</summary>
    public static bool IsOnCurve(in TField x, in TField y) => TField.Square(y) == TField.Square(x) * x + TCurve.B;

    /// <summary>Affine coordinates; (0, 0) for the point at infinity (the EVM encoding).</summary>
    public void ToAffine(out TField x, out TField y)
    {
        if (IsInfinity)
        {
            x = TField.Zero;
            y = TField.Zero;
            return;
        }
        TField zInv = TField.Inverse(Z);
        TField zInv2 = TField.Square(zInv);
        x = X * zInv2;
        y = Y * zInv2 * zInv;
    }

    public JacobianPoint<TField, TCurve> Negate() => new(X, -Y, Z);

    /// <summary>Doubling for a = 0 (dbl-2009-l).</summary>
    public JacobianPoint<TField, TCurve> Double()
    {
        if (IsInfinity)
            return this;
        TField a = TField.Square(X);
        TField b = TField.Square(Y);
        TField c = TField.Square(b);
        TField d = TField.Double(TField.Square(X + b) - a - c);
        TField e = TField.Double(a) + a;
        TField f = TField.Square(e);
        TField x3 = f - TField.Double(d);
        TField y3 = e * (d - x3) - TField.Double(TField.Double(TField.Double(c)));
        TField z3 = TField.Double(Y * Z);
        return new(x3, y3, z3);
    }

    /// <summary>General addition (add-2007-bl) with the doubling and inverse cases handled.</summary>
    public static JacobianPoint<TField, TCurve> operator +(in JacobianPoint<TField, TCurve> p, in JacobianPoint<TField, TCurve> q)
    {
        if (p.IsInfinity)
            return q;
        if (q.IsInfinity)
            return p;
        TField z1z1 = TField.Square(p.Z);
        TField z2z2 = TField.Square(q.Z);
        TField u1 = p.X * z2z2;
        TField u2 = q.X * z1z1;
        TField s1 = p.Y * q.Z * z2z2;
        TField s2 = q.Y * p.Z * z1z1;
        TField h = u2 - u1;
        TField r = TField.Double(s2 - s1);
        if (TField.IsZero(h))
            return TField.IsZero(r) ? p.Double() : Infinity;
        TField i = TField.Square(TField.Double(h));
        TField j = h * i;
        TField v = u1 * i;
        TField x3 = TField.Square(r) - j - TField.Double(v);
        TField y3 = r * (v - x3) - TField.Double(s1 * j);
        TField z3 = (TField.Square(p.Z + q.Z) - z1z1 - z2z2) * h;
        return new(x3, y3, z3);
    }

    /// <summary>
    /// Scalar multiplication by a little-endian limb scalar: a fixed 4-bit window (15 precomputed
    /// multiples, then four doublings and at most one addition per window). Not constant time: inputs are public.
    /// </summary>
    public JacobianPoint<TField, TCurve> Multiply(ReadOnlySpan<ulong> scalar)
    {
        Span<JacobianPoint<TField, TCurve>> table = stackalloc JacobianPoint<TField, TCurve>[16];
        table[0] = Infinity;
        table[1] = this;
        for (int i = 2; i < 16; i++)
            table[i] = (i & 1) == 0 ? table[i >> 1].Double() : table[i - 1] + this;

        JacobianPoint<TField, TCurve> result = Infinity;
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

    /// <summary>Projective equality: X1·Z2² = X2·Z1² and Y1·Z2³ = Y2·Z1³.</summary>
    public bool EqualsPoint(in JacobianPoint<TField, TCurve> other)
    {
        if (IsInfinity || other.IsInfinity)
            return IsInfinity && other.IsInfinity;
        TField z1z1 = TField.Square(Z);
        TField z2z2 = TField.Square(other.Z);
        return X * z2z2 == other.X * z1z1 && Y * other.Z * z2z2 == other.Y * Z * z1z1;
    }
}
