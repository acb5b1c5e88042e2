using System.Security.Cryptography;
using Thalamus.Crypto;
using Xunit;

namespace Thalamus.Crypto.Tests;

/// <summary>
/// EIP-4844 point evaluation. Vectors: go-ethereum's core/vm/testdata/precompiles/pointEvaluation.json and
/// c-kzg-4844's tests/verify_kzg_proof/kzg-mainnet/*/data.yaml (the consensus-spec verify_kzg_proof cases:
/// output true, false, or null for invalid input; the precompile answers false for both of the latter).
/// </summary>
public class KzgPointEvaluationTests
{
    private const string BlsModulusHex = "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000001";

    private static byte[] VersionedHash(byte[] commitment)
    {
        byte[] hash = SHA256.HashData(commitment);
        hash[0] = 0x01;
        return hash;
    }

    private static byte[] Input(string commitment, string z, string y, string proof)
    {
        byte[] c = Convert.FromHexString(commitment);
        return [.. VersionedHash(c), .. Convert.FromHexString(z), .. Convert.FromHexString(y), .. c, .. Convert.FromHexString(proof)];
    }

    [Fact]
    public void Go_ethereum_precompile_vector_verifies()
    {
        byte[] input = Convert.FromHexString(
            "01e798154708fe7789429634053cbf9f99b619f9f084048927333fce637f549b" +
            "564c0a11a0f704f4fc3e8acfe0f8245f0ad1347b378fbf96e206da11a5d36306" +
            "24d25032e67a7e6a4910df5834b8fe70e6bcfeeac0352434196bdf4b2485d5a1" +
            "8f59a8d2a1a625a17f3fea0fe5eb8c896db3764f3185481bc22f91b4aaffcca25f26936857bc3a7c2539ea8ec3a952b7" +
            "873033e038326e87ed3e1276fd140253fa08e9fc25fb2d9a98527fc22a2c9612fbeafdad446cbc7bcdbdcd780af2c16a");
        Assert.True(Kzg.TryVerifyPointEvaluation(input));
    }

    [Fact]
    public void A_proof_made_with_a_pre_ceremony_setup_does_not_verify()
    {
        // go-ethereum's earlier pointEvaluation1 vector (as still carried by erigon) was produced with a
        // test setup from before the KZG ceremony; it is well-formed but must not verify against mainnet's [τ]G2.
        byte[] input = Convert.FromHexString(
            "013c03613f6fc558fb7e61e75602241ed9a2f04e36d8670aadd286e71b5ca9cc" +
            "0000000000000000000000000000000000000000000000000000000000000042" +
            "3c8e9f367d9c417c78ca1700993dae1987f44bd5e8ea33a7f62ebc6c35a2e531" +
            "83fac17c3f237fc51f90e2c660eb202a438bc2025baded5cd193c1a018c5885bc9281ba704d5566082e851235c7be763" +
            "b2a99adff965e0a121ee972ebc472d02944a74f5c6243e14052e105124b70bf65faf85ad3a494325e269fad097842cba");
        Assert.False(Kzg.TryVerifyPointEvaluation(input));
    }

