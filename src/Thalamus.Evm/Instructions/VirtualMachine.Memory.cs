using System.Runtime.CompilerServices;
using Thalamus.Core;

namespace Thalamus.Evm;

// Memory instructions that are not inlined in the loop: KECCAK256 and MCOPY (MLOAD, MSTORE
// and MSTORE8 are in the loop itself).
public sealed partial class VirtualMachine
{
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static FrameExit OpKeccak256(EvmFrame f)
    {
        var stack = f.Stack;
        var sp = f.StackSize;
        var offset = stack[sp - 1];
        var size = stack[sp - 2];
        if (!size.IsZero)
        {
            if (!size.IsUInt64 || size.U0 > EvmMemory.MaxSize) return FrameExit.OutOfGas;
            f.Gas -= GasCosts.Keccak256Word * GasCosts.Words((long)size.U0);
            if (f.Gas < 0 || !f.Memory.TryExpand(ref f.Gas, offset, size)) return FrameExit.OutOfGas;
        }
        ReadOnlySpan<byte> data = size.IsZero ? [] : f.Memory.Span(offset.U0, size.U0);
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Compute(data, hash);
        stack[sp - 2] = UInt256.FromBigEndian(hash);
        f.StackSize = sp - 1;
        return FrameExit.Continue;
    }

    /// <summary>EIP-5656: copy within memory; overlapping ranges behave as memmove.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static FrameExit OpMcopy(EvmFrame f)
    {
        var stack = f.Stack;
        var sp = f.StackSize;
        var destination = stack[sp - 1];
        var source = stack[sp - 2];
        var size = stack[sp - 3];
        f.StackSize = sp - 3;
        if (size.IsZero) return FrameExit.Continue;
        if (!ChargeCopy(f, destination, size) || !f.Memory.TryExpand(ref f.Gas, source, size)) return FrameExit.OutOfGas;
        f.Memory.Span(source.U0, size.U0).CopyTo(f.Memory.Span(destination.U0, size.U0));
        return FrameExit.Continue;
    }
}
