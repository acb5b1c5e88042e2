using BenchmarkDotNet.Attributes;
using Thalamus.Crypto;

namespace Thalamus.Benchmarks;

/// <summary>
/// The BN254 precompile primitives (0x06 add, 0x07 mul, 0x08 pairing with two pairs) and the KZG point
/// evaluation (0x0a), on the published EIP-196/197 and go-ethereum vectors.
/// </summary>
[MemoryDiagnoser]
public class Bn254Benchmarks
{
    private const string G1Gen = "0000000000000000000000000000000000000000000000000000000000000001" + "0000000000000000000000000000000000000000000000000000000000000002";
    private const string G2Gen = "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c21800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed090689d0585ff075ec9e99ad690c3395bc4b313370b38ef355acdadcd122975b12c85ea5db8c6deb4aab71808dcb408fe3d1e7690c43d37b4ce6cc0166fa7daa";
    private const string G2GenNeg = "198e9393920d483a7260bfb731fb5d25f1aa493335a9e71297e485b7aef312c21800deef121f1e76426a00665e5c4479674322d4f75edadd46debd5cd992f6ed275dc4a288d1afb3cbb1ac09187524c7db36395df7be3b99e673b13a075a65ec1d9befcd05a5323e6da4d435f3b617cdb3af83285c2df711ef39c01571827f9d";

    // bn256Add "chfast1", bn256ScalarMul "cdetrio6" (full 256-bit scalar), bn256Pairing "two_point_match_2".
    private readonly byte[] _add = Convert.FromHexString("18b18acfb4c2c30276db5411368e7185b311dd124691610c5d3b74034e093dc9063c909c4720840cb5134cb9f59fa749755796819658d32efc0d288198f3726607c2b7f58a84bd6145f00c9c2bc0bb1a187f20ff2c92963a88019e7c6a014eed06614e20c147e940f2d70da3f74c9a17df361706a4485c742bd6788478fa17d7");
    private readonly byte[] _mul = Convert.FromHexString("17c139df0efee0f766bc0204762b774362e4ded88953a39ce849a8a7fa163fa901e0559bacb160664764a357af8a9fe70baa9258e0b959273ffc5718c6d4cc7cffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff");
    private readonly byte[] _pairing = Convert.FromHexString(G1Gen + G2Gen + G1Gen + G2GenNeg);
    private readonly byte[] _kzg = Convert.FromHexString(
        "01e798154708fe7789429634053cbf9f99b619f9f084048927333fce637f549b" +
        "564c0a11a0f704f4fc3e8acfe0f8245f0ad1347b378fbf96e206da11a5d36306" +
        "24d25032e67a7e6a4910df5834b8fe70e6bcfeeac0352434196bdf4b2485d5a1" +
        "8f59a8d2a1a625a17f3fea0fe5eb8c896db3764f3185481bc22f91b4aaffcca25f26936857bc3a7c2539ea8ec3a952b7" +
        "873033e038326e87ed3e1276fd140253fa08e9fc25fb2d9a98527fc22a2c9612fbeafdad446cbc7bcdbdcd780af2c16a");
    private readonly byte[] _output = new byte[64];

    [Benchmark]
    public bool Add() => Bn254.TryAdd(_add, _output);

    [Benchmark]
    public bool Multiply() => Bn254.TryMultiply(_mul, _output);

    [Benchmark]
    public bool PairingTwoPairs() => Bn254.TryPairingCheck(_pairing, out bool isOne) && isOne;

    [Benchmark]
    public bool KzgPointEvaluation() => Kzg.TryVerifyPointEvaluation(_kzg);
}
