using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Rpc;

// eth_simulateV1 in geth's shape (RpcDispatcher.Methods.cs routes it; MemberChain.Simulate runs it).
public sealed partial class RpcDispatcher
{
    /// <summary>
    /// eth_simulateV1({blockStateCalls, validation?, traceTransfers?, returnFullTransactions?}, block?):
    /// one block object per simulated block, with <c>calls: [{status, returnData, gasUsed, logs, error?}]</c>.
    /// </summary>
    private void SimulateV1(ref ParamReader p, Utf8JsonWriter w)
    {
        if (!p.TryPeekKind("simulation", out var kind)) p.Check("the simulation {blockStateCalls, …} is required");
        if (kind != JsonTokenType.StartObject) p.Check($"expected an object {{blockStateCalls, validation?, traceTransfers?, returnFullTransactions?}}, got {RpcJsonReader.Describe(kind)}");
        var (request, fullTransactions) = ReadSimulation(ref p.Current);
        var block = p.ReadOptionalBlock("block");
        p.End();
        var blocks = Backend.Simulate(request, block);

        w.WriteStartArray();
        foreach (var simulated in blocks)
            EthJsonWriter.WriteBlock(w, simulated.Block, fullTransactions, writer => WriteSimulatedCalls(writer, simulated));
        w.WriteEndArray();
    }

    private static void WriteSimulatedCalls(Utf8JsonWriter w, SimulatedBlock simulated)
    {
        w.WritePropertyName("calls"u8);
        w.WriteStartArray();
        var logIndex = 0;
        for (var i = 0; i < simulated.Results.Count; i++)
        {
            var result = simulated.Results[i];
            var receipt = simulated.Receipts[i];
            w.WriteStartObject();
            w.WritePropertyName("returnData"u8); w.WriteData(result.Output);
            w.WritePropertyName("logs"u8);
            w.WriteStartArray();
            // With traceTransfers the transfers count in the log indexes too (geth's tracer numbers them all).
            var logs = simulated.TracedLogs?[i] ?? receipt.Receipt.Logs;
            foreach (var log in logs)
                EthJsonWriter.WriteLog(w, new LogRecord(log.Address, log.Topics, log.Data, simulated.Block.Number, simulated.Block.Hash,
                    receipt.TransactionHash, i, logIndex++));
            w.WriteEndArray();
            w.WritePropertyName("gasUsed"u8); w.WriteQuantity((ulong)result.GasUsed);
            w.WritePropertyName("status"u8); w.WriteQuantity(result.Success ? 1UL : 0UL);
            if (!result.Success)
            {
                w.WriteStartObject("error"u8);
                if (result.Status == Evm.ExecutionStatus.Revert)
                {
                    w.WriteNumber("code"u8, ChainException.ExecutionRevertedCode);
                    var reason = Abi.DecodeRevertReason(result.Output);
                    w.WriteString("message"u8, reason is null ? "execution reverted" : "execution reverted: " + reason);
                    w.WritePropertyName("data"u8); w.WriteData(result.Output);
                }
                else
                {
                    // geth's code for an EVM error of a simulated call.
                    w.WriteNumber("code"u8, -32015);
                    w.WriteString("message"u8, result.Error ?? result.Status.ToString());
                }
                w.WriteEndObject();
            }
            w.WriteEndObject();
        }
        w.WriteEndArray();
    }

