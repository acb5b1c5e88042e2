using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Xunit;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Rpc.Tests;

/// <summary>anvil_impersonateAccount and friends, anvil_reset and anvil_setChainId, against a real in-memory chain.</summary>
public sealed class ImpersonationMethodTests : IDisposable
{
    // CALLER, stored at slot 0 and returned: shows who the EVM saw as msg.sender.
    private static readonly byte[] CallerRecorder = [0x33, 0x80, 0x60, 0x00, 0x55, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3];

    private static readonly Address Stranger = Address.Parse("0x00000000000000000000000000000000000abcde");

    private readonly TestChain _chain = new();
    private RpcDispatcher Rpc => _chain.Dispatcher;

    public void Dispose() => _chain.Dispose();

    private string SendFrom(Address from, Address to, string extra = "") =>
        Result(Rpc, "eth_sendTransaction", $"[{{\"from\":\"{from}\",\"to\":\"{to}\"{extra}}}]").GetString()!;

    [Fact]
    public void An_impersonated_account_sends_without_its_key_and_every_view_names_it_as_the_sender()
    {
        Result(Rpc, "anvil_setBalance", $"[\"{Stranger}\", \"0xde0b6b3a7640000\"]");
        var recorder = _chain.Deploy(CallerRecorder);
        Assert.Equal(JsonValueKind.Null, Result(Rpc, "anvil_impersonateAccount", $"[\"{Stranger}\"]").ValueKind);

        var hash = SendFrom(Stranger, recorder);
        var receipt = Result(Rpc, "eth_getTransactionReceipt", $"[\"{hash}\"]");
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        Assert.Equal(Stranger.ToString(), receipt.GetProperty("from").GetString(), ignoreCase: true);
        var tx = Result(Rpc, "eth_getTransactionByHash", $"[\"{hash}\"]");
        Assert.Equal(Stranger.ToString(), tx.GetProperty("from").GetString(), ignoreCase: true);
        // The marker: s = 1 and r = the sender's address.
        Assert.Equal("0x1", tx.GetProperty("s").GetString());
        Assert.Equal(Stranger.ToUInt256().ToHexString(), tx.GetProperty("r").GetString());
        // The raw bytes hash to the transaction hash, as for any transaction.
        var raw = Result(Rpc, "eth_getRawTransactionByHash", $"[\"{hash}\"]").GetString()!;
        Assert.Equal(hash, Keccak256.Compute(Hex.Decode(raw)).ToString());
        Assert.Equal(Stranger.ToUInt256(), _chain.Chain.GetStorageAt(recorder, UInt256.Zero, BlockSelector.Latest));
        Assert.Equal("0x1", Result(Rpc, "eth_getTransactionCount", $"[\"{Stranger}\", \"latest\"]").GetString());
    }

    [Fact]
    public void After_stopImpersonating_a_send_from_the_account_needs_its_key_again()
    {
        Result(Rpc, "anvil_impersonateAccount", $"[\"{Stranger}\"]");
        Assert.Equal(JsonValueKind.Null, Result(Rpc, "anvil_stopImpersonatingAccount", $"[\"{Stranger}\"]").ValueKind);
        var (code, message, _) = Error(Rpc, "eth_sendTransaction", $"[{{\"from\":\"{Stranger}\",\"to\":\"{Stranger}\"}}]");
        Assert.Equal(-32000, code);
        Assert.Contains("the node holds no key for it", message);
    }

    [Fact]
    public void Auto_impersonation_lets_any_account_send_until_it_is_turned_off()
    {
        Result(Rpc, "anvil_setBalance", $"[\"{Stranger}\", \"0xde0b6b3a7640000\"]");
        Assert.Equal(JsonValueKind.Null, Result(Rpc, "anvil_autoImpersonateAccount", "[true]").ValueKind);
        var hash = SendFrom(Stranger, TestChain.AddressOf(1), ",\"value\":\"0x5\"");
        Assert.Equal("0x1", Result(Rpc, "eth_getTransactionReceipt", $"[\"{hash}\"]").GetProperty("status").GetString());

        Result(Rpc, "anvil_autoImpersonateAccount", "[false]");
        Assert.Contains("the node holds no key for it", Error(Rpc, "eth_sendTransaction", $"[{{\"from\":\"{Stranger}\",\"to\":\"{Stranger}\"}}]").Message);
        var (code, message, _) = Error(Rpc, "anvil_autoImpersonateAccount", "[\"yes\"]");
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.StartsWith("invalid argument 0 (enabled)", message);
    }

    [Fact]
    public void An_impersonated_contract_may_send_as_anvil_allows_EIP_3607_aside()
    {
        var recorder = _chain.Deploy(CallerRecorder);
        var sender = _chain.Deploy(CallerRecorder);
        Result(Rpc, "anvil_setBalance", $"[\"{sender}\", \"0xde0b6b3a7640000\"]");
        Result(Rpc, "anvil_impersonateAccount", $"[\"{sender}\"]");
        var hash = SendFrom(sender, recorder);
        Assert.Equal("0x1", Result(Rpc, "eth_getTransactionReceipt", $"[\"{hash}\"]").GetProperty("status").GetString());
        Assert.Equal(sender.ToUInt256(), _chain.Chain.GetStorageAt(recorder, UInt256.Zero, BlockSelector.Latest));
    }

