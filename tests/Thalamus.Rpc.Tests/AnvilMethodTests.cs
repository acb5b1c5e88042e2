using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Crypto;
using Xunit;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Rpc.Tests;

/// <summary>anvil's block settings, anvil_nodeInfo/anvil_metadata, eth_signTransaction and eth_signTypedData_v4, against a real in-memory chain.</summary>
public sealed class AnvilMethodTests : IDisposable
{
    // The "Mail" example of EIP-712, whose digest the EIP gives.
    private const string MailTypedData = """
        {"types":{"EIP712Domain":[{"name":"name","type":"string"},{"name":"version","type":"string"},{"name":"chainId","type":"uint256"},{"name":"verifyingContract","type":"address"}],
        "Person":[{"name":"name","type":"string"},{"name":"wallet","type":"address"}],
        "Mail":[{"name":"from","type":"Person"},{"name":"to","type":"Person"},{"name":"contents","type":"string"}]},
        "primaryType":"Mail",
        "domain":{"name":"Ether Mail","version":"1","chainId":1,"verifyingContract":"0xCcCCccccCCCCcCCCCCCcCcCccCcCCCcCcccccccC"},
        "message":{"from":{"name":"Cow","wallet":"0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826"},"to":{"name":"Bob","wallet":"0xbBbBBBBbbBBBbbbBbbBbbbbBBbBbbbbBbBbbBBbB"},"contents":"Hello, Bob!"}}
        """;

    private const string MailDigest = "0xbe609aee343fb3c4b28e1df9e632fca64fcfaede20f02e86244efddf30957bd2";

    private readonly TestChain _chain = new();
    private RpcDispatcher Rpc => _chain.Dispatcher;

    public void Dispose() => _chain.Dispose();

    [Fact]
    public void After_setCoinbase_the_next_blocks_name_the_new_coinbase_as_miner_and_pay_it_the_tips()
    {
        var coinbase = Address.Parse("0x00000000000000000000000000000000c0ffee00");
        Assert.Equal(JsonValueKind.Null, Result(Rpc, "anvil_setCoinbase", $"[\"{coinbase}\"]").ValueKind);

        var receipt = _chain.Send(0, TestChain.AddressOf(1), value: new UInt256(1));
        var block = Result(Rpc, "eth_getBlockByHash", $"[\"{receipt.GetProperty("blockHash").GetString()}\", false]");
        Assert.Equal(coinbase.ToString(), block.GetProperty("miner").GetString(), ignoreCase: true);
        Assert.Equal(coinbase.ToString(), Result(Rpc, "eth_coinbase").GetString(), ignoreCase: true);
        Assert.True(_chain.Chain.GetBalance(coinbase, BlockSelector.Latest) > UInt256.Zero);
    }

    [Fact]
    public void SetNextBlockBaseFeePerGas_sets_the_next_blocks_base_fee_only()
    {
        Assert.Equal(JsonValueKind.Null, Result(Rpc, "anvil_setNextBlockBaseFeePerGas", "[\"0x1a13b8600\"]").ValueKind); // 7 gwei
        Result(Rpc, "evm_mine");
        Assert.Equal("0x1a13b8600", Result(Rpc, "eth_getBlockByNumber", "[\"latest\", false]").GetProperty("baseFeePerGas").GetString());
        Result(Rpc, "evm_mine");
        // The block after follows EIP-1559 from it: an empty parent lowers it by an eighth.
        Assert.Equal(new UInt256(6_125_000_000).ToHexString(), Result(Rpc, "eth_getBlockByNumber", "[\"latest\", false]").GetProperty("baseFeePerGas").GetString());
    }

    [Fact]
    public void SetMinGasPrice_is_refused_because_EIP_1559_is_active_as_anvil_refuses_it()
    {
        var (code, message, _) = Error(Rpc, "anvil_setMinGasPrice", "[\"0x1\"]");
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Equal("anvil_setMinGasPrice is not supported when EIP-1559 is active", message);
    }

