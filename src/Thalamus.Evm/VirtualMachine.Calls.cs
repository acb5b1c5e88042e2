using Thalamus.Core;

namespace Thalamus.Evm;

// How frames start and end: the message-call and creation rules shared by the transaction's
// own call and the CALL*/CREATE* instructions (geth's evm.Call / CallCode / DelegateCall /
// StaticCall / create).
public sealed partial class VirtualMachine
{
    /// <summary>
    /// Starts a message call at <paramref name="depth"/>. Returns the child frame, ready to run, or
    /// null when the call finished without one (refused, precompile, no code) with <paramref name="outcome"/>.
    /// </summary>
    /// <param name="contextAddress">The account whose storage/balance the code acts on (ADDRESS).</param>
    /// <param name="codeAddress">The account whose code runs.</param>
    private EvmFrame? StartCall(CallKind kind, in Address caller, in Address contextAddress, in Address codeAddress,
        in UInt256 value, byte[] input, long gas, bool isStatic, int depth, out CallOutcome outcome)
    {
        if (_tracer is null) return StartCallUntraced(kind, caller, contextAddress, codeAddress, value, input, gas, isStatic, depth, out outcome);
        // geth's callTracer names the calling contract (for DELEGATECALL the one that delegates) and the code's account.
        var from = kind == CallKind.DelegateCall ? contextAddress : caller;
        _tracer.OnEnter(depth, CallOpcodes[(int)kind], from, codeAddress, input, gas, value);
        var frame = StartCallUntraced(kind, caller, contextAddress, codeAddress, value, input, gas, isStatic, depth, out outcome);
        if (frame is null) TraceUnstartedExit(depth, outcome, refusal: depth > GasCosts.MaxCallDepth ? "max call depth exceeded" : "insufficient balance for transfer");
        return frame;
    }

    private static readonly byte[] CallOpcodes = [0xF1, 0xF2, 0xF4, 0xFA];

    /// <summary>Reports the end of a call or creation that never got a frame (refused, precompile, no code, cross-chain).</summary>
    private void TraceUnstartedExit(int depth, in CallOutcome outcome, string refusal)
    {
        // A refusal is the only way such a call ends in Revert (it keeps its gas, with no output).
        var error = outcome.Status == ExecutionStatus.Revert ? refusal : outcome.Status.ToErrorMessage();
        _tracer!.OnExit(depth, outcome.Output, outcome.GasLeft, error);
    }

    private EvmFrame? StartCallUntraced(CallKind kind, in Address caller, in Address contextAddress, in Address codeAddress,
        in UInt256 value, byte[] input, long gas, bool isStatic, int depth, out CallOutcome outcome)
    {
        if (depth > GasCosts.MaxCallDepth)
        {
            outcome = CallOutcome.Refused(gas);
            return null;
        }
        if (kind is CallKind.Call or CallKind.CallCode && !value.IsZero && _state.GetBalance(caller) < value)
        {
            outcome = CallOutcome.Refused(gas);
            return null;
        }

        var native = _block.NativeContracts.Find(codeAddress);
        if (native is { IsPrecompile: false })
        {
            outcome = RunNonPrecompile(native, kind, caller, value, input, gas, isStatic);
            return null;
        }

        if (kind == CallKind.Call && native is null && value.IsZero && !_state.AccountExists(codeAddress))
        {
            // EIP-161: a zero-value call to a non-existent account does nothing, not even a touch.
            outcome = CallOutcome.Succeeded(gas);
            return null;
        }

        var snapshot = _state.TakeSnapshot();
        switch (kind)
        {
            case CallKind.Call:
                if (!value.IsZero) _state.SubtractFromBalance(caller, value);
                _state.AddToBalance(contextAddress, value); // zero value still touches (EIP-161)
                break;
            case CallKind.StaticCall:
                _state.AddToBalance(contextAddress, UInt256.Zero); // touch, as geth does
                break;
        }

        if (native is not null)
        {
            var result = native.Run(new NativeCall(_state, _block, caller, value, input, gas, isStatic));
            if (result.Success && result.GasUsed <= gas)
            {
                outcome = new CallOutcome(ExecutionStatus.Success, gas - result.GasUsed, result.Output ?? []);
            }
            else
            {
                _state.Revert(snapshot);
                outcome = new CallOutcome(ExecutionStatus.PrecompileFailure, 0, []);
            }
            return null;
        }

        var code = CodeInfoAt(codeAddress);
        if (code.Length == 0)
        {
            outcome = CallOutcome.Succeeded(gas);
            return null;
        }

        var frame = RentFrame(depth);
        frame.Kind = FrameKind.Call;
        frame.Code = code;
        frame.Input = input;
        frame.Address = contextAddress;
        frame.Caller = caller;
        frame.AddressWord = contextAddress.ToUInt256();
        frame.CallerWord = caller.ToUInt256();
        frame.Value = value;
        frame.IsStatic = isStatic;
        frame.Gas = gas;
        MarkUndo(frame, snapshot);
        outcome = default;
        return frame;
    }

