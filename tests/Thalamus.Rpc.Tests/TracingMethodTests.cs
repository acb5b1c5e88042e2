using System.Text.Json;
using Thalamus.Core;
using Xunit;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Rpc.Tests;

/// <summary>debug_traceTransaction, debug_traceCall and debug_traceBlockBy* with geth's tracers, against a real in-memory chain.</summary>
public sealed class TracingMethodTests : IDisposable
{
    private readonly TestChain _chain = new();
    private RpcDispatcher Rpc => _chain.Dispatcher;

    public void Dispose() => _chain.Dispose();

    /// <summary>sstore(0, calldataload(0)).</summary>
    private static readonly byte[] SetterRuntime = [0x60, 0x00, 0x35, 0x60, 0x00, 0x55, 0x00];

    /// <summary>sstore(0, sload(0) + 1).</summary>
    private static readonly byte[] CounterRuntime = [0x60, 0x00, 0x54, 0x60, 0x01, 0x01, 0x60, 0x00, 0x55, 0x00];

    /// <summary>Returns its storage slot 5.</summary>
    private static readonly byte[] StoreRuntime = [0x60, 0x05, 0x54, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3];

    /// <summary>STATICCALLs <paramref name="store"/> and returns its 32-byte answer.</summary>
    private static byte[] ReaderRuntime(Address store) =>
    [
        0x60, 0x20, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x73, .. store.Bytes, 0x5a, 0xfa, 0x50,
        0x60, 0x20, 0x60, 0x00, 0xf3,
    ];

    /// <summary>CALLs <paramref name="target"/> without data, ignores the outcome, emits LOG0 of nothing, stops.</summary>
    private static byte[] ForwarderRuntime(Address target) =>
    [
        0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x60, 0x00, 0x73, .. target.Bytes, 0x5a, 0xf1, 0x50,
        0x60, 0x00, 0x60, 0x00, 0xa0, 0x00,
    ];

    private static byte[] Word(byte value)
    {
        var word = new byte[32];
        word[31] = value;
        return word;
    }

    private static string Hash(JsonElement receipt) => receipt.GetProperty("transactionHash").GetString()!;

    [Fact]
    public void The_struct_logger_lists_every_instruction_with_its_gas_stack_and_the_storage_it_touched()
    {
        var setter = _chain.Deploy(SetterRuntime);
        var receipt = _chain.Send(0, setter, Word(0x2a));

        var trace = Result(Rpc, "debug_traceTransaction", $"[\"{Hash(receipt)}\"]");
        Assert.False(trace.GetProperty("failed").GetBoolean());
        Assert.Equal(Convert.ToInt64(receipt.GetProperty("gasUsed").GetString(), 16), trace.GetProperty("gas").GetInt64());
        var steps = trace.GetProperty("structLogs").EnumerateArray().ToList();
        Assert.Equal(["PUSH1", "CALLDATALOAD", "PUSH1", "SSTORE", "STOP"], steps.Select(s => s.GetProperty("op").GetString()));
        Assert.Equal([0, 2, 3, 5, 6], steps.Select(s => s.GetProperty("pc").GetInt32()));
        Assert.All(steps, s => Assert.Equal(1, s.GetProperty("depth").GetInt32()));
        // 1,000,000 gas minus the intrinsic 21,000, 4 per zero and 16 per non-zero data byte; PUSH1 costs 3; the gas falls by each cost.
        Assert.Equal(1_000_000 - 21_000 - 31 * 4 - 16, steps[0].GetProperty("gas").GetInt64());
        Assert.Equal(3, steps[0].GetProperty("gasCost").GetInt64());
        for (var i = 1; i < steps.Count; i++)
            Assert.Equal(steps[i - 1].GetProperty("gas").GetInt64() - steps[i - 1].GetProperty("gasCost").GetInt64(), steps[i].GetProperty("gas").GetInt64());
        Assert.Equal(22_100, steps[3].GetProperty("gasCost").GetInt64()); // cold SSTORE of a fresh slot
        Assert.Equal(["0x2a", "0x0"], steps[3].GetProperty("stack").EnumerateArray().Select(e => e.GetString()));
        var storage = steps[3].GetProperty("storage");
        Assert.Equal(Hex.Encode(Word(0x2a), prefix: false), storage.GetProperty(new string('0', 64)).GetString());
        Assert.False(steps[0].TryGetProperty("storage", out _));
        Assert.False(steps[0].TryGetProperty("memory", out _)); // memory is opt-in, as in geth

        var bare = Result(Rpc, "debug_traceTransaction", $"[\"{Hash(receipt)}\", {{\"disableStack\": true, \"disableStorage\": true, \"limit\": 2}}]");
        var bareSteps = bare.GetProperty("structLogs").EnumerateArray().ToList();
        Assert.Equal(2, bareSteps.Count);
        Assert.False(bareSteps[0].TryGetProperty("stack", out _));
    }