    [Fact]
    public void A_block_timestamp_interval_spaces_the_next_blocks_until_it_is_removed()
    {
        Result(Rpc, "evm_mine");
        var first = _chain.Chain.Head.Timestamp;
        Assert.Equal(JsonValueKind.Null, Result(Rpc, "anvil_setBlockTimestampInterval", "[100]").ValueKind);
        Result(Rpc, "evm_mine");
        Assert.Equal(first + 100, _chain.Chain.Head.Timestamp);
        Result(Rpc, "evm_mine");
        Assert.Equal(first + 200, _chain.Chain.Head.Timestamp);

        Assert.True(Result(Rpc, "anvil_removeBlockTimestampInterval").GetBoolean());
        Assert.False(Result(Rpc, "anvil_removeBlockTimestampInterval").GetBoolean());
        Result(Rpc, "evm_mine");
        // Time continues from the last spaced block, by the clock again.
        Assert.InRange(_chain.Chain.Head.Timestamp, first + 201, first + 260);
    }

    [Fact]
    public void SetBlockGasLimit_answers_true_and_the_later_blocks_have_that_gas_limit()
    {
        Assert.True(Result(Rpc, "evm_setBlockGasLimit", "[\"0x989680\"]").GetBoolean());
        Result(Rpc, "evm_mine");
        Assert.Equal("0x989680", Result(Rpc, "eth_getBlockByNumber", "[\"latest\", false]").GetProperty("gasLimit").GetString());
        Assert.Equal("0x989680", Result(Rpc, "anvil_nodeInfo").GetProperty("environment").GetProperty("gasLimit").GetString());

        // A transaction needing more gas than the new limit is refused, as anvil refuses it.
        var (code, message, _) = Error(Rpc, "eth_sendRawTransaction", $"[\"{TestChain.Sign(0, TestChain.AddressOf(1), 0, gas: 20_000_000)}\"]");
        Assert.Contains("exceeds block gas limit", message);

        (code, message, _) = Error(Rpc, "evm_setBlockGasLimit", "[\"0x1\"]");
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Contains("invalid block gas limit 1", message);
    }

    [Fact]
    public void NodeInfo_describes_the_head_and_environment_in_anvils_shape()
    {
        Result(Rpc, "evm_mine");
        var head = _chain.Chain.Head;
        var info = Result(Rpc, "anvil_nodeInfo");
        Assert.Equal("0x1", info.GetProperty("currentBlockNumber").GetString());
        Assert.Equal(head.Timestamp, info.GetProperty("currentBlockTimestamp").GetUInt64());
        Assert.Equal(head.Hash.ToString(), info.GetProperty("currentBlockHash").GetString());
        Assert.Equal("cancun", info.GetProperty("hardFork").GetString());
        Assert.Equal("fees", info.GetProperty("transactionOrder").GetString());
        var environment = info.GetProperty("environment");
        Assert.Equal(_chain.Chain.NextBaseFee().ToHexString(), environment.GetProperty("baseFee").GetString());
        Assert.Equal(TestChain.Id, environment.GetProperty("chainId").GetUInt64());
        Assert.Equal(new UInt256(head.GasLimit).ToHexString(), environment.GetProperty("gasLimit").GetString());
        Assert.Equal(Result(Rpc, "eth_gasPrice").GetString(), environment.GetProperty("gasPrice").GetString());
        Assert.Empty(info.GetProperty("forkConfig").EnumerateObject());
    }

    [Fact]
    public void Metadata_names_the_client_chain_instance_and_latest_block_in_anvils_shape()
    {
        var metadata = Result(Rpc, "anvil_metadata");
        Assert.Equal(Result(Rpc, "web3_clientVersion").GetString(), metadata.GetProperty("clientVersion").GetString());
        Assert.Equal(TestChain.Id, metadata.GetProperty("chainId").GetUInt64());
        Assert.Equal(66, metadata.GetProperty("instanceId").GetString()!.Length);
        Assert.Equal(0UL, metadata.GetProperty("latestBlockNumber").GetUInt64());
        Assert.Equal(_chain.Chain.Head.Hash.ToString(), metadata.GetProperty("latestBlockHash").GetString());
        Assert.Equal(JsonValueKind.Null, metadata.GetProperty("forkedNetwork").ValueKind);
        Assert.Empty(metadata.GetProperty("snapshots").EnumerateObject());
        // The instance id is the endpoint's: asking again gives the same one.
        Assert.Equal(metadata.GetProperty("instanceId").GetString(), Result(Rpc, "anvil_metadata").GetProperty("instanceId").GetString());
    }

