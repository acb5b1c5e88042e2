using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Evm;

/// <summary>
/// The Cancun EVM. Runs a transaction's message call or contract creation against an
/// <see cref="IWorldState"/>; nested calls run in an explicit frame loop (no recursion on the
/// .NET stack, so depth 1024 is safe on any thread). One instance runs one transaction at a time
/// and keeps its frames, stacks and memory buffers for the next one; it is not thread-safe.
/// </summary>
/// <remarks>
/// Split by concern: this file holds the public entry points and the frame loop;
/// <c>VirtualMachine.Interpreter.cs</c> the dispatch loop; <c>VirtualMachine.Calls.cs</c> how
/// frames start and end; <c>Instructions/</c> the opcode families that are too large to inline.
/// </remarks>
public sealed partial class VirtualMachine
{
    private readonly IExecutionTracer? _tracer;
    private readonly EvmFrame?[] _frames = new EvmFrame?[GasCosts.MaxCallDepth + 1];

    private IWorldState _state = null!;
    private BlockContext _block = null!;
    private TransactionContext _tx = null!;
    private readonly List<LogEntry> _logs = [];
    private readonly List<Address> _destroyed = [];
    private long _refund;

    // MULMOD's last full-width modulus and its reciprocals, for MULMOD and ADDMOD (contracts reduce
    // by one field prime over and over); per instance, as an instance runs on one thread at a time.
    private ModulusCache _modulusCache;

    // The tracer when it wants every instruction (the traced loop), else null (the untraced loop).
    private readonly IExecutionTracer? _stepTracer;

    public VirtualMachine(IExecutionTracer? tracer = null)
    {
        _tracer = tracer;
        _stepTracer = tracer is { TracesSteps: true } ? tracer : null;
    }

    public IExecutionTracer? Tracer => _tracer;

    /// <summary>
    /// A top-level message call (the transaction's own call, depth 0). The caller has already
    /// bought the gas, bumped the nonce and warmed the EIP-2929 access sets; this transfers the value
    /// and runs the code.
    /// </summary>
    /// <param name="isStatic">Runs as a STATICCALL would (a cluster's static cross-chain call); value must then be zero.</param>
    public ExecutionResult Call(IWorldState state, BlockContext block, TransactionContext tx,
        in Address caller, in Address to, in UInt256 value, byte[] input, long gas, bool isStatic = false)
    {
        Begin(state, block, tx);
        var kind = isStatic ? CallKind.StaticCall : CallKind.Call;
        var frame = StartCall(kind, caller, to, to, value, input, gas, isStatic, depth: 0, out var outcome);
        if (frame is not null) outcome = Run(frame);
        return End(outcome, contractAddress: null);
    }

    /// <summary>
    /// A top-level contract creation: bumps the creator's nonce, derives the address from it, and
    /// runs the init code. The caller has bought the gas and warmed the access sets.
    /// </summary>
    public ExecutionResult Create(IWorldState state, BlockContext block, TransactionContext tx,
        in Address creator, in UInt256 value, byte[] initCode, long gas)
    {
        Begin(state, block, tx);
        var address = ContractAddress.From(creator, state.GetNonce(creator));
        var frame = StartCreate(creator, address, CodeInfoFor(initCode), value, gas, depth: 0, out var outcome);
        if (frame is not null) outcome = Run(frame);
        return End(outcome, address);
    }

    private void Begin(IWorldState state, BlockContext block, TransactionContext tx)
    {
        _state = state;
        _block = block;
        _tx = tx;
        _logs.Clear();
        _destroyed.Clear();
        _refund = 0;
    }

    private ExecutionResult End(in CallOutcome outcome, Address? contractAddress)
    {
        var success = outcome.Status == ExecutionStatus.Success;
        var result = new ExecutionResult
        {
            Status = outcome.Status,
            GasLeft = outcome.GasLeft,
            Output = outcome.Output,
            Refund = success ? _refund : 0,
            Logs = success && _logs.Count > 0 ? _logs.ToArray() : [],
            DestroyedAccounts = success && _destroyed.Count > 0 ? _destroyed.ToArray() : [],
            ContractAddress = contractAddress,
        };
        // Drop references to the caller's objects so a pooled machine does not keep them alive.
        _state = null!;
        _block = null!;
        _tx = null!;
        return result;
    }

    /// <summary>Runs <paramref name="root"/> and every frame it starts, until the root halts.</summary>
    private CallOutcome Run(EvmFrame root)
    {
        var frame = root;
        while (true)
        {
            var exit = _stepTracer is null ? Interpret<NoTracing>(frame) : Interpret<WithTracing>(frame);
            if (exit == FrameExit.CallPending)
            {
                frame = _frames[frame.Depth + 1]!;
                continue;
            }
            var outcome = Finish(frame, exit);
            _tracer?.OnExit(frame.Depth, outcome.Output, outcome.GasLeft, outcome.Status.ToErrorMessage());
            if (ReferenceEquals(frame, root)) return outcome;
            var parent = _frames[frame.Depth - 1]!;
            Deliver(parent, frame.Kind, frame.Address, outcome);
            frame = parent;
        }
    }

    private EvmFrame RentFrame(int depth)
    {
        var frame = _frames[depth] ??= new EvmFrame();
        frame.Reset(depth);
        return frame;
    }
}