    [Fact]
    public void A_traced_transaction_sees_the_effects_of_the_earlier_transactions_of_its_block()
    {
        var counter = _chain.Deploy(CounterRuntime);
        Result(Rpc, "evm_setAutomine", "[false]");
        var sender = TestChain.AddressOf(1);
        var nonce = _chain.Chain.GetTransactionCount(sender, Chain.BlockSelector.Latest);
        var first = Result(Rpc, "eth_sendRawTransaction", $"[\"{TestChain.Sign(1, counter, nonce)}\"]").GetString();
        var second = Result(Rpc, "eth_sendRawTransaction", $"[\"{TestChain.Sign(1, counter, nonce + 1)}\"]").GetString();
        Result(Rpc, "evm_mine");
        Assert.Equal(Result(Rpc, "eth_getTransactionReceipt", $"[\"{first}\"]").GetProperty("blockHash").GetString(),
            Result(Rpc, "eth_getTransactionReceipt", $"[\"{second}\"]").GetProperty("blockHash").GetString());

        var trace = Result(Rpc, "debug_traceTransaction", $"[\"{second}\"]");
        var sload = trace.GetProperty("structLogs").EnumerateArray().First(s => s.GetProperty("op").GetString() == "SLOAD");
        Assert.Equal(Hex.Encode(Word(1), prefix: false), sload.GetProperty("storage").GetProperty(new string('0', 64)).GetString());
        // Warm after the first transaction? No: access lists are per transaction, so the SLOAD is cold again.
        Assert.Equal(2_100, sload.GetProperty("gasCost").GetInt64());
    }

    [Fact]
    public void The_call_tracer_shows_the_call_tree_with_gethss_fields_errors_and_revert_reasons()
    {
        var store = _chain.Deploy(StoreRuntime);
        var reader = _chain.Deploy(ReaderRuntime(store));
        var receipt = _chain.Send(0, reader);

        var tree = Result(Rpc, "debug_traceTransaction", $"[\"{Hash(receipt)}\", {{\"tracer\": \"callTracer\"}}]");
        Assert.Equal("CALL", tree.GetProperty("type").GetString());
        Assert.Equal(TestChain.AddressOf(0).ToString(), tree.GetProperty("from").GetString());
        Assert.Equal(reader.ToString(), tree.GetProperty("to").GetString());
        Assert.Equal("0xf4240", tree.GetProperty("gas").GetString()); // the transaction's gas limit
        Assert.Equal(receipt.GetProperty("gasUsed").GetString(), tree.GetProperty("gasUsed").GetString());
        Assert.Equal("0x0", tree.GetProperty("value").GetString());
        Assert.Equal(Hex.Encode(new byte[32]), tree.GetProperty("output").GetString());
        var inner = Assert.Single(tree.GetProperty("calls").EnumerateArray());
        Assert.Equal("STATICCALL", inner.GetProperty("type").GetString());
        Assert.Equal(reader.ToString(), inner.GetProperty("from").GetString());
        Assert.Equal(store.ToString(), inner.GetProperty("to").GetString());
        Assert.False(inner.TryGetProperty("value", out _)); // geth has no value on a STATICCALL
        Assert.True(Convert.ToInt64(inner.GetProperty("gasUsed").GetString(), 16) > 2_100);

        var reverter = _chain.Deploy(Bytecode.Reverter);
        var forwarder = _chain.Deploy(ForwarderRuntime(reverter));
        var forwarded = _chain.Send(0, forwarder);
        var withFailure = Result(Rpc, "debug_traceTransaction", $"[\"{Hash(forwarded)}\", {{\"tracer\": \"callTracer\", \"tracerConfig\": {{\"withLog\": true}}}}]");
        Assert.False(withFailure.TryGetProperty("error", out _));
        var failed = Assert.Single(withFailure.GetProperty("calls").EnumerateArray());
        Assert.Equal("execution reverted", failed.GetProperty("error").GetString());
        Assert.Equal(Bytecode.RevertReason, failed.GetProperty("revertReason").GetString());
        Assert.Equal(Hex.Encode(Bytecode.RevertData), failed.GetProperty("output").GetString());
        // The forwarder's log comes after its one call: position 1.
        var log = Assert.Single(withFailure.GetProperty("logs").EnumerateArray());
        Assert.Equal(forwarder.ToString(), log.GetProperty("address").GetString());
        Assert.Equal("0x1", log.GetProperty("position").GetString());

        var top = Result(Rpc, "debug_traceTransaction", $"[\"{Hash(forwarded)}\", {{\"tracer\": \"callTracer\", \"tracerConfig\": {{\"onlyTopCall\": true}}}}]");
        Assert.False(top.TryGetProperty("calls", out _));
        Assert.False(top.TryGetProperty("logs", out _));
    }