    public static TheoryData<string, string, string, string, string, bool> SpecVectors => new()
    {
        {
            "correct_proof_31ebd010e6098750",
            "8f59a8d2a1a625a17f3fea0fe5eb8c896db3764f3185481bc22f91b4aaffcca25f26936857bc3a7c2539ea8ec3a952b7",
            "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000000",
            "1522a4a7f34e1ea350ae07c29c96c7e79655aa926122e95fe69fcbd932ca49e9",
            "a62ad71d14c5719385c0686f1871430475bf3a00f0aa3f7b8dd99a9abc2160744faf0070725e00b60ad9a026a15b1a8c",
            true
        },
        {
            "correct_proof_4_2",
            "8f59a8d2a1a625a17f3fea0fe5eb8c896db3764f3185481bc22f91b4aaffcca25f26936857bc3a7c2539ea8ec3a952b7",
            "0000000000000000000000000000000000000000000000000000000000000002",
            "549345dd3612e36fab0ab7baffe3faa5b820d56b71348c89ecaf63f7c4f85370",
            "a35c4f136a09a33c6437c26dc0c617ce6548a14bc4af7127690a411f5e1cde2f73157365212dbcea6432e0e7869cb006",
            true
        },
        {
            "correct_proof_392169c16a2e5ef6",
            "a421e229565952cfff4ef3517100a97da1d4fe57956fa50a442f92af03b1bf37adacc8ad4ed209b31287ea5bb94d9d06",
            "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000000",
            "304962b3598a0adf33189fdfd9789feab1096ff40006900400000003fffffffc",
            "aa86c458b3065e7ec244033a2ade91a7499561f482419a3a372c42a636dad98262a2ce926d142fd7cfe26ca148efe8b4",
            true
        },
        {
            "correct_proof_point_at_infinity_for_twos_poly_177b58dc7a46b08f",
            "a572cbea904d67468808c8eb50a9450c9721db309128012543902d0ac358a62ae28f75bb8f1c7c42c39a8c5529bf0f4e",
            "5eb7004fe57383e6c88b99d839937fddf3f99279353aaf8d5c9a75f91ce33c62",
            "0000000000000000000000000000000000000000000000000000000000000002",
            "c00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
            true
        },
        {
            "correct_proof_point_at_infinity_for_zero_poly_3ac8dc31e9aa6a70",
            "c00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
            "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000000",
            "0000000000000000000000000000000000000000000000000000000000000000",
            "c00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
            true
        },
        {
            "incorrect_proof_392169c16a2e5ef6",
            "a421e229565952cfff4ef3517100a97da1d4fe57956fa50a442f92af03b1bf37adacc8ad4ed209b31287ea5bb94d9d06",
            "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000000",
            "304962b3598a0adf33189fdfd9789feab1096ff40006900400000003fffffffc",
            "b08a5afbb1717334e08e05576b07bff58e8851d8cfd9ea71da1ab4233ad4217cffabd669dfa89c3ebf4c44f91694a2f4",
            false
        },
        {
            "incorrect_proof_4_1",
            "8f59a8d2a1a625a17f3fea0fe5eb8c896db3764f3185481bc22f91b4aaffcca25f26936857bc3a7c2539ea8ec3a952b7",
            "0000000000000000000000000000000000000000000000000000000000000001",
            "60f840641ec0d0c0d2b77b2d5a393b329442721fad05ab78c7b98f2aa3c20ec9",
            "98613e9e1b1ed52fc2fdc54e945b863ff52870e6565307ff9e32327196d7a03c428fc51a9abedc97de2a68daa1274b50",
            false
        },
        {
            "incorrect_proof_point_at_infinity_392169c16a2e5ef6",
            "a421e229565952cfff4ef3517100a97da1d4fe57956fa50a442f92af03b1bf37adacc8ad4ed209b31287ea5bb94d9d06",
            "73eda753299d7d483339d80809a1d80553bda402fffe5bfeffffffff00000000",
            "304962b3598a0adf33189fdfd9789feab1096ff40006900400000003fffffffc",
            "c00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000",
            false
        },
        {
            "invalid_commitment_2 (not on the curve)",
            "8123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            "0000000000000000000000000000000000000000000000000000000000000001",
            "1824b159acc5056f998c4fefecbc4ff55884b7fa0003480200000001fffffffe",
            "b0c829a8d2d3405304fecbea193e6c67f7c3912a6adc7c3737ad3f8a3b750425c1531a7426f03033a3994bc82a10609f",
            false
        },
        {
            "invalid_commitment_3",
            "8123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde0",
            "0000000000000000000000000000000000000000000000000000000000000001",
            "1824b159acc5056f998c4fefecbc4ff55884b7fa0003480200000001fffffffe",
            "b0c829a8d2d3405304fecbea193e6c67f7c3912a6adc7c3737ad3f8a3b750425c1531a7426f03033a3994bc82a10609f",
            false
        },
        {
            "invalid_proof_2 (not on the curve)",
            "a421e229565952cfff4ef3517100a97da1d4fe57956fa50a442f92af03b1bf37adacc8ad4ed209b31287ea5bb94d9d06",
            "0000000000000000000000000000000000000000000000000000000000000001",
            "1824b159acc5056f998c4fefecbc4ff55884b7fa0003480200000001fffffffe",
            "8123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef",
            false
        },
        {
            "invalid_proof_e9d3e9ec16fbc15f",
            "a421e229565952cfff4ef3517100a97da1d4fe57956fa50a442f92af03b1bf37adacc8ad4ed209b31287ea5bb94d9d06",
            "0000000000000000000000000000000000000000000000000000000000000001",
            "1824b159acc5056f998c4fefecbc4ff55884b7fa0003480200000001fffffffe",
            "8123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcde0",
            false
        },
    };

