namespace Thalamus.Crypto;

/// <summary>BLS12-381: y² = x³ + 4 over F_p.</summary>
internal readonly struct Bls12381G1Curve : ICurveParameters<Bls12381Fp>
{
    private static readonly Bls12381Fp BValue = Bls12381Fp.FromUInt64(4);

    public static Bls12381Fp B => BValue;
}
