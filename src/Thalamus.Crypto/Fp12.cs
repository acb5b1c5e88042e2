using System.Numerics;

namespace Thalamus.Crypto;

/// <summary>
/// F_p¹² = F_p⁶[w]/(w² − v), a pairing's target field, over a tower base <typeparamref name="T"/>;
/// an element is C0 + C1·w. As a polynomial in w over F_p² (w⁶ = ξ) the coefficients of w⁰…w⁵ are
/// C0.C0, C1.C0, C0.C1, C1.C1, C0.C2, C1.C2.
/// </summary>
internal readonly struct Fp12<T> : IEquatable<Fp12<T>> where T : unmanaged, ITowerBaseField<T>
{
    public readonly Fp6<T> C0;
    public readonly Fp6<T> C1;

    public static readonly Fp12<T> One = new(Fp6<T>.One, Fp6<T>.Zero);

    // FrobeniusCoefficients[n-1][k] = ξ^(k·(p^n − 1)/6): w^(k·p^n) = w^k · that.
    private static readonly T[][] FrobeniusCoefficients = ComputeFrobeniusCoefficients();

    public Fp12(in Fp6<T> c0, in Fp6<T> c1)
    {
        C0 = c0;
        C1 = c1;
    }

    public bool IsOne => C0 == Fp6<T>.One && C1.IsZero;

    public static Fp12<T> operator *(in Fp12<T> a, in Fp12<T> b)
    {
        Fp6<T> t0 = a.C0 * b.C0;
        Fp6<T> t1 = a.C1 * b.C1;
        Fp6<T> c1 = (a.C0 + a.C1) * (b.C0 + b.C1) - t0 - t1;
        return new(t0 + t1.MulByV(), c1);
    }

    /// <summary>Complex-method squaring: two F_p⁶ products.</summary>
    public Fp12<T> Square()
    {
        Fp6<T> t = C0 * C1;
        Fp6<T> c0 = (C0 + C1) * (C0 + C1.MulByV()) - t - t.MulByV();
        return new(c0, t + t);
    }

    /// <summary>
    /// Product with a line value of a D-type twist (BN254): (a + b·w + c·w³), i.e. C0 = (a, 0, 0), C1 = (b, c, 0).
    /// </summary>
    public Fp12<T> MulByLineDType(in T a, in T b, in T c)
    {
        Fp6<T> t0 = C0 * a;
        Fp6<T> t1 = C1.MulBy01(b, c);
        Fp6<T> c1 = (C0 + C1).MulBy01(a + b, c) - t0 - t1;
        return new(t0 + t1.MulByV(), c1);
    }

    /// <summary>
    /// Product with a line value of an M-type twist (BLS12-381): (a + b·w² + c·w³), i.e. C0 = (a, b, 0), C1 = (0, c, 0).
    /// </summary>
    public Fp12<T> MulByLineMType(in T a, in T b, in T c)
    {
        Fp6<T> t0 = C0.MulBy01(a, b);
        Fp6<T> t1 = C1.MulBy1(c);
        Fp6<T> c1 = (C0 + C1).MulBy01(a, b + c) - t0 - t1;
        return new(t0 + t1.MulByV(), c1);
    }

    /// <summary>
    /// Granger–Scott squaring, valid only in the cyclotomic subgroup (after the easy part of the final
    /// exponentiation). Seen over F_p⁴ = F_p²[s]/(s² − ξ), s = w³, the element is A + B·w + C·w² with
    /// A = (C0.C0, C1.C1), B = (C1.C0, C0.C2), C = (C0.C1, C1.C2), and its square is
    /// (3A² − 2Ā) + (3s·C² + 2B̄)·w + (3B² − 2C̄)·w².
    /// </summary>
    public Fp12<T> CyclotomicSquare()
    {
        Fp4Square(C0.C0, C1.C1, out var a0, out var a1);
        Fp4Square(C1.C0, C0.C2, out var b0, out var b1);
        Fp4Square(C0.C1, C1.C2, out var c0, out var c1);
        T sc0 = T.MulByNonResidue(c1);

        T g0 = T.Double(a0 - C0.C0) + a0;
        T h1 = T.Double(a1 + C1.C1) + a1;
        T h0 = T.Double(sc0 + C1.C0) + sc0;
        T g2 = T.Double(c0 - C0.C2) + c0;
        T g1 = T.Double(b0 - C0.C1) + b0;
        T h2 = T.Double(b1 + C1.C2) + b1;
        return new(new Fp6<T>(g0, g1, g2), new Fp6<T>(h0, h1, h2));
    }

    /// <summary>(x + y·s)² over F_p⁴ with s² = ξ.</summary>
    private static void Fp4Square(in T x, in T y, out T r0, out T r1)
    {
        T t0 = T.Square(x);
        T t1 = T.Square(y);
        r0 = T.MulByNonResidue(t1) + t0;
        r1 = T.Square(x + y) - t0 - t1;
    }

    /// <summary>x^e for x in the cyclotomic subgroup (square-and-multiply with cyclotomic squarings).</summary>
    public Fp12<T> CyclotomicPow(ulong exponent)
    {
        Fp12<T> result = One;
        for (int bit = 63 - BitOperations.LeadingZeroCount(exponent); bit >= 0; bit--)
        {
            result = result.CyclotomicSquare();
            if (((exponent >> bit) & 1) != 0)
                result *= this;
        }
        return result;
    }

    /// <summary>x^(p⁶): negates the w part. Equals the inverse on the cyclotomic subgroup.</summary>
    public Fp12<T> Conjugate() => new(C0, -C1);

    public Fp12<T> Inverse()
    {
        Fp6<T> t = (C0.Square() - C1.Square().MulByV()).Inverse();
        return new(C0 * t, -(C1 * t));
    }

    /// <summary>x^(p^power) for power 1, 2 or 3.</summary>
    public Fp12<T> Frobenius(int power)
    {
        T[] g = FrobeniusCoefficients[power - 1];
        bool conjugate = (power & 1) == 1;
        T Map(in T x, int k) => (conjugate ? T.Conjugate(x) : x) * g[k];
        return new(
            new Fp6<T>(Map(C0.C0, 0), Map(C0.C1, 2), Map(C0.C2, 4)),
            new Fp6<T>(Map(C1.C0, 1), Map(C1.C1, 3), Map(C1.C2, 5)));
    }

    /// <summary>x^e for a non-negative exponent (square-and-multiply).</summary>
    public Fp12<T> Pow(ulong exponent)
    {
        Fp12<T> result = One;
        for (int bit = 63 - BitOperations.LeadingZeroCount(exponent); bit >= 0; bit--)
        {
            result = result.Square();
            if (((exponent >> bit) & 1) != 0)
                result *= this;
        }
        return result;
    }

    public Fp12<T> Pow(BigInteger exponent)
    {
        Fp12<T> result = One;
        for (long bit = (long)exponent.GetBitLength() - 1; bit >= 0; bit--)
        {
            result = result.Square();
            if (!(exponent >> (int)bit).IsEven)
                result *= this;
        }
        return result;
    }

    private static T[][] ComputeFrobeniusCoefficients()
    {
        T xi = T.SexticNonResidue;
        BigInteger p = T.Characteristic;
        var table = new T[3][];
        for (int n = 1; n <= 3; n++)
        {
            BigInteger e = (BigInteger.Pow(p, n) - 1) / 6;
            T gamma = T.Pow(xi, e);
            table[n - 1] = new T[6];
            T acc = T.One;
            for (int k = 0; k < 6; k++)
            {
                table[n - 1][k] = acc;
                acc *= gamma;
            }
        }
        return table;
    }

    public bool Equals(Fp12<T> other) => C0.Equals(other.C0) && C1.Equals(other.C1);
    public override bool Equals(object? obj) => obj is Fp12<T> other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(C0, C1);
    public static bool operator ==(in Fp12<T> a, in Fp12<T> b) => a.Equals(b);
    public static bool operator !=(in Fp12<T> a, in Fp12<T> b) => !a.Equals(b);
    public override string ToString() => $"{{{C0}, {C1}}}";
}