    private static (SimulationRequest Request, bool FullTransactions) ReadSimulation(ref Utf8JsonReader r)
    {
        var blocks = new List<SimulatedBlockRequest>();
        var validation = false;
        var traceTransfers = false;
        var full = false;
        var sawBlocks = false;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var name = r.GetString()!;
            r.Read();
            switch (name)
            {
                case "blockStateCalls":
                    sawBlocks = true;
                    Expect(ref r, JsonTokenType.StartArray, name);
                    while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                        blocks.Add(ReadSimulatedBlock(ref r, $"blockStateCalls[{blocks.Count}]"));
                    break;
                case "validation":
                    validation = ReadBool(ref r, name);
                    break;
                case "returnFullTransactions":
                    full = ReadBool(ref r, name);
                    break;
                case "traceTransfers":
                    traceTransfers = ReadBool(ref r, name);
                    break;
                default:
                    throw SimulationError($"unknown field \"{name}\" (eth_simulateV1 takes blockStateCalls, validation, traceTransfers, returnFullTransactions)");
            }
        }
        if (!sawBlocks || blocks.Count == 0) throw new RpcException(-38000, "empty input: blockStateCalls needs at least one block");
        return (new SimulationRequest { Blocks = blocks, Validation = validation, TraceTransfers = traceTransfers }, full);
    }

    private static SimulatedBlockRequest ReadSimulatedBlock(ref Utf8JsonReader r, string path)
    {
        Expect(ref r, JsonTokenType.StartObject, path);
        SimulationBlockOverrides? overrides = null;
        var accounts = new List<AccountOverride>();
        var calls = new List<CallRequest>();
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var name = r.GetString()!;
            r.Read();
            switch (name)
            {
                case "blockOverrides":
                    if (r.TokenType != JsonTokenType.Null) overrides = ReadBlockOverrides(ref r, path + ".blockOverrides");
                    break;
                case "stateOverrides":
                    if (r.TokenType == JsonTokenType.Null) break;
                    Expect(ref r, JsonTokenType.StartObject, path + ".stateOverrides");
                    while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                    {
                        var where = $"{path}.stateOverrides";
                        Check(RpcHex.TryParseAddress(System.Text.Encoding.UTF8.GetBytes(r.GetString()!), out var address), where);
                        r.Read();
                        accounts.Add(ReadAccountOverride(ref r, address, $"{where}[{address}]"));
                    }
                    break;
                case "calls":
                    if (r.TokenType == JsonTokenType.Null) break;
                    Expect(ref r, JsonTokenType.StartArray, path + ".calls");
                    while (r.Read() && r.TokenType != JsonTokenType.EndArray)
                    {
                        Check(RpcJsonReader.CallRequestValue(ref r, out var call, out _), $"{path}.calls[{calls.Count}]");
                        calls.Add(call);
                    }
                    break;
                default:
                    throw SimulationError($"{path}: unknown field \"{name}\" (a block takes blockOverrides, stateOverrides, calls)");
            }
        }
        return new SimulatedBlockRequest { BlockOverrides = overrides, StateOverrides = accounts, Calls = calls };
    }

    private static SimulationBlockOverrides ReadBlockOverrides(ref Utf8JsonReader r, string path)
    {
        Expect(ref r, JsonTokenType.StartObject, path);
        ulong? number = null, time = null, gasLimit = null;
        Address? feeRecipient = null;
        Hash256? prevRandao = null;
        UInt256? baseFee = null;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var name = r.GetString()!;
            r.Read();
            if (r.TokenType == JsonTokenType.Null) continue;
            var where = $"{path}.{name}";
            switch (name)
            {
                case "number": Check(RpcJsonReader.Quantity(ref r, out ulong n), where); number = n; break;
                case "time": Check(RpcJsonReader.Quantity(ref r, out ulong t), where); time = t; break;
                case "gasLimit": Check(RpcJsonReader.Quantity(ref r, out ulong g), where); gasLimit = g; break;
                case "feeRecipient": Check(RpcJsonReader.Address(ref r, out var a), where); feeRecipient = a; break;
                case "prevRandao": Check(RpcJsonReader.Hash(ref r, out var h), where); prevRandao = h; break;
                case "baseFeePerGas": Check(RpcJsonReader.Quantity(ref r, out UInt256 b), where); baseFee = b; break;
                case "blobBaseFee" or "withdrawals" or "beaconRoot":
                    throw SimulationError($"{where}: overriding {name} is not supported here");
                default:
                    throw SimulationError($"{where}: unknown block override (supported: number, time, gasLimit, feeRecipient, prevRandao, baseFeePerGas)");
            }
        }
        return new SimulationBlockOverrides
        {
            Number = number, Time = time, GasLimit = gasLimit, FeeRecipient = feeRecipient, PrevRandao = prevRandao, BaseFeePerGas = baseFee,
        };
    }

    private static AccountOverride ReadAccountOverride(ref Utf8JsonReader r, Address address, string path)
    {
        Expect(ref r, JsonTokenType.StartObject, path);
        UInt256? balance = null;
        ulong? nonce = null;
        byte[]? code = null;
        Dictionary<UInt256, UInt256>? state = null, stateDiff = null;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var name = r.GetString()!;
            r.Read();
            if (r.TokenType == JsonTokenType.Null) continue;
            var where = $"{path}.{name}";
            switch (name)
            {
                case "balance": Check(RpcJsonReader.Quantity(ref r, out UInt256 b), where); balance = b; break;
                case "nonce": Check(RpcJsonReader.Quantity(ref r, out ulong n), where); nonce = n; break;
                case "code": Check(RpcJsonReader.Data(ref r, out var c), where); code = c; break;
                case "state": state = ReadSlots(ref r, where); break;
                case "stateDiff": stateDiff = ReadSlots(ref r, where); break;
                case "movePrecompileToAddress": throw SimulationError($"{where}: moving precompiles is not supported here");
                default: throw SimulationError($"{where}: unknown account override (supported: balance, nonce, code, state, stateDiff)");
            }
        }
        if (state is not null && stateDiff is not null) throw SimulationError($"{path}: state and stateDiff cannot both be set");
        return new AccountOverride { Address = address, Balance = balance, Nonce = nonce, Code = code, State = state, StateDiff = stateDiff };
    }

    private static Dictionary<UInt256, UInt256> ReadSlots(ref Utf8JsonReader r, string path)
    {
        Expect(ref r, JsonTokenType.StartObject, path);
        var slots = new Dictionary<UInt256, UInt256>();
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            Check(RpcHex.TryParseHash(System.Text.Encoding.UTF8.GetBytes(r.GetString()!), out var key), path);
            var slot = key.ToUInt256();
            r.Read();
            Check(RpcJsonReader.StorageSlot(ref r, out var value), $"{path}[{slot.ToHexString()}]");
            slots[slot] = value;
        }
        return slots;
    }

    private static bool ReadBool(ref Utf8JsonReader r, string path)
    {
        Check(RpcJsonReader.Bool(ref r, out var value), path);
        return value;
    }

    private static void Expect(ref Utf8JsonReader r, JsonTokenType token, string path)
    {
        if (r.TokenType != token) throw SimulationError($"{path}: expected {RpcJsonReader.Describe(token)}, got {RpcJsonReader.Describe(r.TokenType)}");
    }

    private static void Check(string? error, string path)
    {
        if (error is not null) throw SimulationError($"{path}: {error}");
    }

    private static RpcException SimulationError(string message) => RpcException.InvalidParams("invalid argument 0 (simulation): " + message);
}
