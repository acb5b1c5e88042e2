namespace Thalamus.Crypto;

/// <summary>BN254: y² = x³ + 3 over F_p.</summary>
internal readonly struct Bn254G1Curve : ICurveParameters<Bn254Fp>
{
    private static readonly Bn254Fp BValue = Bn254Fp.FromUInt64(3);

    public static Bn254Fp B => BValue;
}