    /// <summary>
    /// A native contract outside Ethereum's precompile rules (the cluster's CrossChainCall): only a plain
    /// CALL or STATICCALL without value, no touch; what it changes (or journals, for another chain) in
    /// this state is undone when it fails or when this frame's ancestors revert.
    /// </summary>
    private CallOutcome RunNonPrecompile(NativeContract native, CallKind kind, in Address caller, in UInt256 value,
        byte[] input, long gas, bool isStatic)
    {
        if (kind is not (CallKind.Call or CallKind.StaticCall) || !value.IsZero)
            return new CallOutcome(ExecutionStatus.PrecompileFailure, 0, []);
        var snapshot = _state.TakeSnapshot();
        var result = native.Run(new NativeCall(_state, _block, caller, value, input, gas, isStatic));
        if (result.Success && result.GasUsed <= gas)
        {
            if (result.Logs is { Count: > 0 } logs) _logs.AddRange(logs);
            return new CallOutcome(ExecutionStatus.Success, gas - result.GasUsed, result.Output ?? []);
        }
        _state.Revert(snapshot);
        if (result.IsRevert && result.GasUsed >= 0 && result.GasUsed <= gas)
            return new CallOutcome(ExecutionStatus.Revert, gas - result.GasUsed, result.Output ?? []);
        return new CallOutcome(ExecutionStatus.PrecompileFailure, 0, []);
    }

    /// <summary>
    /// Starts a creation at <paramref name="address"/> (derived by the caller from the creator's
    /// current nonce, or by CREATE2). Bumps the creator's nonce unless refused. Returns the init-code
    /// frame, or null with <paramref name="outcome"/> when it ended without running code.
    /// </summary>
    private EvmFrame? StartCreate(in Address creator, in Address address, CodeInfo initCode, in UInt256 value,
        long gas, int depth, out CallOutcome outcome, bool isCreate2 = false)
    {
        if (_tracer is null) return StartCreateUntraced(creator, address, initCode, value, gas, depth, out outcome);
        _tracer.OnEnter(depth, isCreate2 ? (byte)0xF5 : (byte)0xF0, creator, address, initCode.Code, gas, value);
        var frame = StartCreateUntraced(creator, address, initCode, value, gas, depth, out outcome);
        if (frame is null) TraceUnstartedExit(depth, outcome, refusal: depth > GasCosts.MaxCallDepth ? "max call depth exceeded" : "insufficient balance for transfer");
        return frame;
    }

    private EvmFrame? StartCreateUntraced(in Address creator, in Address address, CodeInfo initCode, in UInt256 value,
        long gas, int depth, out CallOutcome outcome)
    {
        if (depth > GasCosts.MaxCallDepth || (!value.IsZero && _state.GetBalance(creator) < value))
        {
            outcome = CallOutcome.Refused(gas);
            return null;
        }
        var nonce = _state.GetNonce(creator);
        if (nonce == ulong.MaxValue)
        {
            outcome = CallOutcome.Refused(gas);
            return null;
        }
        _state.SetNonce(creator, nonce + 1);
        _state.WarmAddress(address);

        var codeHash = _state.GetCodeHash(address);
        if (_state.GetNonce(address) != 0
            || (codeHash != Hash256.Zero && codeHash != Keccak256.OfEmpty)
            || _state.HasNonEmptyStorage(address))
        {
            outcome = new CallOutcome(ExecutionStatus.ContractAddressCollision, 0, []);
            return null;
        }

        var snapshot = _state.TakeSnapshot();
        _state.CreateAccount(address);
        _state.MarkCreatedInTransaction(address);
        _state.SetNonce(address, 1); // EIP-161
        if (!value.IsZero)
        {
            _state.SubtractFromBalance(creator, value);
            _state.AddToBalance(address, value);
        }

        if (initCode.Length == 0)
        {
            outcome = CallOutcome.Succeeded(gas);
            return null;
        }

        var frame = RentFrame(depth);
        frame.Kind = FrameKind.Create;
        frame.Code = initCode;
        frame.Input = [];
        frame.Address = address;
        frame.Caller = creator;
        frame.AddressWord = address.ToUInt256();
        frame.CallerWord = creator.ToUInt256();
        frame.Value = value;
        frame.IsStatic = false;
        frame.Gas = gas;
        MarkUndo(frame, snapshot);
        outcome = default;
        return frame;
    }

    private void MarkUndo(EvmFrame frame, int snapshot)
    {
        frame.Snapshot = snapshot;
        frame.LogCount = _logs.Count;
        frame.DestroyedCount = _destroyed.Count;
        frame.RefundAtStart = _refund;
    }

