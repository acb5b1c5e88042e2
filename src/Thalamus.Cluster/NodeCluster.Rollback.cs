using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Modules;
using Thalamus.Storage;

namespace Thalamus.Cluster;

// Rollback: the safety dependency of joint settlement (docs/settlement.md). A block found invalid
// taints its chain's later blocks and, transitively, every block of another chain that consumed a
// message it sent or a synchronous call it made or received; those blocks are discarded (between
// slots), their users' transactions go back to the pools and run again without the tainted inputs.
public sealed partial class NodeCluster
{
    private readonly Queue<RollbackRequest> _rollbackRequests = new();

    /// <summary>The last rollback this process ran (cluster_status's <c>rollback</c>), or null.</summary>
    public ClusterRollback? LastRollback { get; private set; }

    /// <summary>Raised (under the lock) after each rollback, with what it discarded and why.</summary>
    public event Action<ClusterRollback>? RolledBack;

    /// <summary>A rollback stored (its intent durable) but not complete in this process; finished before the next slot.</summary>
    private RollbackIntent? _pendingRollback;
    private bool _pendingRollbackResumed;

    /// <summary>
    /// Fault injection for crash tests: called (under the lock) after each chain of a rollback is rewound, with its id. What it
    /// throws stops the rollback there, as a crash would: the intent stays stored, the next start (or slot) completes it.
    /// </summary>
    public Action<ulong>? AfterChainRewound { get; set; }

    /// <summary>
    /// Rolls the cluster back from block <paramref name="fromBlock"/> of chain <paramref name="chainId"/> (found invalid), now;
    /// must be called between slots. See <see cref="IClusterHost.RequestRollback"/>.
    /// </summary>
    /// <exception cref="ChainException">no such member, or no such block (-32602).</exception>
    public ClusterRollback RollBack(ulong chainId, ulong fromBlock, string reason)
    {
        lock (SyncRoot)
        {
            if (_slotDepth > 0) throw new InvalidOperationException("a rollback runs between slots, not inside one");
            return RollBackLocked(new RollbackRequest(chainId, fromBlock, reason));
        }
    }

    internal ClusterRollback? RequestRollback(RollbackRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        lock (SyncRoot)
        {
            if (_slotDepth == 0) return RollBackLocked(request);
            _rollbackRequests.Enqueue(request);
            return null;
        }
    }

    /// <summary>Runs the rollbacks asked for during the slot that just ended (a failure is reported, the cluster goes on).</summary>
    private void RunRequestedRollbacksLocked()
    {
        while (_slotDepth == 0 && _rollbackRequests.TryDequeue(out var request))
        {
            try
            {
                RollBackLocked(request);
            }
            catch (Exception e) when (e is ChainException or InvalidOperationException or StorageException)
            {
                ReportError(new InvalidOperationException($"the rollback from chain {request.ChainId} block {request.FromBlock} failed: {e.Message}", e));
            }
        }
    }

    private ClusterRollback RollBackLocked(RollbackRequest request)
    {
        // One interrupted earlier is finished first: the chains are consistent before the new one's taint is traced.
        CompletePendingRollbackLocked();
        var origin = Member(request.ChainId);
        var head = origin.Chain.Head.Number;
        if (request.FromBlock <= origin.Chain.FirstBlockNumber || request.FromBlock > head)
            throw new ChainException($"chain {request.ChainId} has no block {request.FromBlock} to roll back from (its blocks are {origin.Chain.FirstBlockNumber + 1}..{head})",
                ChainException.InvalidParamsCode);

        // The taint, to a fixed point: each chain's first tainted block and why.
        var first = new Dictionary<ulong, (ulong Number, string Why)> { [origin.ChainId] = (request.FromBlock, "the invalid block and its chain's later blocks") };
        for (var changed = true; changed;)
        {
            changed = false;
            foreach (var member in _members)
            {
                foreach (var (source, (sourceFirst, _)) in first.ToArray())
                {
                    if (source == member.ChainId || FindMember(source) is not { } tainted) continue;
                    if (Earlier(FirstTaintedBy(member, tainted, sourceFirst), FirstTaintedByModules(member, source, sourceFirst)) is not { } found) continue;
                    if (first.TryGetValue(member.ChainId, out var known) && known.Number <= found.Number) continue;
                    first[member.ChainId] = found;
                    changed = true;
                }
            }
        }

        // What will go, decided before anything changes: each chain's target and the users' transactions of its discarded
        // blocks. Stored first, so a crash at any later point is finished by the next start (LoadStoredRollback).
        var targets = new List<RollbackTarget>();
        var users = new List<(ulong ChainId, Transaction Tx)>();
        foreach (var member in _members)
        {
            if (!first.TryGetValue(member.ChainId, out var taint)) continue;
            var store = member.Chain.Store;
            var to = member.Chain.Head.Number;
            var keep = store.GetHeader(taint.Number - 1) ?? throw new InvalidOperationException($"chain {member.ChainId}: block {taint.Number - 1} is missing from the store");
            targets.Add(new RollbackTarget(member.ChainId, taint.Number, to, keep.Hash, taint.Why));
            for (var n = taint.Number; n <= to; n++)
            {
                var block = store.GetBlock(n) ?? throw new InvalidOperationException($"chain {member.ChainId}: block {n} is missing from the store");
                // The node's own transactions (deliveries, modules' system transactions) are proposed again by their source.
                foreach (var tx in block.Transactions)
                    if (!SystemAccount.IsSystemAccount(tx.ResolveSender())) users.Add((member.ChainId, tx));
            }
        }
        var intent = new RollbackIntent(request, _slot, NowMs, targets, users);
        if (_database is not null)
        {
            using var batch = _database.BeginSlot();
            batch.PutModuleState(RollbackIntent.Module, RollbackIntent.Key, intent.Encode());
            batch.Commit();
        }
        _pendingRollback = intent;
        _pendingRollbackResumed = false;
        return CompleteRollbackLocked(intent, resumed: false);
    }

