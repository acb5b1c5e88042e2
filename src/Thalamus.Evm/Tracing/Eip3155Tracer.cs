using System.Globalization;
using System.Text;
using Thalamus.Core;

namespace Thalamus.Evm;

/// <summary>
/// Writes EIP-3155 JSON lines: one per instruction
/// (<c>{"pc","op","gas","gasCost","memSize","stack","depth","refund","opName"}</c>) and a summary
/// line per transaction (<c>{"output","gasUsed","error"}</c>), so a trace can be diffed against
/// geth's <c>evm --json</c> or evmone's.
/// </summary>
public sealed class Eip3155Tracer : IExecutionTracer
{
    private readonly TextWriter _writer;
    private readonly StringBuilder _line = new(256);

    // The step waiting for its gas cost.
    private bool _pending;
    private int _pc;
    private byte _op;
    private long _gas;
    private int _depth;
    private long _refund;
    private long _memSize;
    private UInt256[] _stack = new UInt256[16];
    private int _stackCount;

    public Eip3155Tracer(TextWriter writer) => _writer = writer;

    public void OnStep(in ExecutionStep step)
    {
        if (_pending) Flush(0, null);
        _pending = true;
        _pc = step.Pc;
        _op = step.Opcode;
        _gas = step.Gas;
        _depth = step.Depth;
        _refund = step.Refund;
        _memSize = step.Memory.Length;
        if (_stack.Length < step.Stack.Length) _stack = new UInt256[Math.Max(step.Stack.Length, _stack.Length * 2)];
        step.Stack.CopyTo(_stack);
        _stackCount = step.Stack.Length;
    }

    public void OnStepEnd(long gasRemaining, string? error)
    {
        if (!_pending) return;
        Flush(error is null ? _gas - gasRemaining : _gas - Math.Max(gasRemaining, 0), error);
    }

    public void OnTransactionEnd(ReadOnlySpan<byte> output, long gasUsed, string? error)
    {
        if (_pending) Flush(0, null);
        _line.Clear();
        _line.Append("{\"output\":\"").Append(Hex.Encode(output, prefix: false)).Append("\",\"gasUsed\":\"0x")
            .Append(gasUsed.ToString("x", CultureInfo.InvariantCulture)).Append('"');
        if (error is not null) _line.Append(",\"error\":\"").Append(error).Append('"');
        _line.Append('}');
        _writer.WriteLine(_line.ToString());
        _writer.Flush();
    }

    private void Flush(long gasCost, string? error)
    {
        _pending = false;
        var sb = _line.Clear();
        sb.Append("{\"pc\":").Append(_pc)
          .Append(",\"op\":").Append(_op)
          .Append(",\"gas\":\"0x").Append(_gas.ToString("x", CultureInfo.InvariantCulture))
          .Append("\",\"gasCost\":\"0x").Append(gasCost.ToString("x", CultureInfo.InvariantCulture))
          .Append("\",\"memSize\":").Append(_memSize)
          .Append(",\"stack\":[");
        for (var i = 0; i < _stackCount; i++)
        {
            if (i > 0) sb.Append(',');
            sb.Append('"').Append(_stack[i].ToHexString()).Append('"');
        }
        sb.Append("],\"depth\":").Append(_depth)
          .Append(",\"refund\":").Append(_refund)
          .Append(",\"opName\":\"").Append(OpcodeTable.NameOf(_op) ?? $"opcode 0x{_op:x2} not defined").Append('"');
        if (error is not null) sb.Append(",\"error\":\"").Append(error).Append('"');
        sb.Append('}');
        _writer.WriteLine(sb.ToString());
    }
}
