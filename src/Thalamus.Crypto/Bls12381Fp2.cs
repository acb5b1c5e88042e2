using System.Numerics;
using System.Runtime.CompilerServices;

namespace Thalamus.Crypto;

/// <summary>F_p² = F_p[u]/(u² + 1) over the BLS12-381 base field; an element is C0 + C1·u.</summary>
internal readonly struct Bls12381Fp2 : IEquatable<Bls12381Fp2>, ITowerBaseField<Bls12381Fp2>
{
    public readonly Bls12381Fp C0;
    public readonly Bls12381Fp C1;

    public static readonly Bls12381Fp2 Zero = default;
    public static readonly Bls12381Fp2 One = new(Bls12381Fp.One, Bls12381Fp.Zero);

    public Bls12381Fp2(in Bls12381Fp c0, in Bls12381Fp c1)
    {
        C0 = c0;
        C1 = c1;
    }

    public bool IsZero => C0.IsZero && C1.IsZero;
    public bool IsOne => C0.IsOne && C1.IsZero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bls12381Fp2 operator +(in Bls12381Fp2 a, in Bls12381Fp2 b) => new(a.C0 + b.C0, a.C1 + b.C1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bls12381Fp2 operator -(in Bls12381Fp2 a, in Bls12381Fp2 b) => new(a.C0 - b.C0, a.C1 - b.C1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bls12381Fp2 operator -(in Bls12381Fp2 a) => new(-a.C0, -a.C1);

    /// <summary>Karatsuba: three base-field products.</summary>
    public static Bls12381Fp2 operator *(in Bls12381Fp2 a, in Bls12381Fp2 b)
    {
        Bls12381Fp v0 = a.C0 * b.C0;
        Bls12381Fp v1 = a.C1 * b.C1;
        Bls12381Fp s = (a.C0 + a.C1) * (b.C0 + b.C1);
        return new(v0 - v1, s - v0 - v1);
    }

    public static Bls12381Fp2 operator *(in Bls12381Fp2 a, in Bls12381Fp b) => new(a.C0 * b, a.C1 * b);

    public Bls12381Fp2 Square()
    {
        Bls12381Fp t = C0 * C1;
        return new((C0 + C1) * (C0 - C1), t + t);
    }

    public Bls12381Fp2 Double() => new(C0.Double(), C1.Double());

    /// <summary>The Frobenius map x ↦ x^p, which on F_p² is conjugation.</summary>
    public Bls12381Fp2 Conjugate() => new(C0, -C1);

    /// <summary>Multiplies by the sextic non-residue ξ = 1 + u that builds F_p⁶ (v³ = ξ).</summary>
    public Bls12381Fp2 MulByNonResidue() => new(C0 - C1, C0 + C1);

    /// <summary>
    /// The ZCash sign rule for F_p²: larger than its negation, comparing the u coefficient first
    /// (the real part decides only when the u coefficient is zero).
    /// </summary>
    public bool IsLexicographicallyLargest() => C1.IsZero ? C0.IsLexicographicallyLargest() : C1.IsLexicographicallyLargest();

    public Bls12381Fp2 Inverse()
    {
        Bls12381Fp t = (C0.Square() + C1.Square()).Inverse();
        return new(C0 * t, -(C1 * t));
    }

    public Bls12381Fp2 Pow(BigInteger exponent)
    {
        Bls12381Fp2 result = One;
        for (long bit = (long)exponent.GetBitLength() - 1; bit >= 0; bit--)
        {
            result = result.Square();
            if (!(exponent >> (int)bit).IsEven)
                result *= this;
        }
        return result;
    }

    /// <summary>
    /// A square root when one exists (Adj and Rodríguez-Henríquez, "Square root computation over even
    /// extension fields", algorithm 9, for p ≡ 3 mod 4). Not on a hot path.
    /// </summary>
    public bool TrySqrt(out Bls12381Fp2 root)
    {
        BigInteger p = Bls12381Fp.Modulus;
        Bls12381Fp2 a1 = Pow((p - 3) / 4);
        Bls12381Fp2 alpha = a1.Square() * this;
        Bls12381Fp2 x0 = a1 * this;
        Bls12381Fp2 minusOne = -One;
        if (alpha == minusOne)
            root = new Bls12381Fp2(-x0.C1, x0.C0); // u·x0
        else
            root = (One + alpha).Pow((p - 1) / 2) * x0;
        return root.Square() == this;
    }

    public bool Equals(Bls12381Fp2 other) => C0.Equals(other.C0) && C1.Equals(other.C1);
    public override bool Equals(object? obj) => obj is Bls12381Fp2 other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(C0, C1);
    public static bool operator ==(in Bls12381Fp2 a, in Bls12381Fp2 b) => a.Equals(b);
    public static bool operator !=(in Bls12381Fp2 a, in Bls12381Fp2 b) => !a.Equals(b);
    public override string ToString() => $"({C0} + {C1}·u)";

    // The generic curve arithmetic (JacobianPoint) reaches the operations through these.
    static Bls12381Fp2 IFieldElement<Bls12381Fp2>.Zero => Zero;
    static Bls12381Fp2 IFieldElement<Bls12381Fp2>.One => One;
    static Bls12381Fp2 IFieldElement<Bls12381Fp2>.Square(in Bls12381Fp2 a) => a.Square();
    static Bls12381Fp2 IFieldElement<Bls12381Fp2>.Double(in Bls12381Fp2 a) => a.Double();
    static Bls12381Fp2 IFieldElement<Bls12381Fp2>.Inverse(in Bls12381Fp2 a) => a.Inverse();
    static bool IFieldElement<Bls12381Fp2>.IsZero(in Bls12381Fp2 a) => a.IsZero;

    // The pairing's tower (Fp6, Fp12) reaches ξ and the Frobenius map through these.
    static Bls12381Fp2 ITowerBaseField<Bls12381Fp2>.SexticNonResidue { get; } = new(Bls12381Fp.One, Bls12381Fp.One);
    static BigInteger ITowerBaseField<Bls12381Fp2>.Characteristic => Bls12381Fp.Modulus;
    static Bls12381Fp2 ITowerBaseField<Bls12381Fp2>.MulByNonResidue(in Bls12381Fp2 a) => a.MulByNonResidue();
    static Bls12381Fp2 ITowerBaseField<Bls12381Fp2>.Conjugate(in Bls12381Fp2 a) => a.Conjugate();
    static Bls12381Fp2 ITowerBaseField<Bls12381Fp2>.Pow(in Bls12381Fp2 a, BigInteger exponent) => a.Pow(exponent);
}
