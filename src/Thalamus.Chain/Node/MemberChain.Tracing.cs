using Thalamus.Chain.Tracing;
using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Chain;

// debug_trace*: a stored block is re-executed on its parent's state (with the dev edits made before
// it and, in a cluster, the calls it received), the transactions before the target untraced.
public sealed partial class MemberChain
{
    // Dev state edits (anvil_setBalance ...) applied before each block that followed them: its parent's
    // state root does not hold them, so re-executing the block applies them first. Kept in memory.
    private readonly Dictionary<Hash256, DevStateEdit[]> _editsBefore = [];

    private void RememberEditsBefore(Block block)
    {
        if (_pendingEdits.Length > 0) _editsBefore[block.Hash] = _pendingEdits;
    }

    /// <summary>
    /// Traces a mined transaction with <paramref name="tracer"/>. False when no block holds it
    /// (unknown, or still pending).
    /// </summary>
    /// <exception cref="ChainException">the block's state is gone, or a transaction no longer executes.</exception>
    public bool TraceTransaction(Hash256 hash, ITransactionTracer tracer)
    {
        ArgumentNullException.ThrowIfNull(tracer);
        if (GetTransaction(hash) is not { location: { } location }) return false;
        var block = Store.GetBlock(location.BlockNumber) ?? throw new ChainException($"block {location.BlockNumber} not found");
        Reexecute(block, location.Index, i => i == location.Index ? tracer : null);
        return true;
    }

    /// <summary>Traces every transaction of a block, each with a new tracer from <paramref name="create"/>; null when no such block.</summary>
    public IReadOnlyList<(Hash256 Hash, ITransactionTracer Tracer)>? TraceBlock(BlockSelector selector, Func<ITransactionTracer> create)
    {
        ArgumentNullException.ThrowIfNull(create);
        if (GetBlock(selector) is not { } block) return null;
        if (block.Header.Number == FirstBlockNumber) throw new ChainException("genesis is not traceable");
        var tracers = new ITransactionTracer[block.Transactions.Count];
        for (var i = 0; i < tracers.Length; i++) tracers[i] = create();
        if (tracers.Length > 0) Reexecute(block, tracers.Length - 1, i => tracers[i]);
        var result = new (Hash256, ITransactionTracer)[tracers.Length];
        for (var i = 0; i < tracers.Length; i++) result[i] = (block.Transactions[i].Hash, tracers[i]);
        return result;
    }

    /// <summary>debug_traceCall: <paramref name="request"/> run as eth_call runs it, traced.</summary>
    /// <exception cref="ChainException">unknown block, or the call is invalid.</exception>
    public void TraceCall(CallRequest request, BlockSelector block, ITransactionTracer tracer)
    {
        ArgumentNullException.ThrowIfNull(request);
        ArgumentNullException.ThrowIfNull(tracer);
        var header = ResolveHeader(block) ?? throw HeaderNotFound(block);
        var gas = CallGas(request, header, out _);
        var result = ExecuteCallOn(OpenState(header), request, header, gas, tracer);
        if (!result.IsValid) throw new ChainException(result.Error ?? "invalid call");
    }

    /// <summary>Runs <paramref name="block"/>'s transactions 0..<paramref name="last"/> on its parent's state, each with its tracer (null: untraced).</summary>
    private void Reexecute(Block block, int last, Func<int, ITransactionTracer?> tracerOf)
    {
        var header = block.Header;
        var parent = Store.GetHeader(header.Number - 1) ?? throw new ChainException($"the parent of block {header.Number} is missing");
        var receipts = Store.GetReceipts(block.Hash);
        DevStateEdit[]? edits;
        lock (_lock) _editsBefore.TryGetValue(block.Hash, out edits);
        var state = OpenStateAt(parent.StateRoot);
        foreach (var edit in edits ?? []) Apply(state, edit);

        var context = _builder.ContextOf(header, BlockHashAt);
        var replay = _coordinator?.PrepareReplay(this, block);
        context.CrossChainCalls = replay?.CrossChainCalls;
        replay?.ApplyInbound?.Invoke(state, context);

        var untraced = new TransactionProcessor();
        for (var i = 0; i <= last; i++)
        {
            var tx = block.Transactions[i];
            var sender = i < receipts.Count ? receipts[i].From : tx.ResolveSender();
            var tracer = tracerOf(i);
            TransactionResult result;
            if (tracer is null)
            {
                result = untraced.Execute(state, context, tx, sender);
            }
            else
            {
                tracer.OnTransactionStart(tx, sender, context);
                result = new TransactionProcessor(tracer).Execute(tracer.Wrap(state), context, tx, sender);
            }
            if (!result.IsValid)
                throw new ChainException($"transaction {i} of block {header.Number} ({tx.Hash}) does not execute again: {result.Error}");
        }
    }
}