    [Fact]
    public void A_reverted_transaction_is_traced_with_its_error_and_reason()
    {
        var reverter = _chain.Deploy(Bytecode.Reverter);
        var receipt = _chain.Send(0, reverter);
        Assert.Equal("0x0", receipt.GetProperty("status").GetString());

        var tree = Result(Rpc, "debug_traceTransaction", $"[\"{Hash(receipt)}\", {{\"tracer\": \"callTracer\"}}]");
        Assert.Equal("execution reverted", tree.GetProperty("error").GetString());
        Assert.Equal(Bytecode.RevertReason, tree.GetProperty("revertReason").GetString());
        var steps = Result(Rpc, "debug_traceTransaction", $"[\"{Hash(receipt)}\"]");
        Assert.True(steps.GetProperty("failed").GetBoolean());
        Assert.Equal(Hex.Encode(Bytecode.RevertData), steps.GetProperty("returnValue").GetString());
    }

    [Fact]
    public void The_prestate_tracer_reports_what_the_transaction_touched_before_it_ran_and_in_diff_mode_what_changed()
    {
        var setter = _chain.Deploy(SetterRuntime);
        _chain.Send(0, setter, Word(7));
        var sender = TestChain.AddressOf(0);
        var balanceBefore = Result(Rpc, "eth_getBalance", $"[\"{sender}\", \"latest\"]").GetString();
        var nonceBefore = _chain.Chain.GetTransactionCount(sender, Chain.BlockSelector.Latest);
        var receipt = _chain.Send(0, setter, Word(0x2a));
        var slot0 = Hash256.Zero.ToString();

        var pre = Result(Rpc, "debug_traceTransaction", $"[\"{Hash(receipt)}\", {{\"tracer\": \"prestateTracer\"}}]");
        Assert.Equal(balanceBefore, pre.GetProperty(sender.ToString()).GetProperty("balance").GetString());
        Assert.Equal((long)nonceBefore, pre.GetProperty(sender.ToString()).GetProperty("nonce").GetInt64());
        var contract = pre.GetProperty(setter.ToString());
        Assert.Equal(Hex.Encode(SetterRuntime), contract.GetProperty("code").GetString());
        Assert.Equal(Hex.Encode(Word(7)), contract.GetProperty("storage").GetProperty(slot0).GetString());

        var diff = Result(Rpc, "debug_traceTransaction", $"[\"{Hash(receipt)}\", {{\"tracer\": \"prestateTracer\", \"tracerConfig\": {{\"diffMode\": true}}}}]");
        Assert.Equal(Hex.Encode(Word(7)), diff.GetProperty("pre").GetProperty(setter.ToString()).GetProperty("storage").GetProperty(slot0).GetString());
        var post = diff.GetProperty("post");
        Assert.Equal(Hex.Encode(Word(0x2a)), post.GetProperty(setter.ToString()).GetProperty("storage").GetProperty(slot0).GetString());
        Assert.False(post.GetProperty(setter.ToString()).TryGetProperty("code", out _)); // unchanged fields are left out of post
        Assert.Equal((long)nonceBefore + 1, post.GetProperty(sender.ToString()).GetProperty("nonce").GetInt64());
    }

    [Fact]
    public void A_trace_sees_the_dev_state_edits_made_before_its_block()
    {
        var sender = TestChain.AddressOf(2);
        Result(Rpc, "anvil_setBalance", $"[\"{sender}\", \"0xde0b6b3a7640000\"]"); // 1 ether
        var receipt = _chain.Send(2, TestChain.AddressOf(0), value: 5);

        var pre = Result(Rpc, "debug_traceTransaction", $"[\"{Hash(receipt)}\", {{\"tracer\": \"prestateTracer\"}}]");
        Assert.Equal("0xde0b6b3a7640000", pre.GetProperty(sender.ToString()).GetProperty("balance").GetString());
    }

