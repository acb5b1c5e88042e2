using System.IO.Compression;
using System.Text;
using System.Text.Json;
using Thalamus.Core;
using Xunit;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Rpc.Tests;

/// <summary>anvil_dumpState and anvil_loadState in anvil's shapes, between two real MemberChains.</summary>
public sealed class StateDumpMethodTests : IDisposable
{
    private const string Target = "0x00000000000000000000000000000000000000aa";
    private static readonly string SlotFive = "0x" + new string('0', 63) + "5";
    private static readonly string Word42 = "0x" + new string('0', 62) + "2a";

    private readonly TestChain _source = new();
    private readonly TestChain _destination = new();

    public void Dispose()
    {
        _source.Dispose();
        _destination.Dispose();
    }

    private static JsonElement Decode(string hex)
    {
        using var input = new GZipStream(new MemoryStream(Hex.Decode(hex)), CompressionMode.Decompress);
        using var reader = new StreamReader(input, Encoding.UTF8);
        using var document = JsonDocument.Parse(reader.ReadToEnd());
        return document.RootElement.Clone();
    }

    [Fact]
    public void A_dump_is_gzipped_json_in_anvil_s_shape_with_every_account_s_fields_and_slots()
    {
        Result(_source.Dispatcher, "anvil_setCode", $"[\"{Target}\", \"0x6001\"]");
        Result(_source.Dispatcher, "anvil_setNonce", $"[\"{Target}\", \"0x3\"]");
        Result(_source.Dispatcher, "anvil_setStorageAt", $"[\"{Target}\", \"{SlotFive}\", \"{Word42}\"]");
        // A transfer sealed into a block, so the dump spans committed and pending state.
        Result(_source.Dispatcher, "eth_sendRawTransaction", $"[\"{TestChain.Sign(0, TestChain.AddressOf(2), 0, value: 7)}\"]");

        var dump = Decode(Result(_source.Dispatcher, "anvil_dumpState").GetString()!);

        foreach (var key in new[] { "block", "accounts", "best_block_number", "blocks", "transactions", "historical_states" })
            Assert.True(dump.TryGetProperty(key, out _), $"anvil's key {key} is missing");
        var accounts = dump.GetProperty("accounts");
        var target = accounts.GetProperty(Target);
        Assert.Equal(3, target.GetProperty("nonce").GetInt32());
        Assert.Equal("0x6001", target.GetProperty("code").GetString());
        Assert.Equal(Word42, target.GetProperty("storage").GetProperty(SlotFive).GetString());
        var sender = accounts.GetProperty(Hex.Encode(TestChain.AddressOf(0).Bytes));
        Assert.Equal(1, sender.GetProperty("nonce").GetInt32());
        var recipient = accounts.GetProperty(Hex.Encode(TestChain.AddressOf(2).Bytes));
        Assert.Equal(Result(_source.Dispatcher, "eth_getBalance", $"[\"{TestChain.AddressOf(2)}\", \"latest\"]").GetString(), recipient.GetProperty("balance").GetString());
        Assert.Equal(Result(_source.Dispatcher, "eth_blockNumber").GetString(), dump.GetProperty("thalamus").GetProperty("number").GetString());
    }

    [Fact]
    public void A_loaded_dump_gives_the_other_chain_the_same_accounts_and_the_same_state_root_after_a_block()
    {
        Result(_source.Dispatcher, "anvil_setCode", $"[\"{Target}\", \"0x6001\"]");
        Result(_source.Dispatcher, "anvil_setStorageAt", $"[\"{Target}\", \"{SlotFive}\", \"{Word42}\"]");
        Result(_source.Dispatcher, "eth_sendRawTransaction", $"[\"{TestChain.Sign(1, TestChain.AddressOf(2), 0, value: 1000)}\"]");
        var dump = Result(_source.Dispatcher, "anvil_dumpState").GetString();

        Assert.True(Result(_destination.Dispatcher, "anvil_loadState", $"[\"{dump}\"]").GetBoolean());

        Assert.Equal("0x6001", Result(_destination.Dispatcher, "eth_getCode", $"[\"{Target}\", \"latest\"]").GetString());
        Assert.Equal(Word42, Result(_destination.Dispatcher, "eth_getStorageAt", $"[\"{Target}\", \"{SlotFive}\", \"latest\"]").GetString());
        Assert.Equal("0x1", Result(_destination.Dispatcher, "eth_getTransactionCount", $"[\"{TestChain.AddressOf(1)}\", \"latest\"]").GetString());
        // Both chains now hold the same accounts: the next block's state roots agree.
        Result(_source.Dispatcher, "evm_mine");
        Result(_destination.Dispatcher, "evm_mine");
        Assert.Equal(_source.Chain.Head.StateRoot, _destination.Chain.Head.StateRoot);
    }

    [Fact]
    public void Loading_merges_slots_into_the_existing_state_and_keeps_the_others()
    {
        var otherSlot = "0x" + new string('0', 63) + "9";
        Result(_destination.Dispatcher, "anvil_setStorageAt", $"[\"{Target}\", \"{otherSlot}\", \"{Word42}\"]");
        var plain = $"{{\"block\":null,\"accounts\":{{\"{Target}\":{{\"nonce\":\"0x2\",\"balance\":\"0x10\",\"code\":\"0x\",\"storage\":{{\"0x5\":\"0x7\"}}}}}}}}";

        Assert.True(Result(_destination.Dispatcher, "anvil_loadState", $"[\"{Hex.Encode(Encoding.UTF8.GetBytes(plain))}\"]").GetBoolean());

        Assert.Equal("0x" + new string('0', 63) + "7", Result(_destination.Dispatcher, "eth_getStorageAt", $"[\"{Target}\", \"0x5\", \"latest\"]").GetString());
        Assert.Equal(Word42, Result(_destination.Dispatcher, "eth_getStorageAt", $"[\"{Target}\", \"{otherSlot}\", \"latest\"]").GetString());
        Assert.Equal("0x2", Result(_destination.Dispatcher, "eth_getTransactionCount", $"[\"{Target}\", \"latest\"]").GetString());
        Assert.Equal("0x10", Result(_destination.Dispatcher, "eth_getBalance", $"[\"{Target}\", \"latest\"]").GetString());
    }

    [Theory]
    [InlineData("0x1234", "not valid JSON")]
    [InlineData("0x1f8b0000", "not valid gzip")]
    [InlineData("0x7b7d", "no \\\"accounts\\\" object")]
    [InlineData("0x7b226163636f756e7473223a7b22307831323334223a7b7d7d7d", "is not an address")]
    public void A_malformed_dump_is_refused_with_anvil_s_error_and_the_reason(string hex, string reason)
    {
        var (code, message, _) = Error(_destination.Dispatcher, "anvil_loadState", $"[\"{hex}\"]");

        Assert.Equal(-32602, code);
        Assert.StartsWith("Failed to decode state dump", message, StringComparison.Ordinal);
        Assert.Contains(reason.Replace("\\\"", "\"", StringComparison.Ordinal), message, StringComparison.Ordinal);
    }
}
