using Thalamus.Core;

namespace Thalamus.Evm;

// SLOAD and SSTORE: EIP-2929 cold/warm slot pricing, EIP-2200 net metering with the EIP-3529
// refunds. (TLOAD/TSTORE are flat-priced and live in the loop.)
public sealed partial class VirtualMachine
{
    private FrameExit OpSload(EvmFrame f)
    {
        ref var slot = ref f.Stack[f.StackSize - 1];
        f.Gas -= _state.WarmStorageSlot(f.Address, slot) ? GasCosts.WarmStorageRead : GasCosts.ColdSload;
        if (f.Gas < 0) return FrameExit.OutOfGas;
        slot = _state.GetStorage(f.Address, slot);
        return FrameExit.Continue;
    }

    private FrameExit OpSstore(EvmFrame f)
    {
        if (f.IsStatic) return FrameExit.WriteProtection;
        // EIP-2200: SSTORE may not run on the call stipend alone.
        if (f.Gas <= GasCosts.SstoreSentry) return FrameExit.OutOfGas;

        var sp = f.StackSize;
        var key = f.Stack[sp - 1];
        var value = f.Stack[sp - 2];
        f.StackSize = sp - 2;

        long cost = _state.WarmStorageSlot(f.Address, key) ? 0 : GasCosts.ColdSload;
        long refund = 0;
        var current = _state.GetStorage(f.Address, key);
        if (current == value)
        {
            cost += GasCosts.WarmStorageRead;
        }
        else
        {
            var original = _state.GetOriginalStorage(f.Address, key);
            if (original == current)
            {
                if (original.IsZero)
                {
                    cost += GasCosts.SstoreSet;
                }
                else
                {
                    cost += GasCosts.SstoreReset;
                    if (value.IsZero) refund += GasCosts.SstoreClearsScheduleRefund;
                }
            }
            else
            {
                cost += GasCosts.WarmStorageRead;
                if (!original.IsZero)
                {
                    if (current.IsZero) refund -= GasCosts.SstoreClearsScheduleRefund;
                    else if (value.IsZero) refund += GasCosts.SstoreClearsScheduleRefund;
                }
                if (original == value)
                {
                    refund += original.IsZero
                        ? GasCosts.SstoreSet - GasCosts.WarmStorageRead
                        : GasCosts.SstoreReset - GasCosts.WarmStorageRead;
                }
            }
        }

        f.Gas -= cost;
        if (f.Gas < 0) return FrameExit.OutOfGas;
        _refund += refund;
        if (current != value) _state.SetStorage(f.Address, key, value);
        return FrameExit.Continue;
    }
}
