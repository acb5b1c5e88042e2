using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Xunit;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Rpc.Tests;

/// <summary>eth_simulateV1 in geth's shape, against a real in-memory chain.</summary>
public sealed class SimulateMethodTests : IDisposable
{
    // SSTORE(0, CALLDATALOAD(0)) when there is call data; always returns SLOAD(0).
    private static readonly byte[] Box =
    [
        0x36, 0x15, 0x60, 0x0b, 0x57,       // CALLDATASIZE ISZERO PUSH1 0x0b JUMPI
        0x60, 0x00, 0x35, 0x60, 0x00, 0x55, // SSTORE(0, CALLDATALOAD(0))
        0x5b,                               // JUMPDEST
        0x60, 0x00, 0x54, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3, // RETURN(SLOAD(0))
    ];

    private static readonly Address Stranger = Address.Parse("0x00000000000000000000000000000000000abcde");

    private readonly TestChain _chain = new();
    private RpcDispatcher Rpc => _chain.Dispatcher;

    public void Dispose() => _chain.Dispose();

    private static string Word(ulong value) => Hex.Encode(Hash256.FromUInt256(new UInt256(value)).Bytes);

    [Fact]
    public void Calls_run_in_order_across_blocks_and_each_sees_the_earlier_ones_without_touching_the_chain()
    {
        var box = _chain.Deploy(Box);
        var head = _chain.Chain.Head;
        var blocks = Result(Rpc, "eth_simulateV1", $$$"""
            [{"blockStateCalls":[
              {"calls":[{"from":"{{{TestChain.AddressOf(0)}}}","to":"{{{box}}}","data":"{{{Word(7)}}}"},{"from":"{{{TestChain.AddressOf(1)}}}","to":"{{{box}}}"}]},
              {"blockOverrides":{"time":"{{{new UInt256(head.Timestamp + 100).ToHexString()}}}"},"calls":[{"to":"{{{box}}}"}]}
            ]}, "latest"]
            """);
        Assert.Equal(2, blocks.GetArrayLength());
        var first = blocks[0];
        Assert.Equal(new UInt256(head.Number + 1).ToHexString(), first.GetProperty("number").GetString());
        Assert.Equal(new UInt256(head.Timestamp + MemberChain.SimulationTimestampIncrement).ToHexString(), first.GetProperty("timestamp").GetString());
        Assert.Equal("0x0", first.GetProperty("baseFeePerGas").GetString()); // no validation: base fee 0
        var calls = first.GetProperty("calls");
        Assert.Equal(2, calls.GetArrayLength());
        Assert.Equal("0x1", calls[0].GetProperty("status").GetString());
        Assert.Equal(Word(7), calls[1].GetProperty("returnData").GetString());
        Assert.Equal(2, first.GetProperty("transactions").GetArrayLength());

        var second = blocks[1];
        Assert.Equal(first.GetProperty("hash").GetString(), second.GetProperty("parentHash").GetString());
        Assert.Equal(new UInt256(head.Timestamp + 100).ToHexString(), second.GetProperty("timestamp").GetString());
        Assert.Equal(Word(7), second.GetProperty("calls")[0].GetProperty("returnData").GetString());

        // Nothing reached the chain.
        Assert.Equal(head.Hash, _chain.Chain.Head.Hash);
        Assert.Equal(UInt256.Zero, _chain.Chain.GetStorageAt(box, UInt256.Zero, BlockSelector.Latest));
    }

    [Fact]
    public void State_overrides_set_balance_code_and_storage_for_the_block_and_after()
    {
        var target = Address.Parse("0x00000000000000000000000000000000000b0b00");
        var blocks = Result(Rpc, "eth_simulateV1", $$$"""
            [{"blockStateCalls":[
              {"stateOverrides":{"{{{target}}}":{"code":"{{{Hex.Encode(Box)}}}","state":{"{{{Word(0)}}}":"{{{Word(42)}}}"}},
                                 "{{{Stranger}}}":{"balance":"0x64"}},
               "calls":[{"from":"{{{Stranger}}}","to":"{{{target}}}"},{"from":"{{{Stranger}}}","to":"{{{TestChain.AddressOf(1)}}}","value":"0x64"}]},
              {"stateOverrides":{"{{{target}}}":{"stateDiff":{"{{{Word(0)}}}":"{{{Word(43)}}}"} } },"calls":[{"to":"{{{target}}}"}]}
            ]}]
            """);
        Assert.Equal(Word(42), blocks[0].GetProperty("calls")[0].GetProperty("returnData").GetString());
        Assert.Equal("0x1", blocks[0].GetProperty("calls")[1].GetProperty("status").GetString());
        Assert.Equal(Word(43), blocks[1].GetProperty("calls")[0].GetProperty("returnData").GetString());
    }

