using Thalamus.Core;

namespace Thalamus.Evm;

// CALL, CALLCODE, DELEGATECALL, STATICCALL, CREATE, CREATE2, RETURN, REVERT, SELFDESTRUCT.
// A call or creation either completes at once (refused, precompile, no code) and pushes its
// result here, or prepares the child frame and returns CallPending to the frame loop.
public sealed partial class VirtualMachine
{
    private const int OpCallCode = 0xf2;
    private const int OpCallPlain = 0xf1;
    private const int OpDelegateCall = 0xf4;

    private FrameExit OpCall(EvmFrame f, int op)
    {
        var stack = f.Stack;
        var sp = f.StackSize;
        var hasValue = op is OpCallPlain or OpCallCode;
        var gasArgument = stack[sp - 1];
        var target = Address.FromUInt256(stack[sp - 2]);
        var value = hasValue ? stack[sp - 3] : default;
        var i = hasValue ? sp - 4 : sp - 3;
        var inOffset = stack[i];
        var inSize = stack[i - 1];
        var outOffset = stack[i - 2];
        var outSize = stack[i - 3];
        f.StackSize = sp - (hasValue ? 7 : 6);

        var transfersValue = hasValue && !value.IsZero;
        if (op == OpCallPlain && transfersValue && f.IsStatic) return FrameExit.WriteProtection;

        if (!ChargeAccountAccess(f, target)) return FrameExit.OutOfGas;
        if (!f.Memory.TryExpand(ref f.Gas, inOffset, inSize) || !f.Memory.TryExpand(ref f.Gas, outOffset, outSize))
            return FrameExit.OutOfGas;
        if (transfersValue)
        {
            f.Gas -= GasCosts.CallValueTransfer;
            if (op == OpCallPlain && _state.IsDeadOrNonExistent(target)) f.Gas -= GasCosts.CallNewAccount;
        }
        if (f.Gas < 0) return FrameExit.OutOfGas;

        // EIP-150: the callee gets at most all but one 64th of what is left.
        var available = f.Gas - f.Gas / 64;
        var callGas = gasArgument.IsUInt64 && gasArgument.U0 < (ulong)available ? (long)gasArgument.U0 : available;
        f.Gas -= callGas;
        if (transfersValue) callGas += GasCosts.CallStipend;

        var input = f.Memory.Slice(inOffset, inSize);
        f.ReturnData = [];
        f.ReturnOffset = outSize.IsZero ? 0 : outOffset.U0;
        f.ReturnSize = outSize.IsZero ? 0 : outSize.U0;

        EvmFrame? child;
        CallOutcome outcome;
        switch (op)
        {
            case OpCallPlain:
                child = StartCall(CallKind.Call, f.Address, target, target, value, input, callGas, f.IsStatic, f.Depth + 1, out outcome);
                break;
            case OpCallCode:
                child = StartCall(CallKind.CallCode, f.Address, f.Address, target, value, input, callGas, f.IsStatic, f.Depth + 1, out outcome);
                break;
            case OpDelegateCall:
                child = StartCall(CallKind.DelegateCall, f.Caller, f.Address, target, f.Value, input, callGas, f.IsStatic, f.Depth + 1, out outcome);
                break;
            default:
                child = StartCall(CallKind.StaticCall, f.Address, target, target, UInt256.Zero, input, callGas, isStatic: true, f.Depth + 1, out outcome);
                break;
        }
        if (child is not null) return FrameExit.CallPending;
        Deliver(f, FrameKind.Call, default, outcome);
        return FrameExit.Continue;
    }

    private FrameExit OpCreate(EvmFrame f, bool isCreate2)
    {
        if (f.IsStatic) return FrameExit.WriteProtection;
        var stack = f.Stack;
        var sp = f.StackSize;
        var value = stack[sp - 1];
        var offset = stack[sp - 2];
        var size = stack[sp - 3];
        var salt = isCreate2 ? stack[sp - 4] : default;
        f.StackSize = sp - (isCreate2 ? 4 : 3);

        if (!size.IsZero)
        {
            if (!size.IsUInt64 || size.U0 > EvmMemory.MaxSize) return FrameExit.OutOfGas;
            if (!f.Memory.TryExpand(ref f.Gas, offset, size)) return FrameExit.OutOfGas;
            if (size.U0 > GasCosts.MaxInitCodeSize) return FrameExit.InitCodeSizeExceeded; // EIP-3860
            var words = GasCosts.Words((long)size.U0);
            f.Gas -= GasCosts.InitCodeWord * words + (isCreate2 ? GasCosts.Keccak256Word * words : 0);
            if (f.Gas < 0) return FrameExit.OutOfGas;
        }

        var initCode = f.Memory.Slice(offset, size);
        f.ReturnData = [];
        var callGas = f.Gas - f.Gas / 64;
        f.Gas -= callGas;

        Address address;
        CodeInfo code;
        if (isCreate2)
        {
            var codeHash = Keccak256.Compute(initCode);
            address = ContractAddress.From(f.Address, salt, codeHash);
            code = CodeInfoCache.GetOrAdd(codeHash, initCode);
        }
        else
        {
            address = ContractAddress.From(f.Address, _state.GetNonce(f.Address));
            code = CodeInfoFor(initCode);
        }

        var child = StartCreate(f.Address, address, code, value, callGas, f.Depth + 1, out var outcome, isCreate2);
        if (child is not null) return FrameExit.CallPending;
        Deliver(f, FrameKind.Create, address, outcome);
        return FrameExit.Continue;
    }

    private static FrameExit OpReturn(EvmFrame f, bool isRevert)
    {
        var sp = f.StackSize;
        var offset = f.Stack[sp - 1];
        var size = f.Stack[sp - 2];
        f.StackSize = sp - 2;
        if (!f.Memory.TryExpand(ref f.Gas, offset, size)) return FrameExit.OutOfGas;
        f.Output = f.Memory.Slice(offset, size);
        return isRevert ? FrameExit.Revert : FrameExit.Return;
    }

    /// <summary>EIP-6780: moves the balance; only a contract created in this transaction is actually deleted (at its end).</summary>
    private FrameExit OpSelfDestruct(EvmFrame f)
    {
        if (f.IsStatic) return FrameExit.WriteProtection;
        var beneficiary = Address.FromUInt256(f.Stack[--f.StackSize]);
        if (!_state.WarmAddress(beneficiary)) f.Gas -= GasCosts.ColdAccountAccess;
        var balance = _state.GetBalance(f.Address);
        if (!balance.IsZero && _state.IsDeadOrNonExistent(beneficiary)) f.Gas -= GasCosts.SelfDestructNewAccount;
        if (f.Gas < 0) return FrameExit.OutOfGas;

        if (!balance.IsZero) _state.SubtractFromBalance(f.Address, balance);
        _state.AddToBalance(beneficiary, balance);
        if (_state.WasCreatedInTransaction(f.Address))
        {
            // The account goes at the end of the transaction; its balance (even one sent to itself) is burnt now.
            var left = _state.GetBalance(f.Address);
            if (!left.IsZero) _state.SubtractFromBalance(f.Address, left);
            _destroyed.Add(f.Address);
        }
        return FrameExit.Stop;
    }
}
