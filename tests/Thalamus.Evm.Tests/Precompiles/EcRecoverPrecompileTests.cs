using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Evm.Precompiles;
using Xunit;
using static Thalamus.Evm.Tests.Precompiles.PrecompileTestInput;

namespace Thalamus.Evm.Tests.Precompiles;

public class EcRecoverPrecompileTests
{
    private static readonly byte[] DevKey = Hex.Decode("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
    private static readonly Address DevAddress = Address.Parse("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266");

    private static byte[] Input(byte[] hash, UInt256 v, UInt256 r, UInt256 s) =>
        Concat(hash, v.ToBigEndian(), r.ToBigEndian(), s.ToBigEndian());

    private static (byte[] Hash, Signature Signature) Signed()
    {
        byte[] hash = Keccak256.Compute("ecrecover precompile"u8).ToArray();
        return (hash, Secp256k1.Sign(hash, DevKey));
    }

    [Fact]
    public void Recovers_the_signer_as_a_left_padded_word()
    {
        var (hash, sig) = Signed();
        var result = PrecompileRegistry.Run(At(0x01), Input(hash, (ulong)(27 + sig.RecoveryId), sig.R, sig.S), 5000);

        Assert.True(result.Success);
        Assert.Equal(3000, result.GasUsed);
        Assert.Equal(32, result.Output.Length);
        Assert.Equal(new byte[12], result.Output[..12]);
        Assert.Equal(DevAddress, new Address(result.Output.AsSpan(12)));
    }

    [Fact]
    public void Extra_input_beyond_128_bytes_is_ignored()
    {
        var (hash, sig) = Signed();
        byte[] input = Concat(Input(hash, (ulong)(27 + sig.RecoveryId), sig.R, sig.S), [1, 2, 3]);
        var result = PrecompileRegistry.Run(At(0x01), input, 3000);
        Assert.Equal(DevAddress, new Address(result.Output.AsSpan(12)));
    }

    [Fact]
    public void High_s_is_accepted_by_the_precompile()
    {
        var (hash, sig) = Signed();
        var result = PrecompileRegistry.Run(At(0x01), Input(hash, (ulong)(27 + (sig.RecoveryId ^ 1)), sig.R, Secp256k1.N - sig.S), 3000);
        Assert.Equal(DevAddress, new Address(result.Output.AsSpan(12)));
    }

    public static TheoryData<string> InvalidSignatures() => new()
    {
        "v=26", "v=29", "v=0", "v high bytes", "r=0", "s=0", "r=N", "s=N", "truncated",
    };

    [Theory]
    [MemberData(nameof(InvalidSignatures))]
    public void Invalid_signatures_succeed_with_empty_output_and_full_price(string variant)
    {
        var (hash, sig) = Signed();
        UInt256 v = (ulong)(27 + sig.RecoveryId), r = sig.R, s = sig.S;
        byte[] input = variant switch
        {
            "v=26" => Input(hash, 26, r, s),
            "v=29" => Input(hash, 29, r, s),
            "v=0" => Input(hash, 0, r, s),
            "v high bytes" => Input(hash, v + (UInt256.One << 200), r, s),
            "r=0" => Input(hash, v, UInt256.Zero, s),
            "s=0" => Input(hash, v, r, UInt256.Zero),
            "r=N" => Input(hash, v, Secp256k1.N, s),
            "s=N" => Input(hash, v, r, Secp256k1.N),
            _ => Input(hash, v, r, s)[..100], // s is cut short and padded with zeros: a different signature or none
        };

        var result = PrecompileRegistry.Run(At(0x01), input, 10_000);

        Assert.True(result.Success);
        Assert.Equal(3000, result.GasUsed);
        if (variant == "truncated")
            Assert.True(result.Output.Length == 0 || new Address(result.Output.AsSpan(12)) != DevAddress);
        else
            Assert.Empty(result.Output);
    }

    [Fact]
    public void Empty_input_is_an_invalid_signature_not_a_failure()
    {
        var result = PrecompileRegistry.Run(At(0x01), [], 3000);
        Assert.True(result.Success);
        Assert.Equal(3000, result.GasUsed);
        Assert.Empty(result.Output);
    }
}