    [Fact]
    public void A_raw_transaction_carrying_the_impersonation_marker_is_refused()
    {
        // Someone forging the marker for a funded account must not spend its funds.
        var forged = TransactionSigner.Impersonate(new Transaction
        {
            Type = TxType.DynamicFee, ChainId = TestChain.Id, Nonce = 0, MaxFeePerGas = 10_000_000_000UL, MaxPriorityFeePerGas = 1UL,
            GasLimit = 21_000, To = Stranger, Value = new UInt256(1),
        }, TestChain.AddressOf(0));
        var (code, message, _) = Error(Rpc, "eth_sendRawTransaction", $"[\"{Hex.Encode(forged.Encode())}\"]");
        Assert.Equal(-32000, code);
        Assert.Contains("reserved for impersonated transactions", message);
        Assert.Equal(UInt256.Zero, _chain.Chain.GetBalance(Stranger, BlockSelector.Latest));
    }

    [Fact]
    public void Impersonation_and_the_other_dev_methods_are_refused_on_a_production_endpoint()
    {
        using var production = new TestChain(new RpcServerOptions { Access = RpcAccessPolicy.ForPublicEndpoint(null, dev: false) });
        foreach (var (method, args) in new[]
                 {
                     ("anvil_impersonateAccount", $"[\"{Stranger}\"]"), ("hardhat_impersonateAccount", $"[\"{Stranger}\"]"),
                     ("anvil_autoImpersonateAccount", "[true]"), ("anvil_reset", "[]"), ("anvil_setChainId", "[5]"),
                 })
        {
            var (code, message, _) = Error(production.Dispatcher, method, args);
            Assert.Equal(RpcErrorCodes.MethodNotFound, code);
            Assert.Equal($"the method {method} does not exist/is not available", message);
        }
    }

    [Fact]
    public void Impersonation_methods_refuse_bad_parameters()
    {
        Assert.Equal(RpcErrorCodes.InvalidParams, Error(Rpc, "anvil_impersonateAccount", "[]").Code);
        Assert.Equal(RpcErrorCodes.InvalidParams, Error(Rpc, "anvil_impersonateAccount", "[\"0x12\"]").Code);
        Assert.Equal(RpcErrorCodes.InvalidParams, Error(Rpc, "anvil_impersonateAccount", $"[\"{Stranger}\", 1]").Code);
    }

    [Fact]
    public void Reset_goes_back_to_genesis_and_forgets_the_pool_settings_and_impersonations()
    {
        var genesis = _chain.Chain.Head;
        _chain.Send(0, TestChain.AddressOf(1), value: new UInt256(1));
        Result(Rpc, "anvil_setCoinbase", $"[\"{Stranger}\"]");
        Result(Rpc, "anvil_impersonateAccount", $"[\"{Stranger}\"]");
        var snapshot = Result(Rpc, "evm_snapshot").GetString();

        Assert.Equal(JsonValueKind.Null, Result(Rpc, "anvil_reset").ValueKind);
        Assert.Equal("0x0", Result(Rpc, "eth_blockNumber").GetString());
        Assert.Equal(genesis.Hash, _chain.Chain.Head.Hash);
        Assert.Equal(TestChain.Funding, _chain.Chain.GetBalance(TestChain.AddressOf(0), BlockSelector.Latest));
        Assert.False(Result(Rpc, "evm_revert", $"[\"{snapshot}\"]").GetBoolean());
        Assert.Contains("the node holds no key for it", Error(Rpc, "eth_sendTransaction", $"[{{\"from\":\"{Stranger}\",\"to\":\"{Stranger}\"}}]").Message);

        // The chain goes on from genesis with its configured coinbase.
        _chain.Send(0, TestChain.AddressOf(1), value: new UInt256(1));
        Assert.Equal(1UL, _chain.Chain.Head.Number);
        Assert.Equal(Address.Zero, _chain.Chain.Head.Coinbase);
    }

    [Fact]
    public void Reset_with_forking_or_unknown_options_is_refused()
    {
        var (code, message, _) = Error(Rpc, "anvil_reset", "[{\"forking\":{\"jsonRpcUrl\":\"http://127.0.0.1:1\"}}]");
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Contains("anvil_reset with forking is not supported", message);
        (code, message, _) = Error(Rpc, "anvil_reset", "[{\"colour\":1}]");
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Contains("unknown field \"colour\"", message);
        Assert.Equal(JsonValueKind.Null, Result(Rpc, "anvil_reset", "[{}]").ValueKind);
    }

    [Fact]
    public void SetChainId_changes_eth_chainId_and_the_id_transactions_must_carry()
    {
        Assert.Equal(JsonValueKind.Null, Result(Rpc, "anvil_setChainId", "[1337]").ValueKind);
        Assert.Equal("0x539", Result(Rpc, "eth_chainId").GetString());
        Assert.Equal("1337", Result(Rpc, "net_version").GetString());

        // A transaction signed for the old id is now refused; eth_sendTransaction signs for the new one.
        var (_, message, _) = Error(Rpc, "eth_sendRawTransaction", $"[\"{TestChain.Sign(0, TestChain.AddressOf(1), 0)}\"]");
        Assert.Contains("chain id", message);
        var hash = Result(Rpc, "eth_sendTransaction", $"[{{\"from\":\"{TestChain.AddressOf(0)}\",\"to\":\"{TestChain.AddressOf(1)}\"}}]").GetString();
        var tx = Result(Rpc, "eth_getTransactionByHash", $"[\"{hash}\"]");
        Assert.Equal("0x539", tx.GetProperty("chainId").GetString());

        var (code, zero, _) = Error(Rpc, "anvil_setChainId", "[0]");
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Contains("invalid chain id 0", zero);
        (code, var text, _) = Error(Rpc, "anvil_setChainId", "[\"abc\"]");
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.StartsWith("invalid argument 0 (chainId)", text);
        Assert.Equal(RpcErrorCodes.InvalidParams, Error(Rpc, "anvil_setChainId", "[1, 2]").Code);
        Assert.Equal("0x539", Result(Rpc, "eth_chainId").GetString());
    }
}
