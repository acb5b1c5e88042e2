using System.Runtime.CompilerServices;
using Thalamus.Core;

namespace Thalamus.Evm;

// Environment instructions that read other accounts (EIP-2929 cold/warm priced) or copy data
// into memory.
public sealed partial class VirtualMachine
{
    /// <summary>EIP-2929: the table charged the warm cost; a cold account costs the difference on top.</summary>
    private bool ChargeAccountAccess(EvmFrame f, in Address address)
    {
        if (!_state.WarmAddress(address)) f.Gas -= GasCosts.ColdAccountAccess - GasCosts.WarmStorageRead;
        return f.Gas >= 0;
    }

    /// <summary>3 gas per word copied plus the memory expansion of [destination, destination+size).</summary>
    private static bool ChargeCopy(EvmFrame f, in UInt256 destination, in UInt256 size)
    {
        if (size.IsZero) return true;
        if (!size.IsUInt64 || size.U0 > EvmMemory.MaxSize) return false;
        f.Gas -= GasCosts.Copy * GasCosts.Words((long)size.U0);
        return f.Gas >= 0 && f.Memory.TryExpand(ref f.Gas, destination, size);
    }

    private FrameExit OpBalance(EvmFrame f)
    {
        ref var slot = ref f.Stack[f.StackSize - 1];
        var address = Address.FromUInt256(slot);
        if (!ChargeAccountAccess(f, address)) return FrameExit.OutOfGas;
        slot = _state.GetBalance(address);
        return FrameExit.Continue;
    }

    private FrameExit OpExtCodeSize(EvmFrame f)
    {
        ref var slot = ref f.Stack[f.StackSize - 1];
        var address = Address.FromUInt256(slot);
        if (!ChargeAccountAccess(f, address)) return FrameExit.OutOfGas;
        slot = new UInt256((ulong)CodeInfoAt(address).Length); // by code hash: no code read when cached
        return FrameExit.Continue;
    }

    private FrameExit OpExtCodeHash(EvmFrame f)
    {
        ref var slot = ref f.Stack[f.StackSize - 1];
        var address = Address.FromUInt256(slot);
        if (!ChargeAccountAccess(f, address)) return FrameExit.OutOfGas;
        // EIP-1052 with EIP-161: an empty or absent account has hash 0, not keccak("").
        slot = _state.IsDeadOrNonExistent(address) ? default : _state.GetCodeHash(address).ToUInt256();
        return FrameExit.Continue;
    }

    private FrameExit OpExtCodeCopy(EvmFrame f)
    {
        var stack = f.Stack;
        var sp = f.StackSize;
        var address = Address.FromUInt256(stack[sp - 1]);
        var destination = stack[sp - 2];
        var offset = stack[sp - 3];
        var size = stack[sp - 4];
        f.StackSize = sp - 4;
        if (!ChargeAccountAccess(f, address) || !ChargeCopy(f, destination, size)) return FrameExit.OutOfGas;
        if (!size.IsZero) f.Memory.CopyPadded(destination.U0, CodeInfoAt(address).Code, offset, size.U0);
        return FrameExit.Continue;
    }

    /// <summary>CALLDATACOPY and CODECOPY: zero-padded copy of <paramref name="source"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static FrameExit OpCopy(EvmFrame f, byte[] source)
    {
        var stack = f.Stack;
        var sp = f.StackSize;
        var destination = stack[sp - 1];
        var offset = stack[sp - 2];
        var size = stack[sp - 3];
        f.StackSize = sp - 3;
        if (!ChargeCopy(f, destination, size)) return FrameExit.OutOfGas;
        if (!size.IsZero) f.Memory.CopyPadded(destination.U0, source, offset, size.U0);
        return FrameExit.Continue;
    }

    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    private static FrameExit OpReturnDataCopy(EvmFrame f)
    {
        var stack = f.Stack;
        var sp = f.StackSize;
        var destination = stack[sp - 1];
        var offset = stack[sp - 2];
        var size = stack[sp - 3];
        f.StackSize = sp - 3;
        if (!ChargeCopy(f, destination, size)) return FrameExit.OutOfGas;
        // EIP-211: reading past the end of the return data is an exceptional halt, not zero padding.
        var data = f.ReturnData;
        if (!offset.IsUInt64 || !size.IsUInt64 || offset.U0 + size.U0 < offset.U0 || offset.U0 + size.U0 > (ulong)data.Length)
            return FrameExit.ReturnDataOutOfBounds;
        if (!size.IsZero) data.AsSpan((int)offset.U0, (int)size.U0).CopyTo(f.Memory.Span(destination.U0, size.U0));
        return FrameExit.Continue;
    }
}
