namespace Thalamus.Crypto;

/// <summary>The BN254 sextic (D-type) twist: y² = x³ + 3/ξ over F_p², ξ = 9 + i.</summary>
internal readonly struct Bn254G2Curve : ICurveParameters<Bn254Fp2>
{
    private static readonly Bn254Fp2 BValue =
        new Bn254Fp2(Bn254Fp.FromUInt64(3), Bn254Fp.Zero) * new Bn254Fp2(Bn254Fp.FromUInt64(9), Bn254Fp.One).Inverse();

    public static Bn254Fp2 B => BValue;
}
