namespace Thalamus.Crypto;

/// <summary>F_p⁶ = F_p²[v]/(v³ − ξ), ξ = 1 + u; an element is C0 + C1·v + C2·v².</summary>
internal readonly struct Bls12381Fp6 : IEquatable<Bls12381Fp6>
{
    public readonly Bls12381Fp2 C0;
    public readonly Bls12381Fp2 C1;
    public readonly Bls12381Fp2 C2;

    public static readonly Bls12381Fp6 Zero = default;
    public static readonly Bls12381Fp6 One = new(Bls12381Fp2.One, Bls12381Fp2.Zero, Bls12381Fp2.Zero);

    public Bls12381Fp6(in Bls12381Fp2 c0, in Bls12381Fp2 c1, in Bls12381Fp2 c2)
    {
        C0 = c0;
        C1 = c1;
        C2 = c2;
    }

    public bool IsZero => C0.IsZero && C1.IsZero && C2.IsZero;

    public static Bls12381Fp6 operator +(in Bls12381Fp6 a, in Bls12381Fp6 b) => new(a.C0 + b.C0, a.C1 + b.C1, a.C2 + b.C2);
    public static Bls12381Fp6 operator -(in Bls12381Fp6 a, in Bls12381Fp6 b) => new(a.C0 - b.C0, a.C1 - b.C1, a.C2 - b.C2);
    public static Bls12381Fp6 operator -(in Bls12381Fp6 a) => new(-a.C0, -a.C1, -a.C2);

    /// <summary>Karatsuba-style: six F_p² products.</summary>
    public static Bls12381Fp6 operator *(in Bls12381Fp6 a, in Bls12381Fp6 b)
    {
        Bls12381Fp2 t0 = a.C0 * b.C0;
        Bls12381Fp2 t1 = a.C1 * b.C1;
        Bls12381Fp2 t2 = a.C2 * b.C2;
        Bls12381Fp2 c0 = ((a.C1 + a.C2) * (b.C1 + b.C2) - t1 - t2).MulByNonResidue() + t0;
        Bls12381Fp2 c1 = (a.C0 + a.C1) * (b.C0 + b.C1) - t0 - t1 + t2.MulByNonResidue();
        Bls12381Fp2 c2 = (a.C0 + a.C2) * (b.C0 + b.C2) - t0 - t2 + t1;
        return new(c0, c1, c2);
    }

    public static Bls12381Fp6 operator *(in Bls12381Fp6 a, in Bls12381Fp2 b) => new(a.C0 * b, a.C1 * b, a.C2 * b);

    /// <summary>Product with a sparse b0 + b1·v (used by the line functions).</summary>
    public Bls12381Fp6 MulBy01(in Bls12381Fp2 b0, in Bls12381Fp2 b1)
    {
        Bls12381Fp2 t0 = C0 * b0;
        Bls12381Fp2 t1 = C1 * b1;
        Bls12381Fp2 c0 = ((C1 + C2) * b1 - t1).MulByNonResidue() + t0;
        Bls12381Fp2 c1 = (C0 + C1) * (b0 + b1) - t0 - t1;
        Bls12381Fp2 c2 = (C0 + C2) * b0 - t0 + t1;
        return new(c0, c1, c2);
    }

    /// <summary>Product with a sparse b1·v.</summary>
    public Bls12381Fp6 MulBy1(in Bls12381Fp2 b1)
    {
        return new((C2 * b1).MulByNonResidue(), C0 * b1, C1 * b1);
    }

    /// <summary>Chung–Hasan SQR2 squaring.</summary>
    public Bls12381Fp6 Square()
    {
        Bls12381Fp2 s0 = C0.Square();
        Bls12381Fp2 ab = C0 * C1;
        Bls12381Fp2 s1 = ab + ab;
        Bls12381Fp2 s2 = (C0 - C1 + C2).Square();
        Bls12381Fp2 bc = C1 * C2;
        Bls12381Fp2 s3 = bc + bc;
        Bls12381Fp2 s4 = C2.Square();
        return new(s3.MulByNonResidue() + s0, s4.MulByNonResidue() + s1, s1 + s2 + s3 - s0 - s4);
    }

    /// <summary>Multiplies by v: (c0, c1, c2)·v = (ξ·c2, c0, c1).</summary>
    public Bls12381Fp6 MulByV() => new(C2.MulByNonResidue(), C0, C1);

    public Bls12381Fp6 Inverse()
    {
        Bls12381Fp2 c0 = C0.Square() - (C1 * C2).MulByNonResidue();
        Bls12381Fp2 c1 = C2.Square().MulByNonResidue() - C0 * C1;
        Bls12381Fp2 c2 = C1.Square() - C0 * C2;
        Bls12381Fp2 t = (C0 * c0 + (C2 * c1 + C1 * c2).MulByNonResidue()).Inverse();
        return new(c0 * t, c1 * t, c2 * t);
    }

    public bool Equals(Bls12381Fp6 other) => C0.Equals(other.C0) && C1.Equals(other.C1) && C2.Equals(other.C2);
    public override bool Equals(object? obj) => obj is Bls12381Fp6 other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(C0, C1, C2);
    public static bool operator ==(in Bls12381Fp6 a, in Bls12381Fp6 b) => a.Equals(b);
    public static bool operator !=(in Bls12381Fp6 a, in Bls12381Fp6 b) => !a.Equals(b);
    public override string ToString() => $"[{C0}, {C1}, {C2}]";
}
