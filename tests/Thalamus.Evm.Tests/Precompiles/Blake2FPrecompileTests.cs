using Thalamus.Core;
using Thalamus.Evm.Precompiles;
using Xunit;
using static Thalamus.Evm.Tests.Precompiles.PrecompileTestInput;

namespace Thalamus.Evm.Tests.Precompiles;

public class Blake2FPrecompileTests
{
    // EIP-152 test vector 5 (12 rounds of F on "abc").
    private const string Body =
        "48c9bdf267e6096a3ba7ca8485ae67bb2bf894fe72f36e3cf1361d5f3af54fa5d182e6ad7f520e511f6c3e2b8c68059b6bbd41fbabd9831f79217e1319cde05b" +
        "6162630000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000000" +
        "03000000000000000000000000000000";

    [Fact]
    public void Gas_is_one_per_round()
    {
        var result = PrecompileRegistry.Run(At(0x09), Hex.Decode("0000000c" + Body + "01"), 12);
        Assert.True(result.Success);
        Assert.Equal(12, result.GasUsed);
        Assert.Equal("0xba80a53f981c4d0d6a2797b69f12f6e94c212f14685ac4b74b12bb6fdbffa2d17d87c5392aab792dc252d5de4533cc9518d38aa8dbf1925ab92386edd4009923", Hex.Encode(result.Output));

        var zeroRounds = PrecompileRegistry.Run(At(0x09), Hex.Decode("00000000" + Body + "01"), 0);
        Assert.True(zeroRounds.Success);
        Assert.Equal(0, zeroRounds.GasUsed);
    }

    [Theory]
    [InlineData("0000000c", "01", 11)]          // one gas short
    [InlineData("ffffffff", "01", 1_000_000)]   // 2^32-1 rounds: priced, never run
    [InlineData("0000000c", "02", 1_000)]       // bad final flag
    [InlineData("0000000c", "0100", 1_000)]     // 214 bytes
    [InlineData("00000c", "01", 1_000)]         // 212 bytes
    public void Invalid_or_underfunded_calls_fail_consuming_all_gas(string rounds, string final, long gas)
    {
        var result = PrecompileRegistry.Run(At(0x09), Hex.Decode(rounds + Body + final), gas);
        Assert.False(result.Success);
        Assert.Equal(gas, result.GasUsed);
        Assert.Empty(result.Output);
    }
}
