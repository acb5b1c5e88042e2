using System.Numerics;
using System.Runtime.CompilerServices;

namespace Thalamus.Crypto;

/// <summary>F_p² = F_p[i]/(i² + 1) over the BN254 base field; an element is C0 + C1·i.</summary>
internal readonly struct Bn254Fp2 : IEquatable<Bn254Fp2>, ITowerBaseField<Bn254Fp2>
{
    public readonly Bn254Fp C0;
    public readonly Bn254Fp C1;

    public static readonly Bn254Fp2 Zero = default;
    public static readonly Bn254Fp2 One = new(Bn254Fp.One, Bn254Fp.Zero);

    public Bn254Fp2(in Bn254Fp c0, in Bn254Fp c1)
    {
        C0 = c0;
        C1 = c1;
    }

    public bool IsZero => C0.IsZero && C1.IsZero;
    public bool IsOne => C0.IsOne && C1.IsZero;

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fp2 operator +(in Bn254Fp2 a, in Bn254Fp2 b) => new(a.C0 + b.C0, a.C1 + b.C1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fp2 operator -(in Bn254Fp2 a, in Bn254Fp2 b) => new(a.C0 - b.C0, a.C1 - b.C1);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Bn254Fp2 operator -(in Bn254Fp2 a) => new(-a.C0, -a.C1);

    /// <summary>Karatsuba: three base-field products.</summary>
    public static Bn254Fp2 operator *(in Bn254Fp2 a, in Bn254Fp2 b)
    {
        Bn254Fp v0 = a.C0 * b.C0;
        Bn254Fp v1 = a.C1 * b.C1;
        Bn254Fp s = (a.C0 + a.C1) * (b.C0 + b.C1);
        return new(v0 - v1, s - v0 - v1);
    }

    public static Bn254Fp2 operator *(in Bn254Fp2 a, in Bn254Fp b) => new(a.C0 * b, a.C1 * b);

    public Bn254Fp2 Square()
    {
        Bn254Fp t = C0 * C1;
        return new((C0 + C1) * (C0 - C1), t + t);
    }

    public Bn254Fp2 Double() => new(C0.Double(), C1.Double());

    /// <summary>The Frobenius map x ↦ x^p, which on F_p² is conjugation.</summary>
    public Bn254Fp2 Conjugate() => new(C0, -C1);

    /// <summary>Multiplies by the sextic non-residue ξ = 9 + i that builds F_p⁶ (v³ = ξ).</summary>
    public Bn254Fp2 MulByNonResidue()
    {
        Bn254Fp c0x8 = C0.Double().Double().Double();
        Bn254Fp c1x8 = C1.Double().Double().Double();
        return new(c0x8 + C0 - C1, C0 + c1x8 + C1);
    }

    public Bn254Fp2 Inverse()
    {
        Bn254Fp t = (C0.Square() + C1.Square()).Inverse();
        return new(C0 * t, -(C1 * t));
    }

    public Bn254Fp2 Pow(BigInteger exponent)
    {
        Bn254Fp2 result = One;
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
    public bool TrySqrt(out Bn254Fp2 root)
    {
        BigInteger p = Bn254Fp.Modulus;
        Bn254Fp2 a1 = Pow((p - 3) / 4);
        Bn254Fp2 alpha = a1.Square() * this;
        Bn254Fp2 x0 = a1 * this;
        Bn254Fp2 minusOne = -One;
        if (alpha == minusOne)
            root = new Bn254Fp2(-x0.C1, x0.C0); // i·x0
        else
            root = (One + alpha).Pow((p - 1) / 2) * x0;
        return root.Square() == this;
    }

    public bool Equals(Bn254Fp2 other) => C0.Equals(other.C0) && C1.Equals(other.C1);
    public override bool Equals(object? obj) => obj is Bn254Fp2 other && Equals(other);
    public override int GetHashCode() => HashCode.Combine(C0, C1);
    public static bool operator ==(in Bn254Fp2 a, in Bn254Fp2 b) => a.Equals(b);
    public static bool operator !=(in Bn254Fp2 a, in Bn254Fp2 b) => !a.Equals(b);
    public override string ToString() => $"({C0} + {C1}·i)";

    // The generic curve arithmetic (JacobianPoint) reaches the operations through these.
    static Bn254Fp2 IFieldElement<Bn254Fp2>.Zero => Zero;
    static Bn254Fp2 IFieldElement<Bn254Fp2>.One => One;
    static Bn254Fp2 IFieldElement<Bn254Fp2>.Square(in Bn254Fp2 a) => a.Square();
    static Bn254Fp2 IFieldElement<Bn254Fp2>.Double(in Bn254Fp2 a) => a.Double();
    static Bn254Fp2 IFieldElement<Bn254Fp2>.Inverse(in Bn254Fp2 a) => a.Inverse();
    static bool IFieldElement<Bn254Fp2>.IsZero(in Bn254Fp2 a) => a.IsZero;

    // The pairing's tower (Fp6, Fp12) reaches ξ and the Frobenius map through these.
    static Bn254Fp2 ITowerBaseField<Bn254Fp2>.SexticNonResidue { get; } = new(Bn254Fp.FromUInt64(9), Bn254Fp.One);
    static BigInteger ITowerBaseField<Bn254Fp2>.Characteristic => Bn254Fp.Modulus;
    static Bn254Fp2 ITowerBaseField<Bn254Fp2>.MulByNonResidue(in Bn254Fp2 a) => a.MulByNonResidue();
    static Bn254Fp2 ITowerBaseField<Bn254Fp2>.Conjugate(in Bn254Fp2 a) => a.Conjugate();
    static Bn254Fp2 ITowerBaseField<Bn254Fp2>.Pow(in Bn254Fp2 a, BigInteger exponent) => a.Pow(exponent);
}
