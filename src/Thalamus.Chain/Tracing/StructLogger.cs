using System.Buffers;
using System.Text.Json;
using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Chain.Tracing;

/// <summary>
/// geth's default tracer (the struct logger): one entry per instruction with pc, op, gas, gasCost,
/// depth, stack (0x-quantities, bottom first), memory (32-byte words, unless disabled), the
/// storage the contract has touched so far at SLOAD/SSTORE, the refund counter and the error;
/// then <c>{gas, failed, returnValue, structLogs}</c>. The fields are EIP-3155's, as geth names
/// them. Entries are written as JSON while the transaction runs, so a long trace costs its text,
/// not an object per step.
/// </summary>
public sealed class StructLogger : ITransactionTracer
{
    private const byte OpSload = 0x54;
    private const byte OpSstore = 0x55;

    private readonly TraceOptions _options;
    private readonly ArrayBufferWriter<byte> _buffer = new(4096);
    private readonly Utf8JsonWriter _json;
    // The account each open frame acts on (SLOAD/SSTORE) and the storage it touched (geth keeps it per account).
    private readonly Stack<Address> _contexts = new();
    private readonly Dictionary<Address, SortedDictionary<UInt256, UInt256>> _storage = [];
    private readonly char[] _hexKey = new char[64];
    private readonly char[] _hexValue = new char[64];
    private IWorldState? _state;
    private bool _open;
    private long _gas;
    private int _steps;
    private long _gasUsed;
    private bool _failed;
    private byte[] _returnValue = [];
    private bool _tooLarge;

    public StructLogger(TraceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options;
        _json = new Utf8JsonWriter(_buffer, new JsonWriterOptions { SkipValidation = true });
        _json.WriteStartArray();
    }

    public IWorldState Wrap(IWorldState state) => _state = state;

    public void OnEnter(int depth, byte opcode, in Address from, in Address to, ReadOnlySpan<byte> input, long gas, in UInt256 value) =>
        _contexts.Push(opcode is 0xF2 or 0xF4 ? from : to); // CALLCODE and DELEGATECALL act on the caller's account

    public void OnExit(int depth, ReadOnlySpan<byte> output, long gasLeft, string? error) => _contexts.TryPop(out _);

    public void OnStep(in ExecutionStep step)
    {
        if (_open) CloseStep(0, null);
        if (_tooLarge || (_options.Limit > 0 && _steps >= _options.Limit)) return;
        if (_json.BytesCommitted + _json.BytesPending > _options.MaxStructLogBytes)
        {
            _tooLarge = true;
            return;
        }
        _steps++;
        _open = true;
        _gas = step.Gas;
        var w = _json;
        w.WriteStartObject();
        w.WriteNumber("pc"u8, step.Pc);
        w.WriteString("op"u8, OpcodeTable.NameOf(step.Opcode) ?? $"opcode 0x{step.Opcode:x2} not defined");
        w.WriteNumber("gas"u8, step.Gas);
        w.WriteNumber("depth"u8, step.Depth);
        if (!_options.DisableStack)
        {
            w.WriteStartArray("stack"u8);
            foreach (var word in step.Stack) WriteQuantity(w, word);
            w.WriteEndArray();
        }
        if (_options.EnableMemory)
        {
            w.WriteStartArray("memory"u8);
            for (var at = 0; at + 32 <= step.Memory.Length; at += 32) w.WriteStringValue(Hex.Encode(step.Memory.Slice(at, 32), prefix: false));
            w.WriteEndArray();
        }
        if (_options.EnableReturnData && step.ReturnData.Length > 0) w.WriteString("returnData"u8, Hex.Encode(step.ReturnData));
        if (!_options.DisableStorage && step.Opcode is OpSload or OpSstore && _contexts.TryPeek(out var contract)) WriteStorage(step, contract);
        if (step.Refund != 0) w.WriteNumber("refund"u8, step.Refund);
    }

    /// <summary>A stack word as geth prints it there: a 0x-quantity without leading zeros, written without allocating.</summary>
    private static void WriteQuantity(Utf8JsonWriter w, in UInt256 value)
    {
        Span<byte> bytes = stackalloc byte[32];
        value.WriteBigEndian(bytes);
        var first = 0;
        while (first < 31 && bytes[first] == 0) first++;
        Span<byte> text = stackalloc byte[2 + 64];
        text[0] = (byte)'0';
        text[1] = (byte)'x';
        var at = 2;
        var high = bytes[first] >> 4;
        if (high != 0) text[at++] = HexDigits[high];
        text[at++] = HexDigits[bytes[first] & 0xF];
        for (var i = first + 1; i < 32; i++)
        {
            text[at++] = HexDigits[bytes[i] >> 4];
            text[at++] = HexDigits[bytes[i] & 0xF];
        }
        w.WriteStringValue(text[..at]);
    }

    private static ReadOnlySpan<byte> HexDigits => "0123456789abcdef"u8;

    private void WriteStorage(in ExecutionStep step, in Address contract)
    {
        var stack = step.Stack;
        if (step.Opcode == OpSload ? stack.Length < 1 : stack.Length < 2) return; // it will fail with a stack underflow
        var key = stack[^1];
        var value = step.Opcode == OpSstore ? stack[^2] : _state?.GetStorage(contract, key) ?? default;
        if (!_storage.TryGetValue(contract, out var slots)) _storage[contract] = slots = [];
        slots[key] = value;
        _json.WriteStartObject("storage"u8);
        foreach (var (slot, stored) in slots) _json.WriteString(Word(slot, _hexKey), Word(stored, _hexValue));
        _json.WriteEndObject();
    }

    /// <summary>A storage word as geth prints it there: 64 hex digits, no prefix.</summary>
    private static ReadOnlySpan<char> Word(in UInt256 value, char[] into)
    {
        Span<byte> bytes = stackalloc byte[32];
        value.WriteBigEndian(bytes);
        Convert.TryToHexStringLower(bytes, into, out _);
        return into;
    }

    public void OnStepEnd(long gasRemaining, string? error)
    {
        if (_open) CloseStep(_gas - Math.Max(gasRemaining, 0), error);
    }

    private void CloseStep(long gasCost, string? error)
    {
        _open = false;
        _json.WriteNumber("gasCost"u8, gasCost);
        if (error is not null) _json.WriteString("error"u8, error);
        _json.WriteEndObject();
    }

    public void OnTransactionEnd(ReadOnlySpan<byte> output, long gasUsed, string? error)
    {
        if (_open) CloseStep(0, null);
        _gasUsed = gasUsed;
        _failed = error is not null;
        _returnValue = output.ToArray();
    }

    public void WriteResult(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (_tooLarge)
            throw new ChainException($"trace too large: the struct logs passed {_options.MaxStructLogBytes} bytes after {_steps} steps; " +
                "trace with a limit, disableStack or disableStorage, or use the callTracer");
        if (_open) CloseStep(0, null);
        _json.WriteEndArray();
        _json.Flush();
        writer.WriteStartObject();
        writer.WriteNumber("gas"u8, _gasUsed);
        writer.WriteBoolean("failed"u8, _failed);
        writer.WriteString("returnValue"u8, Hex.Encode(_returnValue));
        writer.WritePropertyName("structLogs"u8);
        writer.WriteRawValue(_buffer.WrittenSpan, skipInputValidation: true);
        writer.WriteEndObject();
    }
}
