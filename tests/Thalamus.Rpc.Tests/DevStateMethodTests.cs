using System.Globalization;
using System.Text.Json;
using Thalamus.Core;
using Xunit;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Rpc.Tests;

/// <summary>anvil_/hardhat_ setBalance, setCode, setNonce and setStorageAt against a real MemberChain.</summary>
public sealed class DevStateMethodTests : IDisposable
{
    private const string Target = "0x00000000000000000000000000000000000000aa";

    /// <summary>Returns storage slot 0: SLOAD(0) MSTORE(0) RETURN(0, 32).</summary>
    private const string SlotZeroReader = "0x60005460005260206000f3";

    private readonly TestChain _chain = new();
    private RpcDispatcher Rpc => _chain.Dispatcher;

    public void Dispose() => _chain.Dispose();

    private static ulong ParseQ(JsonElement e) => ulong.Parse(e.GetString()![2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("anvil")]
    [InlineData("hardhat")]
    public void Setters_change_what_latest_queries_return(string family)
    {
        var head = Result(Rpc, "eth_blockNumber").GetString();

        Assert.Equal(JsonValueKind.Null, Result(Rpc, $"{family}_setBalance", $"[\"{Target}\", \"0xde0b6b3a7640000\"]").ValueKind);
        Assert.Equal(JsonValueKind.Null, Result(Rpc, $"{family}_setNonce", $"[\"{Target}\", \"0x7\"]").ValueKind);
        Assert.Equal(JsonValueKind.Null, Result(Rpc, $"{family}_setCode", $"[\"{Target}\", \"{SlotZeroReader}\"]").ValueKind);
        Assert.True(Result(Rpc, $"{family}_setStorageAt", $"[\"{Target}\", \"0x0\", \"0x{new string('0', 62)}2a\"]").GetBoolean());

        Assert.Equal(head, Result(Rpc, "eth_blockNumber").GetString()); // no block was sealed
        Assert.Equal("0xde0b6b3a7640000", Result(Rpc, "eth_getBalance", $"[\"{Target}\", \"latest\"]").GetString());
        Assert.Equal("0x7", Result(Rpc, "eth_getTransactionCount", $"[\"{Target}\", \"latest\"]").GetString());
        Assert.Equal(SlotZeroReader, Result(Rpc, "eth_getCode", $"[\"{Target}\", \"latest\"]").GetString());
        var slot = Result(Rpc, "eth_getStorageAt", $"[\"{Target}\", \"0x0\", \"latest\"]").GetString();
        Assert.Equal((UInt256)42UL, UInt256.FromBigEndian(Hex.Decode(slot!)));
        var call = Result(Rpc, "eth_call", $"[{{\"to\":\"{Target}\"}}, \"latest\"]").GetString();
        Assert.Equal((UInt256)42UL, UInt256.FromBigEndian(Hex.Decode(call!)));
    }

    [Fact]
    public void Storage_slot_and_value_accept_quantities_and_32_byte_data()
    {
        var slot = "0x" + new string('0', 63) + "5";
        Assert.True(Result(Rpc, "anvil_setStorageAt", $"[\"{Target}\", \"{slot}\", \"0x1234\"]").GetBoolean());
        var read = Result(Rpc, "eth_getStorageAt", $"[\"{Target}\", \"0x5\", \"latest\"]").GetString();
        Assert.Equal((UInt256)0x1234UL, UInt256.FromBigEndian(Hex.Decode(read!)));
    }

    [Fact]
    public void Edits_go_into_the_next_block_and_snapshot_revert_undoes_them()
    {
        var target = Address.Parse(Target);
        var snapshot = Result(Rpc, "evm_snapshot").GetString();
        Result(Rpc, "anvil_setBalance", $"[\"{Target}\", \"0x64\"]");
        Result(Rpc, "evm_mine");
        var block = Result(Rpc, "eth_getBlockByNumber", "[\"latest\", false]");
        var number = ParseQ(block.GetProperty("number"));
        Assert.Equal("0x64", Result(Rpc, "eth_getBalance", $"[\"{Target}\", \"0x{number:x}\"]").GetString());
        Assert.Equal(Hash256.Parse(block.GetProperty("stateRoot").GetString()!), _chain.Chain.Head.StateRoot);
        Assert.Equal((UInt256)100UL, new Thalamus.State.WorldState(_chain.Chain.Store.StateNodes, _chain.Chain.Head.StateRoot).GetBalance(target));

        Assert.True(Result(Rpc, "evm_revert", $"[\"{snapshot}\"]").GetBoolean());
        Assert.Equal("0x0", Result(Rpc, "eth_getBalance", $"[\"{Target}\", \"latest\"]").GetString());
    }

    [Fact]
    public void A_sender_funded_by_set_balance_can_transact()
    {
        var to = Address.Parse(Target);
        var sender = TestChain.AddressOf(1);
        Result(Rpc, "anvil_setBalance", $"[\"{sender}\", \"0x0\"]");
        Assert.Equal("0x0", Result(Rpc, "eth_getBalance", $"[\"{sender}\", \"latest\"]").GetString());
        Result(Rpc, "anvil_setBalance", $"[\"{sender}\", \"0x56bc75e2d63100000\"]");
        Result(Rpc, "anvil_setNonce", $"[\"{sender}\", \"0x3\"]");
        var receipt = _chain.Send(1, to, value: 5);
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        Assert.Equal("0x4", Result(Rpc, "eth_getTransactionCount", $"[\"{sender}\", \"latest\"]").GetString());
        Assert.Equal("0x5", Result(Rpc, "eth_getBalance", $"[\"{Target}\", \"latest\"]").GetString());
    }

    [Theory]
    [InlineData("anvil_setBalance", "[\"0x1234\", \"0x1\"]")]
    [InlineData("anvil_setBalance", "[\"" + Target + "\", \"12\"]")]
    [InlineData("anvil_setBalance", "[\"" + Target + "\"]")]
    [InlineData("hardhat_setCode", "[\"" + Target + "\", \"0x123\"]")]
    [InlineData("hardhat_setCode", "[\"" + Target + "\", 5]")]
    [InlineData("anvil_setNonce", "[\"" + Target + "\", \"0x10000000000000000\"]")]
    [InlineData("anvil_setStorageAt", "[\"" + Target + "\", \"0x0\"]")]
    [InlineData("anvil_setStorageAt", "[\"" + Target + "\", \"0x0\", \"0x1" + "0000000000000000000000000000000000000000000000000000000000000000\"]")] // 33 bytes
    [InlineData("hardhat_setStorageAt", "[\"" + Target + "\", \"zz\", \"0x1\"]")]
    public void Bad_parameters_are_invalid_params(string method, string parameters)
    {
        var (code, _, _) = Error(Rpc, method, parameters);
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Equal("0x0", Result(Rpc, "eth_getBalance", $"[\"{Target}\", \"latest\"]").GetString());
    }
}
