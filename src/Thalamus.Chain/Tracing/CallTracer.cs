using System.Text.Json;
using Thalamus.Core;
using Thalamus.Evm;

namespace Thalamus.Chain.Tracing;

/// <summary>
/// geth's callTracer: the tree of calls and creations with from, to, gas, gasUsed, input, output,
/// value, error and revertReason; <c>onlyTopCall</c> keeps the transaction's own call only;
/// <c>withLog</c> adds each frame's logs (none for frames that failed). A synchronous call through
/// the cluster's CrossChainCall address gets one child: the call it made on the destination chain
/// (<c>chainId</c> names it; from is the calling contract, which the destination sees as
/// messageSender(); its own inner calls are not traced).
/// </summary>
public sealed class CallTracer(bool onlyTopCall = false, bool withLog = false) : ITransactionTracer
{
    private static readonly string[] Names = BuildNames();
    private readonly Stack<CallFrame> _open = new();
    private CallFrame? _root;
    private long _gasLimit;

    /// <summary>The transaction's own call, after the transaction ended.</summary>
    public CallFrame? Root => _root;

    public void OnTransactionStart(Transaction tx, in Address sender, BlockContext block) => _gasLimit = (long)tx.GasLimit;

    public void OnEnter(int depth, byte opcode, in Address from, in Address to, ReadOnlySpan<byte> input, long gas, in UInt256 value)
    {
        if (onlyTopCall && depth > 0)
        {
            _open.Push(null!); // keeps enter and exit paired
            return;
        }
        var frame = new CallFrame
        {
            Type = Names[opcode],
            From = from,
            To = to,
            Input = input.ToArray(),
            Gas = depth == 0 && _gasLimit > 0 ? _gasLimit : gas,
            Value = opcode is 0xF4 or 0xFA ? null : value,
        };
        frame.GasUsed = gas; // the gas it got, until it exits
        if (_open.TryPeek(out var parent) && parent is not null) parent.Calls.Add(frame);
        else if (depth == 0) _root = frame;
        _open.Push(frame);
    }

    public void OnExit(int depth, ReadOnlySpan<byte> output, long gasLeft, string? error)
    {
        if (!_open.TryPop(out var frame) || frame is null) return;
        frame.GasUsed -= gasLeft;
        frame.Output = output.ToArray();
        if (error is not null)
        {
            frame.Error = error;
            if (frame.Type is "CREATE" or "CREATE2") frame.To = null;
            if (error != "execution reverted" || output.IsEmpty) frame.Output = null;
            else frame.RevertReason = Abi.DecodeRevertReason(output) is { } reason && !reason.StartsWith("panic: ", StringComparison.Ordinal) ? reason : null;
            frame.Logs.Clear();
        }
        if (frame.To == CrossChainCall.Address) AddDestinationCall(frame);
    }

    public void OnLog(in LogEntry log)
    {
        if (!withLog || !_open.TryPeek(out var frame) || frame is null) return;
        frame.Logs.Add((log, frame.Calls.Count));
    }

    public bool TracesSteps => false;

    public void OnStep(in ExecutionStep step) { }

    public void OnStepEnd(long gasRemaining, string? error) { }

    public void OnTransactionEnd(ReadOnlySpan<byte> output, long gasUsed, string? error)
    {
        if (_root is null) return;
        _root.GasUsed = gasUsed;
        if (withLog && _root.Error is not null) ClearLogs(_root);
    }

    /// <summary>geth drops the logs of every frame below one that failed.</summary>
    private static void ClearLogs(CallFrame frame)
    {
        frame.Logs.Clear();
        foreach (var call in frame.Calls) ClearLogs(call);
    }