    [Fact]
    public void A_reverting_call_is_a_failed_result_with_the_revert_data_and_logs_carry_their_positions()
    {
        var reverter = _chain.Deploy(Bytecode.Reverter);
        var emitter = _chain.Deploy(Bytecode.LogEmitter);
        var blocks = Result(Rpc, "eth_simulateV1", $$$"""
            [{"blockStateCalls":[{"calls":[{"to":"{{{reverter}}}"},{"to":"{{{emitter}}}","data":"0xabcd"}]}],"returnFullTransactions":true}]
            """);
        var calls = blocks[0].GetProperty("calls");
        Assert.Equal("0x0", calls[0].GetProperty("status").GetString());
        var error = calls[0].GetProperty("error");
        Assert.Equal(3, error.GetProperty("code").GetInt32());
        Assert.Equal("execution reverted: nope", error.GetProperty("message").GetString());
        Assert.Equal(Hex.Encode(Bytecode.RevertData), error.GetProperty("data").GetString());
        Assert.Empty(calls[0].GetProperty("logs").EnumerateArray());

        var log = calls[1].GetProperty("logs")[0];
        Assert.Equal(emitter.ToString(), log.GetProperty("address").GetString(), ignoreCase: true);
        Assert.Equal("0xabcd", log.GetProperty("data").GetString());
        Assert.Equal("0x1", log.GetProperty("transactionIndex").GetString());
        Assert.Equal(blocks[0].GetProperty("hash").GetString(), log.GetProperty("blockHash").GetString());
        // Full transactions name the calls' senders (the zero address when from is absent).
        Assert.Equal(Address.Zero.ToString(), blocks[0].GetProperty("transactions")[1].GetProperty("from").GetString(), ignoreCase: true);
    }

    [Fact]
    public void TraceTransfers_adds_a_Transfer_log_for_each_value_transfer_in_execution_order()
    {
        var emitter = _chain.Deploy(Bytecode.LogEmitter);
        var reverter = _chain.Deploy(Bytecode.Reverter);
        var from = TestChain.AddressOf(0);
        var blocks = Result(Rpc, "eth_simulateV1", $$$"""
            [{"blockStateCalls":[{"calls":[
              {"from":"{{{from}}}","to":"{{{emitter}}}","value":"0x5","data":"0xabcd"},
              {"from":"{{{from}}}","to":"{{{reverter}}}","value":"0x7"},
              {"from":"{{{from}}}","to":"{{{Stranger}}}","value":"0x9"}]}],"traceTransfers":true}]
            """);
        var calls = blocks[0].GetProperty("calls");
        var transferTopic = Abi.EventTopic("Transfer(address,address,uint256)").ToString();

        // The transfer into the emitter comes before the log the emitter then writes.
        var logs = calls[0].GetProperty("logs");
        Assert.Equal(2, logs.GetArrayLength());
        Assert.Equal("0xeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeeee", logs[0].GetProperty("address").GetString()!.ToLowerInvariant());
        Assert.Equal(transferTopic, logs[0].GetProperty("topics")[0].GetString());
        Assert.Equal(Hash256.FromUInt256(from.ToUInt256()).ToString(), logs[0].GetProperty("topics")[1].GetString());
        Assert.Equal(Hash256.FromUInt256(emitter.ToUInt256()).ToString(), logs[0].GetProperty("topics")[2].GetString());
        Assert.Equal(Word(5), logs[0].GetProperty("data").GetString());
        Assert.Equal(Bytecode.PingTopic.ToString(), logs[1].GetProperty("topics")[0].GetString());
        Assert.Equal(new[] { "0x0", "0x1" }, logs.EnumerateArray().Select(l => l.GetProperty("logIndex").GetString()));

        // A reverted call's transfer vanishes with it; a plain transfer is one log.
        Assert.Empty(calls[1].GetProperty("logs").EnumerateArray());
        var plain = Assert.Single(calls[2].GetProperty("logs").EnumerateArray());
        Assert.Equal(Word(9), plain.GetProperty("data").GetString());
        Assert.Equal("0x2", plain.GetProperty("logIndex").GetString());

        // Without traceTransfers only the contract's log is there.
        var untraced = Result(Rpc, "eth_simulateV1", $$$"""
            [{"blockStateCalls":[{"calls":[{"from":"{{{from}}}","to":"{{{emitter}}}","value":"0x5","data":"0xabcd"}]}]}]
            """);
        Assert.Equal(Bytecode.PingTopic.ToString(), Assert.Single(untraced[0].GetProperty("calls")[0].GetProperty("logs").EnumerateArray()).GetProperty("topics")[0].GetString());
    }