    /// <summary>
    /// Carries out a decided rollback; idempotent, so it also finishes one a crash (or a failed rewind) interrupted: each
    /// chain still above its target is rewound to it (one store transaction per chain), the users' transactions go back to the
    /// pools, and the modules' <c>RolledBack</c> rows commit in ONE transaction with the deletion of the intent.
    /// </summary>
    private ClusterRollback CompleteRollbackLocked(RollbackIntent intent, bool resumed)
    {
        foreach (var target in intent.Targets)
        {
            // A chain that is no longer a member is left as it is (membership changes between slots, and no slot runs while an
            // intent is pending; at a start, the membership restored by the modules is applied before the intent is finished).
            if (FindMember(target.ChainId) is not { } member) continue;
            var keep = target.FromNumber - 1;
            var head = member.Chain.Head;
            if (head.Number > keep) member.Chain.RewindTo(keep);
            else if (head.Number < keep)
                throw new InvalidOperationException($"chain {target.ChainId} is at block {head.Number}, below block {keep} its rollback keeps");
            if (member.Chain.Head.Hash != target.KeepHash)
                throw new InvalidOperationException($"chain {target.ChainId}'s block {keep} is {member.Chain.Head.Hash}, not {target.KeepHash} that its rollback keeps");
            member.ClearSection();
            member.InFlight.Clear();
            member.Admitted.Clear();
            AfterChainRewound?.Invoke(target.ChainId);
        }
        var reinserted = new List<Hash256>();
        var dropped = new List<DroppedTransaction>();
        foreach (var (chainId, tx) in intent.UserTransactions)
        {
            if (FindMember(chainId) is not { } member)
            {
                dropped.Add(new DroppedTransaction(chainId, tx.Hash, $"chain {chainId} is not a member any more"));
                continue;
            }
            try
            {
                member.Chain.Pool.Add(tx, tx.ResolveSender());
                reinserted.Add(tx.Hash);
            }
            catch (TxPoolException e)
            {
                dropped.Add(new DroppedTransaction(chainId, tx.Hash, e.Message));
            }
        }
        // Reservations named blocks that are gone: pending messages are admitted again by the rebuilt index.
        _budget.ClearReservations();

        var batch = _database?.BeginSlot();
        var rollback = new ClusterRollback
        {
            Request = intent.Request,
            Slot = intent.Slot,
            TimeMs = intent.TimeMs,
            Discarded = intent.Discarded,
            Reinserted = reinserted,
            Dropped = dropped,
            State = batch is null ? InMemoryModuleState.Instance : new SlotModuleState(batch),
            Resumed = resumed,
        };
        try
        {
            foreach (var module in _modules) module.RolledBack(rollback);
            batch?.PutModuleState(RollbackIntent.Module, RollbackIntent.Key, null);
            batch?.Commit();
            batch = null;
        }
        finally
        {
            batch?.Dispose();
        }
        _pendingRollback = null;
        _pendingRollbackResumed = false;
        // Membership and Delta the modules asked for in RolledBack (decisions re-derived from the kept blocks) take effect now, before any slot.
        if (_slotDepth == 0 && _betweenSlotRequests.Count > 0) ApplyBetweenSlotRequests();
        LastRollback = rollback;
        Console.Error.WriteLine($"cluster: {rollback}");
        RolledBack?.Invoke(rollback);

        // The transactions back in the pools run again (automining chains seal them now; interval chains at their next block).
        foreach (var member in _members)
            if (member.IsAutomine && CanSealMember(member) && member.Chain.HasExecutablePending())
                RunInSlot(() =>
                {
                    member.Chain.AutomineIfEnabled();
                    return 0;
                });
        return rollback;
    }