    /// <summary>
    /// <c>crossCall(uint256 chainId, address target, bytes data) returns (bool ok, bytes result)</c>:
    /// the destination call as a child frame, decoded from the ABI words of the input and output.
    /// </summary>
    private static void AddDestinationCall(CallFrame frame)
    {
        var input = frame.Input.AsSpan();
        if (input.Length < 4 + 96 || !TryReadBytes(input[4..], 64, out var data)) return;
        var chain = UInt256.FromBigEndian(input.Slice(4, 32));
        if (!chain.IsUInt64) return;
        var target = new Address(input.Slice(4 + 32 + 12, 20));
        var output = frame.Output.AsSpan();
        var ok = output.Length >= 64 && output[31] == 1;
        var result = output.Length >= 64 && TryReadBytes(output, 32, out var bytes) ? bytes : [];
        var gas = Math.Max(0, frame.Gas - CrossChainCall.BaseGas);
        frame.Calls.Add(new CallFrame
        {
            Type = frame.Type == "STATICCALL" ? "STATICCALL" : "CALL",
            From = frame.From,
            To = target,
            Input = data,
            Output = ok || result.Length > 0 ? result : null,
            Gas = gas,
            GasUsed = Math.Clamp(frame.GasUsed - CrossChainCall.BaseGas, 0, gas),
            Value = frame.Type == "STATICCALL" ? null : UInt256.Zero,
            Error = frame.Error is null && !ok ? "execution reverted" : null,
            RevertReason = ok ? null : Abi.DecodeRevertReason(result),
            ChainId = (ulong)chain,
        });
    }

    /// <summary>An ABI <c>bytes</c> whose offset word is at <paramref name="offsetAt"/>.</summary>
    private static bool TryReadBytes(ReadOnlySpan<byte> body, int offsetAt, out byte[] bytes)
    {
        bytes = [];
        var offset = UInt256.FromBigEndian(body.Slice(offsetAt, 32));
        if (!offset.IsUInt64 || (ulong)offset > (ulong)body.Length - 32) return false;
        var at = (int)(ulong)offset;
        var length = UInt256.FromBigEndian(body.Slice(at, 32));
        if (!length.IsUInt64 || (ulong)length > (ulong)(body.Length - at - 32)) return false;
        bytes = body.Slice(at + 32, (int)(ulong)length).ToArray();
        return true;
    }

    public void WriteResult(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_root is null) writer.WriteNullValue();
        else Write(writer, _root);
    }

    private static void Write(Utf8JsonWriter w, CallFrame frame)
    {
        w.WriteStartObject();
        w.WriteString("from"u8, frame.From.ToString());
        w.WriteString("gas"u8, "0x" + frame.Gas.ToString("x"));
        w.WriteString("gasUsed"u8, "0x" + frame.GasUsed.ToString("x"));
        if (frame.To is { } to) w.WriteString("to"u8, to.ToString());
        w.WriteString("input"u8, Hex.Encode(frame.Input));
        if (frame.Output is { } output && (output.Length > 0 || frame.Error is null)) w.WriteString("output"u8, Hex.Encode(output));
        if (frame.Error is { } error) w.WriteString("error"u8, error);
        if (frame.RevertReason is { } reason) w.WriteString("revertReason"u8, reason);
        if (frame.Calls.Count > 0)
        {
            w.WriteStartArray("calls"u8);
            foreach (var call in frame.Calls) Write(w, call);
            w.WriteEndArray();
        }
        if (frame.Logs.Count > 0)
        {
            w.WriteStartArray("logs"u8);
            foreach (var (log, position) in frame.Logs)
            {
                w.WriteStartObject();
                w.WriteString("address"u8, log.Address.ToString());
                w.WriteStartArray("topics"u8);
                foreach (var topic in log.Topics) w.WriteStringValue(topic.ToString());
                w.WriteEndArray();
                w.WriteString("data"u8, Hex.Encode(log.Data));
                w.WriteString("position"u8, "0x" + position.ToString("x"));
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (frame.Value is { } value) w.WriteString("value"u8, value.ToHexString());
        w.WriteString("type"u8, frame.Type);
        if (frame.ChainId is { } chainId) w.WriteString("chainId"u8, "0x" + chainId.ToString("x"));
        w.WriteEndObject();
    }

    private static string[] BuildNames()
    {
        var names = new string[256];
        Array.Fill(names, "CALL");
        names[0xF0] = "CREATE";
        names[0xF1] = "CALL";
        names[0xF2] = "CALLCODE";
        names[0xF4] = "DELEGATECALL";
        names[0xF5] = "CREATE2";
        names[0xFA] = "STATICCALL";
        return names;
    }
}