    [Theory]
    [MemberData(nameof(SpecVectors))]
    public void Consensus_spec_vectors(string name, string commitment, string z, string y, string proof, bool expected)
    {
        Assert.True(expected == Kzg.TryVerifyPointEvaluation(Input(commitment, z, y, proof)), name);
    }

    [Fact]
    public void A_wrong_versioned_hash_fails()
    {
        byte[] input = Input(
            "8f59a8d2a1a625a17f3fea0fe5eb8c896db3764f3185481bc22f91b4aaffcca25f26936857bc3a7c2539ea8ec3a952b7",
            "0000000000000000000000000000000000000000000000000000000000000002",
            "549345dd3612e36fab0ab7baffe3faa5b820d56b71348c89ecaf63f7c4f85370",
            "a35c4f136a09a33c6437c26dc0c617ce6548a14bc4af7127690a411f5e1cde2f73157365212dbcea6432e0e7869cb006");
        Assert.True(Kzg.TryVerifyPointEvaluation(input));

        byte[] wrongVersion = (byte[])input.Clone();
        wrongVersion[0] = 0x02;
        Assert.False(Kzg.TryVerifyPointEvaluation(wrongVersion));

        byte[] wrongHash = (byte[])input.Clone();
        wrongHash[31] ^= 1;
        Assert.False(Kzg.TryVerifyPointEvaluation(wrongHash));
    }

    [Fact]
    public void Field_elements_at_or_above_the_modulus_fail()
    {
        // The zero polynomial: commitment and proof at infinity, y = 0, any z — valid unless z or y is not canonical.
        const string infinity = "c00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
        const string zero = "0000000000000000000000000000000000000000000000000000000000000000";
        Assert.True(Kzg.TryVerifyPointEvaluation(Input(infinity, "0000000000000000000000000000000000000000000000000000000000000005", zero, infinity)));
        Assert.False(Kzg.TryVerifyPointEvaluation(Input(infinity, BlsModulusHex, zero, infinity)));
        Assert.False(Kzg.TryVerifyPointEvaluation(Input(infinity, zero, BlsModulusHex, infinity)));
        Assert.False(Kzg.TryVerifyPointEvaluation(Input(infinity, new string('f', 64), zero, infinity)));
    }

    public static TheoryData<string, string> MalformedPoints => new()
    {
        { "compression flag missing", "00" + new string('0', 94) },
        { "infinity with the sign flag", "e0" + new string('0', 94) },
        { "infinity with stray bits", "c0" + new string('0', 93) + "1" },
        { "x = p (not canonical)", "9a0111ea397fe69a4b1ba7b6434bacd764774b84f38512bf6730d2a0f6b0f6241eabfffeb153ffffb9feffffffffaaab" },
        // x = 0: 0³ + 4 = 4 is a square, so (0, ±2) is on the curve, but it is not in the order-r subgroup.
        { "on the curve, outside G1", "80" + new string('0', 94) },
    };

    [Theory]
    [MemberData(nameof(MalformedPoints))]
    public void Malformed_or_non_subgroup_points_fail(string why, string point)
    {
        const string zero = "0000000000000000000000000000000000000000000000000000000000000000";
        const string infinity = "c00000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000";
        Assert.False(Bls12381Encoding.TryDecompressG1(Convert.FromHexString(point), out _), why);
        Assert.False(Kzg.TryVerifyPointEvaluation(Input(point, zero, zero, infinity)), why);
        Assert.False(Kzg.TryVerifyPointEvaluation(Input(infinity, zero, zero, point)), why);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(191)]
    [InlineData(193)]
    public void Other_lengths_fail(int length)
    {
        Assert.False(Kzg.TryVerifyPointEvaluation(new byte[length]));
    }
}
