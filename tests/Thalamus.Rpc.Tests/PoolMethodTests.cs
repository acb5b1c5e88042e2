using Thalamus.Chain;
using Thalamus.Core;
using Xunit;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Rpc.Tests;

/// <summary>txpool_*, anvil_dropTransaction and eth_getRawTransactionByHash, against a real in-memory chain.</summary>
public sealed class PoolMethodTests : IDisposable
{
    private readonly TestChain _chain = new();
    private RpcDispatcher Rpc => _chain.Dispatcher;

    public void Dispose() => _chain.Dispose();

    [Fact]
    public void Txpool_methods_list_pending_and_queued_transactions_by_sender_and_nonce_in_geths_shapes()
    {
        Result(Rpc, "evm_setAutomine", "[false]");
        var sender = TestChain.AddressOf(1);
        var to = TestChain.AddressOf(2);
        var first = Result(Rpc, "eth_sendRawTransaction", $"[\"{TestChain.Sign(1, to, 0, value: 7, gas: 21_000)}\"]").GetString();
        Result(Rpc, "eth_sendRawTransaction", $"[\"{TestChain.Sign(1, to, 5, gas: 21_000)}\"]"); // a nonce gap: queued

        var status = Result(Rpc, "txpool_status");
        Assert.Equal("0x1", status.GetProperty("pending").GetString());
        Assert.Equal("0x1", status.GetProperty("queued").GetString());

        var content = Result(Rpc, "txpool_content");
        var pending = content.GetProperty("pending").GetProperty(sender.ToChecksumString()).GetProperty("0");
        Assert.Equal(first, pending.GetProperty("hash").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, pending.GetProperty("blockHash").ValueKind);
        Assert.True(content.GetProperty("queued").GetProperty(sender.ToChecksumString()).TryGetProperty("5", out _));

        var inspect = Result(Rpc, "txpool_inspect");
        Assert.Equal($"{to.ToChecksumString()}: 7 wei + 21000 gas × 10000000000 wei",
            inspect.GetProperty("pending").GetProperty(sender.ToChecksumString()).GetProperty("0").GetString());
    }

    [Fact]
    public void Dropping_a_pooled_transaction_removes_it_and_dropping_an_unknown_one_answers_null()
    {
        Result(Rpc, "evm_setAutomine", "[false]");
        var hash = Result(Rpc, "eth_sendRawTransaction", $"[\"{TestChain.Sign(1, TestChain.AddressOf(2), 0, gas: 21_000)}\"]").GetString();

        Assert.Equal(hash, Result(Rpc, "anvil_dropTransaction", $"[\"{hash}\"]").GetString());
        Assert.Equal("0x0", Result(Rpc, "txpool_status").GetProperty("pending").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, Result(Rpc, "eth_getTransactionByHash", $"[\"{hash}\"]").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, Result(Rpc, "anvil_dropTransaction", $"[\"{hash}\"]").ValueKind);
        Result(Rpc, "evm_mine");
        Assert.Empty(_chain.Chain.GetBlock(BlockSelector.Latest)!.Transactions);
    }

    [Fact]
    public void The_raw_transaction_of_a_mined_transaction_is_its_signed_envelope()
    {
        var raw = TestChain.Sign(0, TestChain.AddressOf(1), 0, value: 1, gas: 21_000);
        var hash = Result(Rpc, "eth_sendRawTransaction", $"[\"{raw}\"]").GetString();
        Assert.Equal(raw, Result(Rpc, "eth_getRawTransactionByHash", $"[\"{hash}\"]").GetString());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, Result(Rpc, "eth_getRawTransactionByHash", $"[\"{Keccak256.Compute("x"u8)}\"]").ValueKind);
    }
}