    [Fact]
    public void SignTransaction_returns_the_filled_signed_transaction_without_sending_it()
    {
        var from = TestChain.AddressOf(0);
        var to = TestChain.AddressOf(1);
        var raw = Result(Rpc, "eth_signTransaction", $"[{{\"from\":\"{from}\",\"to\":\"{to}\",\"value\":\"0x5\"}}]").GetString()!;

        var tx = TransactionDecoder.Decode(Hex.Decode(raw));
        Assert.Equal(TxType.DynamicFee, tx.Type);
        Assert.Equal(0UL, tx.Nonce);
        Assert.Equal(21_000UL, tx.GasLimit);
        Assert.Equal(TestChain.Id, tx.ChainId);
        Assert.Equal(0UL, _chain.Chain.GetTransactionCount(from, BlockSelector.Pending)); // not sent
        Assert.Equal("0x0", Result(Rpc, "txpool_status").GetProperty("pending").GetString());

        // Sent as it is, it is a valid transaction from the account.
        var hash = Result(Rpc, "eth_sendRawTransaction", $"[\"{raw}\"]").GetString();
        var receipt = Result(Rpc, "eth_getTransactionReceipt", $"[\"{hash}\"]");
        Assert.Equal(from.ToString(), receipt.GetProperty("from").GetString(), ignoreCase: true);
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
    }

    [Fact]
    public void SignTransaction_and_SignTypedData_refuse_an_account_the_node_holds_no_key_for()
    {
        var stranger = Address.Parse("0x000000000000000000000000000000000000dead");
        var (code, message, _) = Error(Rpc, "eth_signTransaction", $"[{{\"from\":\"{stranger}\",\"to\":\"{stranger}\"}}]");
        Assert.Equal(RpcErrorCodes.ServerError, code);
        Assert.Contains($"unknown account {stranger.ToChecksumString()}: the node holds no key for it", message);

        (code, message, _) = Error(Rpc, "eth_signTypedData_v4", $"[\"{stranger}\", {MailTypedData}]");
        Assert.Equal(RpcErrorCodes.ServerError, code);
        Assert.Contains($"unknown account {stranger.ToChecksumString()}: the node holds no key for it", message);
    }

    [Fact]
    public void The_typed_data_digest_of_the_EIP_712_Mail_example_is_the_one_the_EIP_gives()
    {
        using var document = JsonDocument.Parse(MailTypedData);
        Assert.Equal(MailDigest, TypedData.Hash(document.RootElement).ToString());
    }

    [Fact]
    public void The_EIP_712_Mail_example_encodes_its_type_with_the_referenced_Person_type_after_it()
    {
        var types = new Dictionary<string, List<(string Name, string Type)>>
        {
            ["Person"] = [("name", "string"), ("wallet", "address")],
            ["Mail"] = [("from", "Person"), ("to", "Person"), ("contents", "string")],
        };
        Assert.Equal("Mail(Person from,Person to,string contents)Person(string name,address wallet)", TypedData.EncodeType(types, "Mail"));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void SignTypedData_v4_signs_the_EIP_712_digest_with_the_dev_key_given_as_object_or_JSON_string(bool asString)
    {
        var signer = TestChain.AddressOf(1);
        var typedData = asString ? JsonSerializer.Serialize(MailTypedData) : MailTypedData;
        var signature = Hex.Decode(Result(Rpc, "eth_signTypedData_v4", $"[\"{signer}\", {typedData}]").GetString()!);

        Assert.Equal(65, signature.Length);
        Assert.True(signature[64] is 27 or 28);
        Assert.True(Secp256k1.TryRecoverAddress(Hex.Decode(MailDigest), signature.AsSpan(0, 32), signature.AsSpan(32, 32), signature[64] - 27, out var recovered));
        Assert.Equal(signer, recovered);
    }

    [Fact]
    public void SignTypedData_v4_with_malformed_typed_data_is_an_invalid_params_error_naming_the_field()
    {
        var broken = MailTypedData.Replace("\"Hello, Bob!\"", "42", StringComparison.Ordinal);
        var (code, message, _) = Error(Rpc, "eth_signTypedData_v4", $"[\"{TestChain.AddressOf(1)}\", {broken}]");
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Contains("message.contents must be a string", message);
    }

    [Fact]
    public void Every_new_anvil_method_is_listed_as_supported()
    {
        foreach (var method in new[]
        {
            "anvil_setCoinbase", "anvil_setNextBlockBaseFeePerGas", "anvil_setMinGasPrice", "anvil_setBlockTimestampInterval",
            "anvil_removeBlockTimestampInterval", "evm_setBlockGasLimit", "anvil_nodeInfo", "anvil_metadata",
            "eth_signTransaction", "eth_signTypedData_v4",
        })
            Assert.Contains(method, RpcDispatcher.SupportedMethods);
    }
}
