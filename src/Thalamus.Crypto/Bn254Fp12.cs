using System.Numerics;

namespace Thalamus.Crypto;

/// <summary>
/// F_p¹² = F_p⁶[w]/(w² − v), the pairing's target field; an element is C0 + C1·w.
/// As a polynomial in w over F_p² (w⁶ = ξ) the coefficients of w⁰…w⁵ are
/// C0.C0, C1.C0, C0.C1, C1.C1, C0.C2, C1.C2.
/// </summary>
internal readonly struct Bn254Fp12 : IEquatable<Bn254Fp12>
{
    public readonly Bn254Fp6 C0;
    public readonly Bn254Fp6 C1;

    public static readonly Bn254Fp12 One = new(Bn254Fp6.One, Bn254Fp6.Zero);

    // FrobeniusCoefficients[n-1][k] = ξ^(k·(p^n − 1)/6): w^(k·p^n) = w^k · that.
    private static readonly Bn254Fp2[][] FrobeniusCoefficients = ComputeFrobeniusCoefficients();

    public Bn254Fp12(in Bn254Fp6 c0, in Bn254Fp6 c1)
    {
        C0 = c0;
        C1 = c1;
    }

    public bool IsOne => C0 == Bn254Fp6.One && C1.IsZero;

    public static Bn254Fp12 operator *(in Bn254Fp12 a, in Bn254Fp12 b)
    {
        Bn254Fp6 t0 = a.C0 * b.C0;
        Bn254Fp6 t1 = a.C1 * b.C1;
        Bn254Fp6 c1 = (a.C0 + a.C1) * (b.C0 + b.C1) - t0 - t1;
        return new(t0 + t1.MulByV(), c1);
    }

    /// <summary>Complex-method squaring: two F_p⁶ products.</summary>
    public Bn254Fp12 Square()
    {
        Bn254Fp6 t = C0 * C1;
        Bn254Fp6 c0 = (C0 + C1) * (C0 + C1.MulByV()) - t - t.MulByV();
        return new(c0, t + t);
    }

    /// <summary>
    /// Product with a line value of the D-type twist: (a + b·w + c·w³), i.e. C0 = (a, 0, 0), C1 = (b, c, 0).
    /// </summary>
    public Bn254Fp12 MulByLine(in Bn254Fp2 a, in Bn254Fp2 b, in Bn254Fp2 c)
    {
        Bn254Fp6 t0 = C0 * a;
        Bn254Fp6 t1 = C1.MulBy01(b, c);
        Bn254Fp6 c1 = (C0 + C1).MulBy01(a + b, c) - t0 - t1;
        return new(t0 + t1.MulByV(), c1);
    }

    /// <summary>
    /// Granger–Scott squaring, valid only in the cyclotomic subgroup (after the easy part of the final
    /// exponentiation). Seen over F_p⁴ = F_p²[s]/(s² − ξ), s = w³, the element is A + B·w + C·w² with
    /// A = (C0.C0, C1.C1), B = (C1.C0, C0.C2), C = (C0.C1, C1.C2), and its square is
    /// (3A² − 2Ā) + (3s·C² + 2B̄)·w + (3B² − 2C̄)·w².
    /// </summary>
    public Bn254Fp12 CyclotomicSquare()
    {
        Fp4Square(C0.C0, C1.C1, out var a0, out var a1);
        Fp4Square(C1.C0, C0.C2, out var b0, out var b1);
        Fp4Square(C0.C1, C1.C2, out var c0, out var c1);
        Bn254Fp2 sc0 = c1.MulByNonResidue();

        Bn254Fp2 g0 = (a0 - C0.C0).Double() + a0;
        Bn254Fp2 h1 = (a1 + C1.C1).Double() + a1;
        Bn254Fp2 h0 = (sc0 + C1.C0).Double() + sc0;
        Bn254Fp2 g2 = (c0 - C0.C2).Double() + c0;
        Bn254Fp2 g1 = (b0 - C0.C1).Double() + b0;
        Bn254Fp2 h2 = (b1 + C1.C2).Double() + b1;
        return new(new Bn254Fp6(g0, g1, g2), new Bn254Fp6(h0, h1, h2));
    }

    /// <summary>(x + y·s)² over F_p⁴ with s² = ξ.</summary>
    private static void Fp4Square(in Bn254Fp2 x, in Bn254Fp2 y, out Bn254Fp2 r0, out Bn254Fp2 r1)
    {
        Bn254Fp2 t0 = x.Square();
        Bn254Fp2 t1 = y.Square();
        r0 = t1.MulByNonResidue() + t0;
        r1 = (x + y).Square() - t0 - t1;
    }

    /// <summary>x^e for x in the cyclotomic subgroup (square-and-multiply with cyclotomic squarings).</summary>
    public Bn254Fp12 CyclotomicPow(ulong exponent)
    {
        Bn254Fp12 result = One;
        for (int bit = 63 - BitOperations.LeadingZeroCount(exponent); bit >= 0; bit--)
        {
            result = result.CyclotomicSquare();
            if (((exponent >> bit) & 1) != 0)
                result *= this;
        }
        return result;
    }

    /// <summary>x^(p⁶): negates the w part. Equals the inverse on the cyclotomic subgroup.</summary>
    public Bn254Fp12 Conjugate() => new(C0, -C1);

    public Bn254Fp12 Inverse()
    {
        Bn254Fp6 t = (C0.Square() - C1.Square().MulByV()).Inverse();
        return new(C0 * t, -(C1 * t));
    }

    /// <summary>x^(p^power) for power 1, 2 or 3.</summary>
    public Bn254Fp12 Frobenius(int power)
    {
        Bn254Fp2[] g = FrobeniusCoefficients[power - 1];
        bool conjugate = (power & 1) == 1;
        Bn254Fp2 Map(in Bn254Fp2 x, int k) => (conjugate ? x.Conjugate() : x) * g[k];
        return new(
            new Bn254Fp6(Map(C0.C0, 0), Map(C0.C1, 2), Map(C0.C2, 4)),
            new Bn254Fp6(Map(C1.C0, 1), Map(C1.C1, 3), Map(C1.C2, 5)));
    }

    /// <summary>x^e for a non-negative exponent (square-and-multiply).</summary>
    public Bn254Fp12 Pow(ulong exponent)
    {
        Bn254Fp12 result = One;
        for (int bit = 63 - BitOperations.LeadingZeroCount(exponent); bit >= 0; bit--)
        {
            result = result.Square();
            if (((exponent >> bit) & 1) != 0)
                result *= this;
        }
        return result;
    }

    public Bn254Fp12 Pow(BigInteger exponent)
    {
        Bn254Fp12 result = One;
        for (long bit = (long)exponent.GetBitLength() - 1; bit >= 0; bit--)
        {
            result = result.Square();
            if (!(exponent >> (int)bit).IsEven)
                result *= this;
        }
        return result;
    }

    private static Bn254Fp2[][] ComputeFrobeniusCoefficients()
    {
        Bn254Fp2 xi = new(Bn254Fp.FromUInt64(9), Bn254Fp.One);
        BigInteger p = Bn254Fp.Modulus;
        var table = new Bn254Fp2[3][];
        for (int n = 1; n <= 3; n++)
        {
            BigInteger e = (BigInteger.Pow(p, n) - 1) / 6;
            Bn254Fp2 gamma = xi.Pow(e);
            table[n - 1] = new Bn254Fp2[6];
            Bn254Fp2 acc = Bn254Fp2.One;
            for (int k = 0; k < 6; k++)
            {
                table[n - 1][k] = acc;
                acc *= gamma;
            }
        }
        return table;
    }

    public bool Equals(Bn254Fp12 other) => C0.Equals(other.C0) && C1.Equals(other.C1);
    public override bool Equals(object? obj) => obj is Bn254Fp12 other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(C0, C1);
    public static bool operator ==(in Bn254Fp12 a, in Bn254Fp12 b) => a.Equals(b);
    public static bool operator !=(in Bn254Fp12 a, in Bn254Fp12 b) => !a.Equals(b);
    public override string ToString() => $"{{{C0}, {C1}}}";
}