    [Fact]
    public void Trace_call_traces_a_call_on_a_blocks_state_without_a_transaction()
    {
        var store = _chain.Deploy(StoreRuntime);
        var reader = _chain.Deploy(ReaderRuntime(store));
        var tree = Result(Rpc, "debug_traceCall", $"[{{\"to\": \"{reader}\"}}, \"latest\", {{\"tracer\": \"callTracer\"}}]");
        Assert.Equal(store.ToString(), Assert.Single(tree.GetProperty("calls").EnumerateArray()).GetProperty("to").GetString());
        var steps = Result(Rpc, "debug_traceCall", $"[{{\"to\": \"{store}\"}}, \"latest\"]");
        Assert.Equal("SLOAD", steps.GetProperty("structLogs")[1].GetProperty("op").GetString());
        Assert.Equal(Hex.Encode(new byte[32]), steps.GetProperty("returnValue").GetString());
    }

    [Fact]
    public void Trace_block_traces_each_transaction_of_the_block_by_number_and_by_hash()
    {
        var counter = _chain.Deploy(CounterRuntime);
        Result(Rpc, "evm_setAutomine", "[false]");
        var nonce = _chain.Chain.GetTransactionCount(TestChain.AddressOf(1), Chain.BlockSelector.Latest);
        var first = Result(Rpc, "eth_sendRawTransaction", $"[\"{TestChain.Sign(1, counter, nonce)}\"]").GetString();
        var second = Result(Rpc, "eth_sendRawTransaction", $"[\"{TestChain.Sign(1, counter, nonce + 1)}\"]").GetString();
        Result(Rpc, "evm_mine");
        var block = Result(Rpc, "eth_getBlockByNumber", "[\"latest\", false]");

        var byNumber = Result(Rpc, "debug_traceBlockByNumber", $"[\"{block.GetProperty("number").GetString()}\", {{\"tracer\": \"callTracer\"}}]").EnumerateArray().ToList();
        Assert.Equal([first, second], byNumber.Select(t => t.GetProperty("txHash").GetString()));
        Assert.All(byNumber, t => Assert.Equal(counter.ToString(), t.GetProperty("result").GetProperty("to").GetString()));
        var byHash = Result(Rpc, "debug_traceBlockByHash", $"[\"{block.GetProperty("hash").GetString()}\"]").EnumerateArray().ToList();
        Assert.Equal(2, byHash.Count);
        Assert.Equal(5, byHash[1].GetProperty("result").GetProperty("structLogs").GetArrayLength() - 2); // 7 instructions
    }

    [Fact]
    public void Tracing_an_unknown_transaction_or_block_or_with_an_unknown_tracer_is_a_clear_error()
    {
        var unknown = Keccak256.Compute("nothing"u8);
        var (code, message, _) = Error(Rpc, "debug_traceTransaction", $"[\"{unknown}\"]");
        Assert.Equal(-32000, code);
        Assert.Equal($"transaction not found: {unknown}", message);

        var receipt = _chain.Send(0, TestChain.AddressOf(1), value: 1);
        (code, message, _) = Error(Rpc, "debug_traceTransaction", $"[\"{Hash(receipt)}\", {{\"tracer\": \"4byteTracerX\"}}]");
        Assert.Equal(-32000, code);
        Assert.StartsWith("tracer not found: 4byteTracerX", message);

        (code, message, _) = Error(Rpc, "debug_traceBlockByNumber", "[\"0x99\"]");
        Assert.Equal(-32000, code);
        Assert.Equal("block #0x99 not found", message);

        (code, message, _) = Error(Rpc, "debug_traceTransaction", $"[\"{Hash(receipt)}\", {{\"tracerConfig\": 5}}]");
        Assert.Equal(-32602, code);
        Assert.Contains("tracerConfig", message);
    }

    [Fact]
    public void A_struct_log_beyond_the_memory_cap_fails_with_a_reason_instead_of_growing()
    {
        var counter = _chain.Deploy(CounterRuntime);
        var receipt = _chain.Send(0, counter);
        var tracer = new Chain.Tracing.StructLogger(new Chain.Tracing.TraceOptions { MaxStructLogBytes = 200 });
        Assert.True(_chain.Chain.TraceTransaction(Core.Hash256.Parse(Hash(receipt)), tracer));
        using var sink = new MemoryStream();
        using var writer = new Utf8JsonWriter(sink);
        var error = Assert.Throws<Chain.ChainException>(() => tracer.WriteResult(writer));
        Assert.StartsWith("trace too large: the struct logs passed 200 bytes after ", error.Message);
    }
}
