using Thalamus.Core;

namespace Thalamus.Evm;

/// <summary>
/// One call frame: code, stack, memory, gas and context. Frames are pooled by depth inside a
/// <see cref="VirtualMachine"/>, so the 32 KiB stack and the memory buffer are allocated once
/// per depth reached, not per call.
/// </summary>
internal sealed class EvmFrame
{
    public readonly UInt256[] Stack = new UInt256[GasCosts.StackLimit];
    public readonly EvmMemory Memory = new();

    public int StackSize;
    public int Pc;
    public long Gas;
    public CodeInfo Code = CodeInfo.Empty;
    public byte[] Input = [];
    /// <summary>Output of the most recent child call (RETURNDATASIZE/RETURNDATACOPY).</summary>
    public byte[] ReturnData = [];
    /// <summary>The account whose storage and balance this frame acts on (ADDRESS).</summary>
    public Address Address;
    public Address Caller;
    // ADDRESS and CALLER as words, so the loop pushes them without converting.
    public UInt256 AddressWord;
    public UInt256 CallerWord;
    public UInt256 Value;
    public bool IsStatic;
    /// <summary>0 for the transaction's own frame.</summary>
    public int Depth;
    public FrameKind Kind;

    // Undo marks: a failing frame rolls the state, logs, self-destructs and refund counter back to these.
    public int Snapshot;
    public int LogCount;
    public int DestroyedCount;
    public long RefundAtStart;

    /// <summary>RETURN/REVERT data once the frame halts.</summary>
    public byte[] Output = [];

    // Where the pending child's output goes in this frame's memory (CALL family only).
    public ulong ReturnOffset;
    public ulong ReturnSize;

    public void Reset(int depth)
    {
        Depth = depth;
        StackSize = 0;
        Pc = 0;
        Memory.Reset();
        ReturnData = [];
        Output = [];
        ReturnOffset = 0;
        ReturnSize = 0;
    }
}
