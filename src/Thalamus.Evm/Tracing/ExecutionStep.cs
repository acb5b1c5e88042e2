using Thalamus.Core;

namespace Thalamus.Evm;

/// <summary>The machine state just before one instruction runs, as a tracer sees it (valid only during the callback).</summary>
public readonly ref struct ExecutionStep
{
    public ExecutionStep(int pc, byte opcode, long gas, int depth, long refund,
        ReadOnlySpan<UInt256> stack, ReadOnlySpan<byte> memory, ReadOnlySpan<byte> returnData)
    {
        Pc = pc;
        Opcode = opcode;
        Gas = gas;
        Depth = depth;
        Refund = refund;
        Stack = stack;
        Memory = memory;
        ReturnData = returnData;
    }

    public int Pc { get; }
    public byte Opcode { get; }
    /// <summary>Gas left before the instruction is charged.</summary>
    public long Gas { get; }
    /// <summary>1 for the transaction's own frame (EIP-3155 numbering).</summary>
    public int Depth { get; }
    /// <summary>The transaction's refund counter so far.</summary>
    public long Refund { get; }
    /// <summary>Bottom first; the top of the stack is the last element.</summary>
    public ReadOnlySpan<UInt256> Stack { get; }
    public ReadOnlySpan<byte> Memory { get; }
    public ReadOnlySpan<byte> ReturnData { get; }
}
