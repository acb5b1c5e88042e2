using System.Globalization;
using System.Text;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Crypto;
using Xunit;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Rpc.Tests;

/// <summary>The eth_* and dev methods against a real in-memory MemberChain.</summary>
public sealed class ChainMethodTests : IDisposable
{
    private readonly TestChain _chain = new(new RpcServerOptions { MaxLogBlockRange = 1000 });
    private RpcDispatcher Rpc => _chain.Dispatcher;

    public void Dispose() => _chain.Dispose();

    private static string Q(ulong value) => "0x" + value.ToString("x", CultureInfo.InvariantCulture);

    private static ulong ParseQ(JsonElement e) => ulong.Parse(e.GetString()![2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [Fact]
    public void Chain_id_block_number_and_node_info()
    {
        Assert.Equal(Q(TestChain.Id), Result(Rpc, "eth_chainId").GetString());
        Assert.Equal(TestChain.Id.ToString(CultureInfo.InvariantCulture), Result(Rpc, "net_version").GetString());
        Assert.Equal(Q(_chain.Chain.Head.Number), Result(Rpc, "eth_blockNumber").GetString());
        Assert.False(Result(Rpc, "eth_syncing").GetBoolean());
        Assert.True(Result(Rpc, "net_listening").GetBoolean());
        Assert.StartsWith("thalamus/", Result(Rpc, "web3_clientVersion").GetString());
        var accounts = Result(Rpc, "eth_accounts").EnumerateArray().Select(a => Address.Parse(a.GetString()!)).ToArray();
        Assert.Equal(TestChain.Accounts.Select(a => a.Address), accounts);
        Assert.Equal(Keccak256.Compute("abc"u8).ToString(), Result(Rpc, "web3_sha3", "[\"0x616263\"]").GetString());
    }

    [Fact]
    public void Transfer_is_mined_and_visible_through_every_query()
    {
        var to = Address.Parse("0x00000000000000000000000000000000000000b0");
        var value = new UInt256(123_456_789);
        var before = _chain.Chain.Head.Number;
        var receipt = _chain.Send(0, to, value: value);

        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        Assert.Equal(TestChain.AddressOf(0), Address.Parse(receipt.GetProperty("from").GetString()!));
        Assert.Equal(to, Address.Parse(receipt.GetProperty("to").GetString()!));
        Assert.Equal(IntrinsicGas.Transaction, ParseQ(receipt.GetProperty("gasUsed")));
        Assert.Equal(JsonValueKind.Null, receipt.GetProperty("contractAddress").ValueKind);
        Assert.Equal(before + 1, ParseQ(receipt.GetProperty("blockNumber")));
        Assert.Equal(Q(before + 1), Result(Rpc, "eth_blockNumber").GetString());
        Assert.Equal(value.ToHexString(), Result(Rpc, "eth_getBalance", $"[\"{to}\",\"latest\"]").GetString());
        Assert.Equal("0x0", Result(Rpc, "eth_getBalance", $"[\"{to}\",\"{Q(before)}\"]").GetString());

        var hash = receipt.GetProperty("transactionHash").GetString();
        var tx = Result(Rpc, "eth_getTransactionByHash", $"[\"{hash}\"]");
        Assert.Equal(hash, tx.GetProperty("hash").GetString());
        Assert.Equal(receipt.GetProperty("blockHash").GetString(), tx.GetProperty("blockHash").GetString());
        Assert.Equal(TestChain.AddressOf(0), Address.Parse(tx.GetProperty("from").GetString()!));
        Assert.Equal("0x2", tx.GetProperty("type").GetString());
        Assert.Equal(value.ToHexString(), tx.GetProperty("value").GetString());
        Assert.Equal(receipt.GetProperty("effectiveGasPrice").GetString(), tx.GetProperty("gasPrice").GetString());

        var hashOnly = Result(Rpc, "eth_getBlockByNumber", "[\"latest\", false]");
        Assert.Equal(hash, Assert.Single(hashOnly.GetProperty("transactions").EnumerateArray()).GetString());
        var full = Result(Rpc, "eth_getBlockByHash", $"[\"{hashOnly.GetProperty("hash").GetString()}\", true]");
        Assert.Equal(hash, Assert.Single(full.GetProperty("transactions").EnumerateArray()).GetProperty("hash").GetString());
        Assert.Equal("0x1", Result(Rpc, "eth_getBlockTransactionCountByNumber", "[\"latest\"]").GetString());
        Assert.Equal(hash, Result(Rpc, "eth_getTransactionByBlockNumberAndIndex", "[\"latest\", \"0x0\"]").GetProperty("hash").GetString());
        Assert.Equal(JsonValueKind.Null, Result(Rpc, "eth_getTransactionByBlockNumberAndIndex", "[\"latest\", \"0x1\"]").ValueKind);
        Assert.Equal(hash, Assert.Single(Result(Rpc, "eth_getBlockReceipts", "[\"latest\"]").EnumerateArray()).GetProperty("transactionHash").GetString());
        Assert.Equal(JsonValueKind.Null, Result(Rpc, "eth_getBlockByNumber", $"[\"{Q(before + 100)}\", false]").ValueKind);
        Assert.Equal(JsonValueKind.Null, Result(Rpc, "eth_getTransactionReceipt", $"[\"{Hash256.Zero}\"]").ValueKind);
    }

    [Fact]
    public void Nonces_count_pending_and_stale_nonces_get_geths_error()
    {
        var sender = TestChain.AddressOf(1);
        Assert.Equal("0x0", Result(Rpc, "eth_getTransactionCount", $"[\"{sender}\", \"pending\"]").GetString());
        _chain.Send(1, TestChain.AddressOf(2), value: 1);
        Assert.Equal("0x1", Result(Rpc, "eth_getTransactionCount", $"[\"{sender}\", \"latest\"]").GetString());
        var stale = TestChain.Sign(1, TestChain.AddressOf(2), 0, value: 2);
        var (code, message, _) = Error(Rpc, "eth_sendRawTransaction", $"[\"{stale}\"]");
        Assert.Equal(RpcErrorCodes.ServerError, code);
        Assert.Contains("nonce too low", message);
        (code, message, _) = Error(Rpc, "eth_sendRawTransaction", "[\"0xf8\"]");
        Assert.Equal(RpcErrorCodes.ServerError, code);
        Assert.False(string.IsNullOrWhiteSpace(message));
    }

    [Fact]
    public void Calls_estimates_and_reverts()
    {
        var reverter = _chain.Deploy(Bytecode.Reverter);
        Assert.Equal(Hex.Encode(Bytecode.Reverter), Result(Rpc, "eth_getCode", $"[\"{reverter}\", \"latest\"]").GetString());
        var (code, message, data) = Error(Rpc, "eth_call", $"[{{\"to\":\"{reverter}\"}}, \"latest\"]");
        Assert.Equal(RpcErrorCodes.ExecutionReverted, code);
        Assert.Equal("execution reverted: " + Bytecode.RevertReason, message);
        Assert.Equal(Hex.Encode(Bytecode.RevertData), data);
        (code, message, data) = Error(Rpc, "eth_estimateGas", $"[{{\"from\":\"{TestChain.AddressOf(0)}\",\"to\":\"{reverter}\"}}]");
        Assert.Equal(RpcErrorCodes.ExecutionReverted, code);
        Assert.Equal(Hex.Encode(Bytecode.RevertData), data);

        var estimate = Result(Rpc, "eth_estimateGas", $"[{{\"from\":\"{TestChain.AddressOf(0)}\",\"to\":\"{TestChain.AddressOf(1)}\",\"value\":\"0x1\"}}]");
        Assert.Equal(IntrinsicGas.Transaction, ParseQ(estimate));

        var emitter = _chain.Deploy(Bytecode.LogEmitter);
        Assert.Equal("0x", Result(Rpc, "eth_call", $"[{{\"to\":\"{emitter}\",\"input\":\"0x1234\"}}]").GetString());
        Assert.Equal("0x" + new string('0', 64), Result(Rpc, "eth_getStorageAt", $"[\"{emitter}\", \"0x0\", \"latest\"]").GetString());
    }

    [Fact]
    public void Logs_are_found_by_address_and_topic_and_through_polling_filters()
    {
        var emitter = _chain.Deploy(Bytecode.LogEmitter);
        var topicFilter = $"{{\"fromBlock\":\"earliest\",\"address\":\"{emitter}\",\"topics\":[\"{Bytecode.PingTopic}\"]}}";
        var logFilterId = Result(Rpc, "eth_newFilter", $"[{topicFilter}]").GetString();
        var blockFilterId = Result(Rpc, "eth_newBlockFilter").GetString();
        Assert.Equal(0, Result(Rpc, "eth_getFilterChanges", $"[\"{logFilterId}\"]").GetArrayLength());

        var receipt = _chain.Send(0, emitter, data: [0xca, 0xfe]);
        var log = Assert.Single(receipt.GetProperty("logs").EnumerateArray());
        Assert.Equal("0xcafe", log.GetProperty("data").GetString());

        var found = Assert.Single(Result(Rpc, "eth_getLogs", $"[{topicFilter}]").EnumerateArray());
        Assert.Equal(receipt.GetProperty("transactionHash").GetString(), found.GetProperty("transactionHash").GetString());
        Assert.Equal(Bytecode.PingTopic.ToString(), Assert.Single(found.GetProperty("topics").EnumerateArray()).GetString());
        var otherTopic = $"{{\"fromBlock\":\"earliest\",\"topics\":[\"{Hash256.Zero}\"]}}";
        Assert.Equal(0, Result(Rpc, "eth_getLogs", $"[{otherTopic}]").GetArrayLength());
        var byHash = $"{{\"blockHash\":\"{receipt.GetProperty("blockHash").GetString()}\"}}";
        Assert.Equal(1, Result(Rpc, "eth_getLogs", $"[{byHash}]").GetArrayLength());

        var changes = Result(Rpc, "eth_getFilterChanges", $"[\"{logFilterId}\"]");
        Assert.Equal("0xcafe", Assert.Single(changes.EnumerateArray()).GetProperty("data").GetString());
        Assert.Equal(0, Result(Rpc, "eth_getFilterChanges", $"[\"{logFilterId}\"]").GetArrayLength());
        Assert.Equal(1, Result(Rpc, "eth_getFilterLogs", $"[\"{logFilterId}\"]").GetArrayLength());
        var blocks = Result(Rpc, "eth_getFilterChanges", $"[\"{blockFilterId}\"]");
        Assert.Equal(receipt.GetProperty("blockHash").GetString(), Assert.Single(blocks.EnumerateArray()).GetString());

        Assert.True(Result(Rpc, "eth_uninstallFilter", $"[\"{logFilterId}\"]").GetBoolean());
        Assert.False(Result(Rpc, "eth_uninstallFilter", $"[\"{logFilterId}\"]").GetBoolean());
        var (code, message, _) = Error(Rpc, "eth_getFilterChanges", $"[\"{logFilterId}\"]");
        Assert.Equal((RpcErrorCodes.ServerError, "filter not found"), (code, message));
    }

    [Fact]
    public void Pending_transaction_filter_sees_pooled_transactions()
    {
        var filterId = Result(Rpc, "eth_newPendingTransactionFilter").GetString();
        var receipt = _chain.Send(2, TestChain.AddressOf(0), value: 1);
        var hashes = Result(Rpc, "eth_getFilterChanges", $"[\"{filterId}\"]").EnumerateArray().Select(h => h.GetString()).ToArray();
        Assert.Contains(receipt.GetProperty("transactionHash").GetString(), hashes);
    }

    [Fact]
    public void Send_transaction_signs_for_unlocked_accounts()
    {
        var to = Address.Parse("0x00000000000000000000000000000000000000c1");
        var hash = Result(Rpc, "eth_sendTransaction", $"[{{\"from\":\"{TestChain.AddressOf(1)}\",\"to\":\"{to}\",\"value\":\"0x64\"}}]").GetString();
        var receipt = Result(Rpc, "eth_getTransactionReceipt", $"[\"{hash}\"]");
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        Assert.Equal("0x64", Result(Rpc, "eth_getBalance", $"[\"{to}\"]").GetString());

        var legacy = Result(Rpc, "eth_sendTransaction", $"[{{\"from\":\"{TestChain.AddressOf(1)}\",\"to\":\"{to}\",\"gasPrice\":\"0x77359400\"}}]").GetString();
        Assert.Equal("0x0", Result(Rpc, "eth_getTransactionByHash", $"[\"{legacy}\"]").GetProperty("type").GetString());

        var (code, message, _) = Error(Rpc, "eth_sendTransaction", $"[{{\"from\":\"{to}\",\"to\":\"{to}\"}}]");
        Assert.Equal(RpcErrorCodes.ServerError, code);
        Assert.Contains("unknown account", message);
    }

    [Fact]
    public void Personal_sign_recovers_to_the_signer()
    {
        var signer = TestChain.AddressOf(0);
        var signature = Hex.Decode(Result(Rpc, "personal_sign", $"[\"0x68656c6c6f\", \"{signer}\"]").GetString()!);
        Assert.Equal(65, signature.Length);
        var hash = Keccak256.Compute([.. "\u0019Ethereum Signed Message:\n5"u8, .. "hello"u8]);
        var sig = new Signature(UInt256.FromBigEndian(signature.AsSpan(0, 32)), UInt256.FromBigEndian(signature.AsSpan(32, 32)), signature[64] - 27);
        Assert.True(Secp256k1.TryRecoverAddress(hash.Bytes, sig, out var recovered));
        Assert.Equal(signer, recovered);
        // eth_sign takes the address first; plain text is signed as UTF-8, like MetaMask.
        Assert.Equal(Hex.Encode(signature), Result(Rpc, "eth_sign", $"[\"{signer}\", \"hello\"]").GetString());
    }

    [Fact]
    public void Snapshot_mine_and_revert()
    {
        var start = _chain.Chain.Head.Number;
        var snapshot = Result(Rpc, "evm_snapshot").GetString();
        Assert.Equal("0x0", Result(Rpc, "evm_mine").GetString());
        Result(Rpc, "anvil_mine", "[\"0x3\"]");
        Assert.Equal(Q(start + 4), Result(Rpc, "eth_blockNumber").GetString());
        Assert.True(Result(Rpc, "evm_revert", $"[\"{snapshot}\"]").GetBoolean());
        Assert.Equal(Q(start), Result(Rpc, "eth_blockNumber").GetString());
        Assert.False(Result(Rpc, "evm_revert", $"[\"{snapshot}\"]").GetBoolean());
    }

    [Fact]
    public void Timestamps_can_be_set_for_the_next_block()
    {
        var target = _chain.Chain.Head.Timestamp + 1000;
        Result(Rpc, "evm_setNextBlockTimestamp", $"[{target}]");
        Result(Rpc, "evm_mine");
        Assert.Equal(Q(target), Result(Rpc, "eth_getBlockByNumber", "[\"latest\", false]").GetProperty("timestamp").GetString());
        Result(Rpc, "evm_mine", $"[{{\"timestamp\":{target + 50}}}]");
        Assert.Equal(Q(target + 50), Result(Rpc, "eth_getBlockByNumber", "[\"latest\", false]").GetProperty("timestamp").GetString());
        Assert.Equal(RpcErrorCodes.InvalidParams, Error(Rpc, "evm_mine", $"[{target - 10}]").Code);
    }

    [Fact]
    public void Automine_off_keeps_transactions_pending_until_mined()
    {
        Result(Rpc, "evm_setAutomine", "[false]");
        Assert.False(Result(Rpc, "anvil_getAutomine").GetBoolean());
        var nonce = _chain.Chain.GetTransactionCount(TestChain.AddressOf(0), BlockSelector.Pending);
        var hash = Result(Rpc, "eth_sendRawTransaction", $"[\"{TestChain.Sign(0, TestChain.AddressOf(1), nonce, value: 5)}\"]").GetString();
        Assert.Equal(JsonValueKind.Null, Result(Rpc, "eth_getTransactionReceipt", $"[\"{hash}\"]").ValueKind);
        var pending = Result(Rpc, "eth_getTransactionByHash", $"[\"{hash}\"]");
        Assert.Equal(JsonValueKind.Null, pending.GetProperty("blockHash").ValueKind);
        Assert.Equal(Q(nonce + 1), Result(Rpc, "eth_getTransactionCount", $"[\"{TestChain.AddressOf(0)}\", \"pending\"]").GetString());
        Result(Rpc, "evm_mine");
        Assert.Equal("0x1", Result(Rpc, "eth_getTransactionReceipt", $"[\"{hash}\"]").GetProperty("status").GetString());
    }

    [Fact]
    public void Fee_methods_answer_consistently()
    {
        var head = _chain.Chain.Head;
        var gasPrice = UInt256.Parse(Result(Rpc, "eth_gasPrice").GetString()!);
        var tip = UInt256.Parse(Result(Rpc, "eth_maxPriorityFeePerGas").GetString()!);
        Assert.True(gasPrice >= tip);
        Result(Rpc, "anvil_mine", "[\"0x4\"]");
        var history = Result(Rpc, "eth_feeHistory", "[\"0x3\", \"latest\", [25, 75]]");
        Assert.Equal(3, history.GetProperty("gasUsedRatio").GetArrayLength());
        Assert.Equal(4, history.GetProperty("baseFeePerGas").GetArrayLength());
        Assert.Equal(3, history.GetProperty("reward").GetArrayLength());
        Assert.Equal(2, history.GetProperty("reward")[0].GetArrayLength());
        Assert.Equal(Q(head.Number + 2), history.GetProperty("oldestBlock").GetString());
    }
}