    [Fact]
    public void With_validation_calls_are_checked_as_transactions()
    {
        var (code, message, _) = Error(Rpc, "eth_simulateV1", $$$"""
            [{"blockStateCalls":[{"calls":[{"from":"{{{Stranger}}}","to":"{{{TestChain.AddressOf(1)}}}","value":"0x1","maxFeePerGas":"0x3b9aca00"}]}],"validation":true}]
            """);
        Assert.Equal(-38014, code);
        Assert.Contains("insufficient funds", message);

        (code, message, _) = Error(Rpc, "eth_simulateV1", $$$"""
            [{"blockStateCalls":[{"calls":[{"from":"{{{TestChain.AddressOf(0)}}}","to":"{{{TestChain.AddressOf(1)}}}","nonce":"0x5","maxFeePerGas":"0x3b9aca00"}]}],"validation":true}]
            """);
        Assert.Equal(-38011, code);
        Assert.Contains("nonce too high", message);
    }

    [Fact]
    public void Bad_input_gets_geths_errors_or_a_clear_refusal()
    {
        var head = _chain.Chain.Head;
        Assert.Equal((-38000, "empty input: blockStateCalls needs at least one block"), Pair(Error(Rpc, "eth_simulateV1", "[{\"blockStateCalls\":[]}]")));
        var (code, message, _) = Error(Rpc, "eth_simulateV1", $$$"""[{"blockStateCalls":[{"blockOverrides":{"number":"{{{new UInt256(head.Number).ToHexString()}}}"}}]}]""");
        Assert.Equal(-38020, code);
        Assert.Contains("block numbers must be in order", message);
        (code, message, _) = Error(Rpc, "eth_simulateV1", $$$"""[{"blockStateCalls":[{"blockOverrides":{"time":"{{{new UInt256(head.Timestamp).ToHexString()}}}"}}]}]""");
        Assert.Equal(-38021, code);
        (code, message, _) = Error(Rpc, "eth_simulateV1", "[{\"blockStateCalls\":[{}],\"traceTransfers\":1}]");
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Contains("traceTransfers", message);
        (code, message, _) = Error(Rpc, "eth_simulateV1", "[{\"blockStateCalls\":[{\"calls\":[{\"to\":\"0x12\"}]}]}]");
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Contains("blockStateCalls[0].calls[0]", message);
        (code, message, _) = Error(Rpc, "eth_simulateV1", "[{\"blockStateCalls\":[{\"colour\":1}]}]");
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Contains("unknown field \"colour\"", message);
        (code, message, _) = Error(Rpc, "eth_simulateV1", "[{\"blockStateCalls\":[{\"blockOverrides\":{\"blobBaseFee\":\"0x1\"}}]}]");
        Assert.Contains("overriding blobBaseFee is not supported", message);
        (code, _, _) = Error(Rpc, "eth_simulateV1", "[{\"blockStateCalls\":[{}]}, \"0x999\"]");
        Assert.Equal(-32000, code);
        (code, message, _) = Error(Rpc, "eth_simulateV1",
            "[{\"blockStateCalls\":[{\"blockOverrides\":{\"gasLimit\":\"0x5f5e100\"},\"calls\":[{\"to\":\"0x0000000000000000000000000000000000000001\",\"gas\":\"0x3938700\"}]}]}]");
        Assert.Equal(-38015, code);
        Assert.Contains("gas budget is exhausted: call 0 of block 1 asks for 60000000 gas, 50000000 left of the RPC gas cap", message);
        var tooMany = string.Join(",", Enumerable.Repeat("{}", SimulationRequest.MaxBlocks + 1));
        Assert.Equal(-38026, Error(Rpc, "eth_simulateV1", $"[{{\"blockStateCalls\":[{tooMany}]}}]").Code);
    }

    private static (int, string) Pair((int Code, string Message, string? Data) error) => (error.Code, error.Message);
}