    /// <summary>Turns a halted frame into its outcome: deposits created code, or rolls everything back on failure.</summary>
    private CallOutcome Finish(EvmFrame frame, FrameExit exit)
    {
        ExecutionStatus status;
        long gasLeft;
        byte[] output;
        switch (exit)
        {
            case FrameExit.Stop:
                (status, gasLeft, output) = (ExecutionStatus.Success, frame.Gas, []);
                break;
            case FrameExit.Return:
                (status, gasLeft, output) = (ExecutionStatus.Success, frame.Gas, frame.Output);
                break;
            case FrameExit.Revert:
                (status, gasLeft, output) = (ExecutionStatus.Revert, frame.Gas, frame.Output);
                break;
            default:
                (status, gasLeft, output) = (ToStatus(exit), 0, []);
                break;
        }

        if (frame.Kind == FrameKind.Create && status == ExecutionStatus.Success)
        {
            var depositCost = GasCosts.CodeDepositByte * output.Length;
            if (output.Length > GasCosts.MaxCodeSize) status = ExecutionStatus.CodeSizeExceeded;
            else if (output.Length > 0 && output[0] == 0xEF) status = ExecutionStatus.InvalidCodePrefix;
            else if (gasLeft < depositCost) status = ExecutionStatus.CodeStoreOutOfGas;
            else
            {
                gasLeft -= depositCost;
                if (output.Length > 0) _state.SetCode(frame.Address, output);
            }
            if (status != ExecutionStatus.Success) (gasLeft, output) = (0, []);
        }

        if (status != ExecutionStatus.Success)
        {
            _state.Revert(frame.Snapshot);
            if (_logs.Count > frame.LogCount) _logs.RemoveRange(frame.LogCount, _logs.Count - frame.LogCount);
            if (_destroyed.Count > frame.DestroyedCount) _destroyed.RemoveRange(frame.DestroyedCount, _destroyed.Count - frame.DestroyedCount);
            _refund = frame.RefundAtStart;
        }
        // The pooled frame must not keep this call's arrays alive.
        frame.Code = CodeInfo.Empty;
        frame.Input = [];
        frame.ReturnData = [];
        frame.Output = [];
        return new CallOutcome(status, gasLeft, output);
    }

    /// <summary>Hands a finished call or creation back to the frame that started it, which resumes after the instruction.</summary>
    private static void Deliver(EvmFrame parent, FrameKind kind, in Address childAddress, in CallOutcome outcome)
    {
        parent.Gas += outcome.GasLeft;
        var success = outcome.Status == ExecutionStatus.Success;
        if (kind == FrameKind.Call)
        {
            parent.ReturnData = outcome.Output;
            if (outcome.Status <= ExecutionStatus.Revert && parent.ReturnSize > 0 && outcome.Output.Length > 0)
            {
                var length = (int)Math.Min((ulong)outcome.Output.Length, parent.ReturnSize);
                outcome.Output.AsSpan(0, length).CopyTo(parent.Memory.Span(parent.ReturnOffset, (ulong)length));
            }
            parent.Stack[parent.StackSize++] = success ? UInt256.One : UInt256.Zero;
        }
        else
        {
            parent.ReturnData = outcome.Status == ExecutionStatus.Revert ? outcome.Output : [];
            parent.Stack[parent.StackSize++] = success ? childAddress.ToUInt256() : UInt256.Zero;
        }
    }

    private static ExecutionStatus ToStatus(FrameExit exit) => exit switch
    {
        FrameExit.Stop or FrameExit.Return => ExecutionStatus.Success,
        FrameExit.Revert => ExecutionStatus.Revert,
        FrameExit.OutOfGas => ExecutionStatus.OutOfGas,
        FrameExit.InvalidJump => ExecutionStatus.InvalidJump,
        FrameExit.StackUnderflow => ExecutionStatus.StackUnderflow,
        FrameExit.StackOverflow => ExecutionStatus.StackOverflow,
        FrameExit.WriteProtection => ExecutionStatus.WriteProtection,
        FrameExit.ReturnDataOutOfBounds => ExecutionStatus.ReturnDataOutOfBounds,
        FrameExit.InitCodeSizeExceeded => ExecutionStatus.InitCodeSizeExceeded,
        _ => ExecutionStatus.InvalidOpcode,
    };

    /// <summary>The analysed code of an account, from the per-code-hash cache.</summary>
    private CodeInfo CodeInfoAt(in Address address)
    {
        var hash = _state.GetCodeHash(address);
        if (hash == Keccak256.OfEmpty || hash == Hash256.Zero) return CodeInfo.Empty;
        if (CodeInfoCache.TryGet(hash, out var cached)) return cached;
        return CodeInfoCache.GetOrAdd(hash, _state.GetCode(address));
    }

    /// <summary>Init code is analysed afresh: it has no code hash to cache under, and usually runs once.</summary>
    private static CodeInfo CodeInfoFor(byte[] initCode) => initCode.Length == 0 ? CodeInfo.Empty : new CodeInfo(initCode);
}
