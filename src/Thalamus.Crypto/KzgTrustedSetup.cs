namespace Thalamus.Crypto;

/// <summary>
/// The two G2 points of the Ethereum KZG ceremony setup that point evaluation needs, in compressed form.
/// Source: the mainnet trusted_setup.txt of ethereum/c-kzg-4844 (the 2023 KZG ceremony output; the same
/// points are g2_monomial[0..1] of the consensus specs' mainnet trusted_setup_4096.json): line 4099 is the
/// generator, line 4100 is [τ]G2. The value is also the G2_SRS constant of revm's point evaluation
/// precompile, and the consensus-spec verify_kzg_proof vectors in the tests check it.
/// (Several unofficial copies of "trusted_setup.txt" in circulation carry other, test-only setups.)
/// </summary>
internal static class KzgTrustedSetup
{
    /// <summary>g2_monomial[0]: the BLS12-381 G2 generator.</summary>
    public const string G2GeneratorHex =
        "93e02b6052719f607dacd3a088274f65596bd0d09920b61ab5da61bbdc7f5049334cf11213945d57e5ac7d055d042b7e" +
        "024aa2b2f08f0a91260805272dc51051c6e47ad4fa403b02b4510b647ae3d1770bac0326a805bbefd48056c8c121bdb8";

    /// <summary>g2_monomial[1]: [τ]G2.</summary>
    public const string G2TauHex =
        "b5bfd7dd8cdeb128843bc287230af38926187075cbfbefa81009a2ce615ac53d2914e5870cb452d2afaaab24f3499f72" +
        "185cbfee53492714734429b7b38608e23926c911cceceac9a36851477ba4c60b087041de621000edc98edada20c1def2";

    public static readonly Bls12381G2 G2Generator = Decode(G2GeneratorHex);
    public static readonly Bls12381G2 G2Tau = Decode(G2TauHex);

    private static Bls12381G2 Decode(string hex)
    {
        if (!Bls12381Encoding.TryDecompressG2(Convert.FromHexString(hex), out var point))
            throw new InvalidOperationException("the embedded KZG setup point does not decode");
        return point;
    }
}
