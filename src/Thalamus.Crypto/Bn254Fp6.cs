namespace Thalamus.Crypto;

/// <summary>F_p⁶ = F_p²[v]/(v³ − ξ), ξ = 9 + i; an element is C0 + C1·v + C2·v².</summary>
internal readonly struct Bn254Fp6 : IEquatable<Bn254Fp6>
{
    public readonly Bn254Fp2 C0;
    public readonly Bn254Fp2 C1;
    public readonly Bn254Fp2 C2;

    public static readonly Bn254Fp6 Zero = default;
    public static readonly Bn254Fp6 One = new(Bn254Fp2.One, Bn254Fp2.Zero, Bn254Fp2.Zero);

    public Bn254Fp6(in Bn254Fp2 c0, in Bn254Fp2 c1, in Bn254Fp2 c2)
    {
        C0 = c0;
        C1 = c1;
        C2 = c2;
    }

    public bool IsZero => C0.IsZero && C1.IsZero && C2.IsZero;

    public static Bn254Fp6 operator +(in Bn254Fp6 a, in Bn254Fp6 b) => new(a.C0 + b.C0, a.C1 + b.C1, a.C2 + b.C2);
    public static Bn254Fp6 operator -(in Bn254Fp6 a, in Bn254Fp6 b) => new(a.C0 - b.C0, a.C1 - b.C1, a.C2 - b.C2);
    public static Bn254Fp6 operator -(in Bn254Fp6 a) => new(-a.C0, -a.C1, -a.C2);

    /// <summary>Karatsuba-style: six F_p² products.</summary>
    public static Bn254Fp6 operator *(in Bn254Fp6 a, in Bn254Fp6 b)
    {
        Bn254Fp2 t0 = a.C0 * b.C0;
        Bn254Fp2 t1 = a.C1 * b.C1;
        Bn254Fp2 t2 = a.C2 * b.C2;
        Bn254Fp2 c0 = ((a.C1 + a.C2) * (b.C1 + b.C2) - t1 - t2).MulByNonResidue() + t0;
        Bn254Fp2 c1 = (a.C0 + a.C1) * (b.C0 + b.C1) - t0 - t1 + t2.MulByNonResidue();
        Bn254Fp2 c2 = (a.C0 + a.C2) * (b.C0 + b.C2) - t0 - t2 + t1;
        return new(c0, c1, c2);
    }

    public static Bn254Fp6 operator *(in Bn254Fp6 a, in Bn254Fp2 b) => new(a.C0 * b, a.C1 * b, a.C2 * b);

    /// <summary>Product with a sparse b0 + b1·v (used by the line functions).</summary>
    public Bn254Fp6 MulBy01(in Bn254Fp2 b0, in Bn254Fp2 b1)
    {
        Bn254Fp2 t0 = C0 * b0;
        Bn254Fp2 t1 = C1 * b1;
        Bn254Fp2 c0 = ((C1 + C2) * b1 - t1).MulByNonResidue() + t0;
        Bn254Fp2 c1 = (C0 + C1) * (b0 + b1) - t0 - t1;
        Bn254Fp2 c2 = (C0 + C2) * b0 - t0 + t1;
        return new(c0, c1, c2);
    }

    /// <summary>Product with a sparse b1·v.</summary>
    public Bn254Fp6 MulBy1(in Bn254Fp2 b1)
    {
        return new((C2 * b1).MulByNonResidue(), C0 * b1, C1 * b1);
    }

    /// <summary>Chung–Hasan SQR2 squaring.</summary>
    public Bn254Fp6 Square()
    {
        Bn254Fp2 s0 = C0.Square();
        Bn254Fp2 ab = C0 * C1;
        Bn254Fp2 s1 = ab + ab;
        Bn254Fp2 s2 = (C0 - C1 + C2).Square();
        Bn254Fp2 bc = C1 * C2;
        Bn254Fp2 s3 = bc + bc;
        Bn254Fp2 s4 = C2.Square();
        return new(s3.MulByNonResidue() + s0, s4.MulByNonResidue() + s1, s1 + s2 + s3 - s0 - s4);
    }

    /// <summary>Multiplies by v: (c0, c1, c2)·v = (ξ·c2, c0, c1).</summary>
    public Bn254Fp6 MulByV() => new(C2.MulByNonResidue(), C0, C1);

    public Bn254Fp6 Inverse()
    {
        Bn254Fp2 c0 = C0.Square() - (C1 * C2).MulByNonResidue();
        Bn254Fp2 c1 = C2.Square().MulByNonResidue() - C0 * C1;
        Bn254Fp2 c2 = C1.Square() - C0 * C2;
        Bn254Fp2 t = (C0 * c0 + (C2 * c1 + C1 * c2).MulByNonResidue()).Inverse();
        return new(c0 * t, c1 * t, c2 * t);
    }

    public bool Equals(Bn254Fp6 other) => C0.Equals(other.C0) && C1.Equals(other.C1) && C2.Equals(other.C2);
    public override bool Equals(object? obj) => obj is Bn254Fp6 other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(C0, C1, C2);
    public static bool operator ==(in Bn254Fp6 a, in Bn254Fp6 b) => a.Equals(b);
    public static bool operator !=(in Bn254Fp6 a, in Bn254Fp6 b) => !a.Equals(b);
    public override string ToString() => $"[{C0}, {C1}, {C2}]";
}
