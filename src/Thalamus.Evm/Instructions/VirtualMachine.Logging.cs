using Thalamus.Core;

namespace Thalamus.Evm;

// LOG0..LOG4. Logs are kept in one list for the transaction; a frame that fails truncates it
// back to where it started, so reverted frames' logs vanish with them.
public sealed partial class VirtualMachine
{
    private FrameExit OpLog(EvmFrame f, int topicCount)
    {
        if (f.IsStatic) return FrameExit.WriteProtection;
        var stack = f.Stack;
        var sp = f.StackSize;
        var offset = stack[sp - 1];
        var size = stack[sp - 2];
        if (!size.IsZero)
        {
            if (!size.IsUInt64 || size.U0 > EvmMemory.MaxSize) return FrameExit.OutOfGas;
            f.Gas -= GasCosts.LogData * (long)size.U0;
            if (f.Gas < 0 || !f.Memory.TryExpand(ref f.Gas, offset, size)) return FrameExit.OutOfGas;
        }
        var topics = topicCount == 0 ? [] : new Hash256[topicCount];
        for (var i = 0; i < topicCount; i++) topics[i] = Hash256.FromUInt256(stack[sp - 3 - i]);
        f.StackSize = sp - 2 - topicCount;
        var log = new LogEntry(f.Address, topics, f.Memory.Slice(offset, size));
        _logs.Add(log);
        _tracer?.OnLog(log);
        return FrameExit.Continue;
    }
}