    /// <summary>
    /// At start: the intent of a rollback a crash interrupted, if one is stored. It is finished (<see cref="CompletePendingRollbackLocked"/>)
    /// once the modules attached, before any slot runs.
    /// </summary>
    private void LoadStoredRollback()
    {
        if (_database?.ReadModuleState(RollbackIntent.Module).FirstOrDefault(r => r.Key.AsSpan().SequenceEqual(RollbackIntent.Key)) is not { Value: { } value }) return;
        _pendingRollback = RollbackIntent.Decode(value);
        _pendingRollbackResumed = true;
        Console.Error.WriteLine($"cluster: a rollback from chain {_pendingRollback.Request.ChainId} block {_pendingRollback.Request.FromBlock} " +
            $"was interrupted ({_pendingRollback.Request.Reason}); completing it");
    }

    /// <summary>
    /// A rollback stored but not complete (interrupted by a crash, or in this process by a failed rewind) is finished: at start,
    /// before a slot, before another rollback. No block is sealed until it is.
    /// </summary>
    private void CompletePendingRollbackLocked()
    {
        if (_pendingRollback is { } intent) CompleteRollbackLocked(intent, _pendingRollbackResumed);
    }

    /// <summary>
    /// The first block of <paramref name="member"/> that consumed an input from <paramref name="tainted"/>'s blocks from
    /// <paramref name="taintedFrom"/> on: the delivery (or retry) of a message one of them sent, or a synchronous call one of them
    /// made to it or it made to one of them. Calls are matched by order: the k-th call from chain T recorded by the destination
    /// is the k-th call to it recorded by T (both sides record every call between members, in the order they ran).
    /// </summary>
    private (ulong Number, string Why)? FirstTaintedBy(ClusterMember member, ClusterMember tainted, ulong taintedFrom)
    {
        var store = member.Chain.Store;
        var head = member.Chain.Head.Number;
        (ulong Number, string Why)? found = null;
        void Found(ulong number, string why)
        {
            if (found is null || number < found.Value.Number) found = (number, why);
        }

        // Messages: MessageRelayed / MessageFailed name the message, whose index entry names the sending block.
        if (head >= 1)
        {
            var logs = store.GetLogs(new LogFilter { FromBlock = 1, ToBlock = head, Addresses = [ClusterPredeploys.Messenger] })
                .Concat(SectionedBlocks(member, 1, head).SelectMany(b => member.Chain.SectionLogRecords(b)));
            foreach (var log in logs)
            {
                if (!MessengerLogs.IsMessengerLog(log) || (log.Topics[0] != MessengerLogs.MessageRelayed && log.Topics[0] != MessengerLogs.MessageFailed)) continue;
                if (_messages.Get(log.Topics[1]) is { } message && message.SourceChainId == tainted.ChainId && message.SentBlockNumber >= taintedFrom)
                    Found(log.BlockNumber, $"consumed message {message.Id} sent by chain {tainted.ChainId} block {message.SentBlockNumber}");
            }
        }

        // Synchronous calls: how many calls between the two chains the tainted chain's untainted blocks recorded.
        int cleanTo = 0, cleanFrom = 0;
        foreach (var block in SectionedBlocks(tainted, 1, taintedFrom - 1))
        {
            var section = ClusterSection.Decode(block.ClusterSection);
            cleanTo += section.Outbound.Count(c => c.DestinationChainId == member.ChainId);
            cleanFrom += section.Inbound.Count(c => c.SourceChainId == member.ChainId);
        }
        int inbound = 0, outbound = 0;
        foreach (var block in SectionedBlocks(member, 1, Math.Min(head, found?.Number ?? head)))
        {
            var section = ClusterSection.Decode(block.ClusterSection);
            foreach (var call in section.Inbound)
                if (call.SourceChainId == tainted.ChainId && inbound++ >= cleanTo)
                    Found(block.Number, $"received a synchronous call from chain {tainted.ChainId} at or after its block {taintedFrom}");
            foreach (var call in section.Outbound)
                if (call.DestinationChainId == tainted.ChainId && outbound++ >= cleanFrom)
                    Found(block.Number, $"made a synchronous call to chain {tainted.ChainId} answered at or after its block {taintedFrom}");
            if (found is { } f && f.Number <= block.Number) break;
        }

        return found;
    }

    /// <summary>The blocks <paramref name="from"/>..<paramref name="to"/> of a member that have a cluster section (their headers' extra data).</summary>
    private static IEnumerable<Block> SectionedBlocks(ClusterMember member, ulong from, ulong to)
    {
        var store = member.Chain.Store;
        for (var n = from; n <= to && n != 0; n++)
            if (store.GetHeader(n) is { ExtraData.Length: > 0 } && store.GetBlock(n) is { ClusterSection: not null } block)
                yield return block;
    }
}
