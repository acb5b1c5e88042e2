using System.Numerics;

namespace Thalamus.Crypto;

/// <summary>
/// The quadratic extension F_p² that a pairing's sextic tower is built on:
/// F_p⁶ = F_p²[v]/(v³ − ξ) (<see cref="Fp6{T}"/>) and F_p¹² = F_p⁶[w]/(w² − v) (<see cref="Fp12{T}"/>).
/// BN254 and BLS12-381 differ only in p and ξ, so the tower is written once over this.
/// </summary>
internal interface ITowerBaseField<TSelf> : IFieldElement<TSelf> where TSelf : unmanaged, ITowerBaseField<TSelf>
{
    /// <summary>ξ, the sextic non-residue: v³ = ξ.</summary>
    static abstract TSelf SexticNonResidue { get; }

    /// <summary>The characteristic p of the base field (for the Frobenius coefficients).</summary>
    static abstract BigInteger Characteristic { get; }

    /// <summary>a·ξ, cheaper than a general product.</summary>
    static abstract TSelf MulByNonResidue(in TSelf a);

    /// <summary>The Frobenius map a ↦ a^p, which on F_p² is conjugation.</summary>
    static abstract TSelf Conjugate(in TSelf a);

    static abstract TSelf Pow(in TSelf a, BigInteger exponent);
}
