using System.Numerics;

namespace Thalamus.Crypto;

/// <summary>
/// F_p¹² = F_p⁶[w]/(w² − v), the pairing's target field; an element is C0 + C1·w.
/// As a polynomial in w over F_p² (w⁶ = ξ) the coefficients of w⁰…w⁵ are
/// C0.C0, C1.C0, C0.C1, C1.C1, C0.C2, C1.C2.
/// </summary>
internal readonly struct Bls12381Fp12 : IEquatable<Bls12381Fp12>
{
    public readonly Bls12381Fp6 C0;
    public readonly Bls12381Fp6 C1;

    public static readonly Bls12381Fp12 One = new(Bls12381Fp6.One, Bls12381Fp6.Zero);

    // FrobeniusCoefficients[n-1][k] = ξ^(k·(p^n − 1)/6): w^(k·p^n) = w^k · that.
    private static readonly Bls12381Fp2[][] FrobeniusCoefficients = ComputeFrobeniusCoefficients();

    public Bls12381Fp12(in Bls12381Fp6 c0, in Bls12381Fp6 c1)
    {
        C0 = c0;
        C1 = c1;
    }

    public bool IsOne => C0 == Bls12381Fp6.One && C1.IsZero;

    public static Bls12381Fp12 operator *(in Bls12381Fp12 a, in Bls12381Fp12 b)
    {
        Bls12381Fp6 t0 = a.C0 * b.C0;
        Bls12381Fp6 t1 = a.C1 * b.C1;
        Bls12381Fp6 c1 = (a.C0 + a.C1) * (b.C0 + b.C1) - t0 - t1;
        return new(t0 + t1.MulByV(), c1);
    }

    /// <summary>Complex-method squaring: two F_p⁶ products.</summary>
    public Bls12381Fp12 Square()
    {
        Bls12381Fp6 t = C0 * C1;
        Bls12381Fp6 c0 = (C0 + C1) * (C0 + C1.MulByV()) - t - t.MulByV();
        return new(c0, t + t);
    }

    /// <summary>
    /// Product with a line value of the M-type twist: (a + b·w² + c·w³), i.e. C0 = (a, b, 0), C1 = (0, c, 0).
    /// </summary>
    public Bls12381Fp12 MulByLine(in Bls12381Fp2 a, in Bls12381Fp2 b, in Bls12381Fp2 c)
    {
        Bls12381Fp6 t0 = C0.MulBy01(a, b);
        Bls12381Fp6 t1 = C1.MulBy1(c);
        Bls12381Fp6 c1 = (C0 + C1).MulBy01(a, b + c) - t0 - t1;
        return new(t0 + t1.MulByV(), c1);
    }

    /// <summary>
    /// Granger–Scott squaring, valid only in the cyclotomic subgroup (after the easy part of the final
    /// exponentiation). Seen over F_p⁴ = F_p²[s]/(s² − ξ), s = w³, the element is A + B·w + C·w² with
    /// A = (C0.C0, C1.C1), B = (C1.C0, C0.C2), C = (C0.C1, C1.C2), and its square is
    /// (3A² − 2Ā) + (3s·C² + 2B̄)·w + (3B² − 2C̄)·w².
    /// </summary>
    public Bls12381Fp12 CyclotomicSquare()
    {
        Fp4Square(C0.C0, C1.C1, out var a0, out var a1);
        Fp4Square(C1.C0, C0.C2, out var b0, out var b1);
        Fp4Square(C0.C1, C1.C2, out var c0, out var c1);
        Bls12381Fp2 sc0 = c1.MulByNonResidue();

        Bls12381Fp2 g0 = (a0 - C0.C0).Double() + a0;
        Bls12381Fp2 h1 = (a1 + C1.C1).Double() + a1;
        Bls12381Fp2 h0 = (sc0 + C1.C0).Double() + sc0;
        Bls12381Fp2 g2 = (c0 - C0.C2).Double() + c0;
        Bls12381Fp2 g1 = (b0 - C0.C1).Double() + b0;
        Bls12381Fp2 h2 = (b1 + C1.C2).Double() + b1;
        return new(new Bls12381Fp6(g0, g1, g2), new Bls12381Fp6(h0, h1, h2));
    }

    /// <summary>(x + y·s)² over F_p⁴ with s² = ξ.</summary>
    private static void Fp4Square(in Bls12381Fp2 x, in Bls12381Fp2 y, out Bls12381Fp2 r0, out Bls12381Fp2 r1)
    {
        Bls12381Fp2 t0 = x.Square();
        Bls12381Fp2 t1 = y.Square();
        r0 = t1.MulByNonResidue() + t0;
        r1 = (x + y).Square() - t0 - t1;
    }

    /// <summary>x^e for x in the cyclotomic subgroup (square-and-multiply with cyclotomic squarings).</summary>
    public Bls12381Fp12 CyclotomicPow(ulong exponent)
    {
        Bls12381Fp12 result = One;
        for (int bit = 63 - BitOperations.LeadingZeroCount(exponent); bit >= 0; bit--)
        {
            result = result.CyclotomicSquare();
            if (((exponent >> bit) & 1) != 0)
                result *= this;
        }
        return result;
    }

    /// <summary>x^(p⁶): negates the w part. Equals the inverse on the cyclotomic subgroup.</summary>
    public Bls12381Fp12 Conjugate() => new(C0, -C1);

    public Bls12381Fp12 Inverse()
    {
        Bls12381Fp6 t = (C0.Square() - C1.Square().MulByV()).Inverse();
        return new(C0 * t, -(C1 * t));
    }

    /// <summary>x^(p^power) for power 1, 2 or 3.</summary>
    public Bls12381Fp12 Frobenius(int power)
    {
        Bls12381Fp2[] g = FrobeniusCoefficients[power - 1];
        bool conjugate = (power & 1) == 1;
        Bls12381Fp2 Map(in Bls12381Fp2 x, int k) => (conjugate ? x.Conjugate() : x) * g[k];
        return new(
            new Bls12381Fp6(Map(C0.C0, 0), Map(C0.C1, 2), Map(C0.C2, 4)),
            new Bls12381Fp6(Map(C1.C0, 1), Map(C1.C1, 3), Map(C1.C2, 5)));
    }

    /// <summary>x^e for a non-negative exponent (square-and-multiply).</summary>
    public Bls12381Fp12 Pow(ulong exponent)
    {
        Bls12381Fp12 result = One;
        for (int bit = 63 - BitOperations.LeadingZeroCount(exponent); bit >= 0; bit--)
        {
            result = result.Square();
            if (((exponent >> bit) & 1) != 0)
                result *= this;
        }
        return result;
    }

    public Bls12381Fp12 Pow(BigInteger exponent)
    {
        Bls12381Fp12 result = One;
        for (long bit = (long)exponent.GetBitLength() - 1; bit >= 0; bit--)
        {
            result = result.Square();
            if (!(exponent >> (int)bit).IsEven)
                result *= this;
        }
        return result;
    }

    private static Bls12381Fp2[][] ComputeFrobeniusCoefficients()
    {
        Bls12381Fp2 xi = new(Bls12381Fp.One, Bls12381Fp.One);
        BigInteger p = Bls12381Fp.Modulus;
        var table = new Bls12381Fp2[3][];
        for (int n = 1; n <= 3; n++)
        {
            BigInteger e = (BigInteger.Pow(p, n) - 1) / 6;
            Bls12381Fp2 gamma = xi.Pow(e);
            table[n - 1] = new Bls12381Fp2[6];
            Bls12381Fp2 acc = Bls12381Fp2.One;
            for (int k = 0; k < 6; k++)
            {
                table[n - 1][k] = acc;
                acc *= gamma;
            }
        }
        return table;
    }

    public bool Equals(Bls12381Fp12 other) => C0.Equals(other.C0) && C1.Equals(other.C1);
    public override bool Equals(object? obj) => obj is Bls12381Fp12 other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(C0, C1);
    public static bool operator ==(in Bls12381Fp12 a, in Bls12381Fp12 b) => a.Equals(b);
    public static bool operator !=(in Bls12381Fp12 a, in Bls12381Fp12 b) => !a.Equals(b);
    public override string ToString() => $"{{{C0}, {C1}}}";
}
