namespace Thalamus.Crypto;

/// <summary>The BLS12-381 sextic (M-type) twist: y² = x³ + 4(1 + u) over F_p².</summary>
internal readonly struct Bls12381G2Curve : ICurveParameters<Bls12381Fp2>
{
    private static readonly Bls12381Fp2 BValue = new(Bls12381Fp.FromUInt64(4), Bls12381Fp.FromUInt64(4));

    public static Bls12381Fp2 B => BValue;
}
