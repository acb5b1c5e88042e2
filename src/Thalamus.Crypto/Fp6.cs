namespace Thalamus.Crypto;

/// <summary>F_p⁶ = F_p²[v]/(v³ − ξ) over a tower base <typeparamref name="T"/>; an element is C0 + C1·v + C2·v².</summary>
internal readonly struct Fp6<T> : IEquatable<Fp6<T>> where T : unmanaged, ITowerBaseField<T>
{
    public readonly T C0;
    public readonly T C1;
    public readonly T C2;

    public static readonly Fp6<T> Zero = default;
    public static readonly Fp6<T> One = new(T.One, T.Zero, T.Zero);

    public Fp6(in T c0, in T c1, in T c2)
    {
        C0 = c0;
        C1 = c1;
        C2 = c2;
    }

    public bool IsZero => T.IsZero(C0) && T.IsZero(C1) && T.IsZero(C2);

    public static Fp6<T> operator +(in Fp6<T> a, in Fp6<T> b) => new(a.C0 + b.C0, a.C1 + b.C1, a.C2 + b.C2);

    public static Fp6<T> operator -(in Fp6<T> a, in Fp6<T> b) => new(a.C0 - b.C0, a.C1 - b.C1, a.C2 - b.C2);

    public static Fp6<T> operator -(in Fp6<T> a) => new(-a.C0, -a.C1, -a.C2);

    /// <summary>Karatsuba-style: six F_p² products.</summary>
    public static Fp6<T> operator *(in Fp6<T> a, in Fp6<T> b)
    {
        T t0 = a.C0 * b.C0;
        T t1 = a.C1 * b.C1;
        T t2 = a.C2 * b.C2;
        T c0 = T.MulByNonResidue((a.C1 + a.C2) * (b.C1 + b.C2) - t1 - t2) + t0;
        T c1 = (a.C0 + a.C1) * (b.C0 + b.C1) - t0 - t1 + T.MulByNonResidue(t2);
        T c2 = (a.C0 + a.C2) * (b.C0 + b.C2) - t0 - t2 + t1;
        return new(c0, c1, c2);
    }

    public static Fp6<T> operator *(in Fp6<T> a, in T b) => new(a.C0 * b, a.C1 * b, a.C2 * b);

    /// <summary>Product with a sparse b0 + b1·v (used by the line functions).</summary>
    public Fp6<T> MulBy01(in T b0, in T b1)
    {
        T t0 = C0 * b0;
        T t1 = C1 * b1;
        T c0 = T.MulByNonResidue((C1 + C2) * b1 - t1) + t0;
        T c1 = (C0 + C1) * (b0 + b1) - t0 - t1;
        T c2 = (C0 + C2) * b0 - t0 + t1;
        return new(c0, c1, c2);
    }

    /// <summary>Product with a sparse b1·v.</summary>
    public Fp6<T> MulBy1(in T b1) => new(T.MulByNonResidue(C2 * b1), C0 * b1, C1 * b1);

    /// <summary>Chung–Hasan SQR2 squaring.</summary>
    public Fp6<T> Square()
    {
        T s0 = T.Square(C0);
        T ab = C0 * C1;
        T s1 = ab + ab;
        T s2 = T.Square(C0 - C1 + C2);
        T bc = C1 * C2;
        T s3 = bc + bc;
        T s4 = T.Square(C2);
        return new(T.MulByNonResidue(s3) + s0, T.MulByNonResidue(s4) + s1, s1 + s2 + s3 - s0 - s4);
    }

    /// <summary>Multiplies by v: (c0, c1, c2)·v = (ξ·c2, c0, c1).</summary>
    public Fp6<T> MulByV() => new(T.MulByNonResidue(C2), C0, C1);

    public Fp6<T> Inverse()
    {
        T c0 = T.Square(C0) - T.MulByNonResidue(C1 * C2);
        T c1 = T.MulByNonResidue(T.Square(C2)) - C0 * C1;
        T c2 = T.Square(C1) - C0 * C2;
        T t = T.Inverse(C0 * c0 + T.MulByNonResidue(C2 * c1 + C1 * c2));
        return new(c0 * t, c1 * t, c2 * t);
    }

    public bool Equals(Fp6<T> other) => C0 == other.C0 && C1 == other.C1 && C2 == other.C2;
    public override bool Equals(object? obj) => obj is Fp6<T> other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(C0, C1, C2);
    public static bool operator ==(in Fp6<T> a, in Fp6<T> b) => a.Equals(b);
    public static bool operator !=(in Fp6<T> a, in Fp6<T> b) => !a.Equals(b);
    public override string ToString() => $"[{C0}, {C1}, {C2}]";
}
