using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Cluster;

// Admission control: a send is accepted into its block only if a block of the destination within
// Delta of it has delivery capacity left (see DeliveryBudget); otherwise its transaction waits in the
// pool for a later block of its origin chain and is sent then. Delta is the one in force in the
// sending slot (NodeCluster.Parameters.cs): the block reserved then is the promise, whatever Delta becomes.
public sealed partial class NodeCluster
{
    private readonly DeliveryBudget _budget = new();

    /// <summary>The member whose block is being built (its transactions' admissions are forgotten if it fails).</summary>
    private ClusterMember? _building;

    /// <summary>True while the message index is read back from the chains (outcomes come after sends).</summary>
    private bool _rebuilding;

    /// <summary>True while the messenger module reads its index back at start: what it finds is admitted afterwards, in send order.</summary>
    internal bool Rebuilding { set => _rebuilding = value; }

    /// <summary>The open slot's time (ms), or null between slots.</summary>
    internal long? OpenSlotTimeMs => _slotDepth > 0 ? _slotTimeMs : null;

    /// <summary>MessageSent logs of synchronous calls made by the transaction running now (admitted with it).</summary>
    private readonly List<LogEntry> _syncSends = [];

    /// <summary>The gas a destination's block spends on deliveries at most.</summary>
    internal ulong DeliveryBudgetOf(ClusterMember destination) => Options.DeliveryBudgetFor(destination.Options);

    /// <summary>
    /// The destination's blocks that run by <paramref name="sentAtMs"/> + Delta: the first block number
    /// not prepared yet and how many follow it in time. An automining destination seals in the rounds
    /// left in this slot; an interval one every block time from its next due time.
    /// </summary>
    private (ulong First, int Count) DeliveryWindow(ClusterMember destination, long sentAtMs)
    {
        var first = destination.Chain.Head.Number + (destination.Building ? 2UL : 1UL);
        if (destination.IsAutomine) return (first, MaxRoundsPerSlot - 1 - _round);
        var blockTime = (long)destination.Options.BlockTime.TotalMilliseconds;
        var firstDue = destination.Building ? destination.NextDueMs : Math.Max(destination.NextDueMs, sentAtMs);
        var span = sentAtMs + DeltaMs - firstDue;
        return (first, span < 0 ? 0 : (int)Math.Min(span / blockTime + 1, 4096));
    }

    /// <summary>The first block a message to <paramref name="destination"/> can be delivered in (no window).</summary>
    private ulong FirstDeliveryBlock(ClusterMember destination) => destination.Chain.Head.Number + (destination.Building ? 2UL : 1UL);

    /// <summary>
    /// Admits every send of a transaction on <paramref name="origin"/> (its own logs and those of the
    /// synchronous calls it made), or none: the reason the transaction must wait. Under the lock.
    /// </summary>
    internal string? AdmitSends(ClusterMember origin, IReadOnlyList<LogEntry> logs, bool simulation)
    {
        var syncSends = simulation ? 0 : _syncSends.Count;
        if (logs.Count == 0 && syncSends == 0) return null;
        var sentAtMs = simulation ? LogicalTimeMs : _slotTimeMs;
        var gas = Options.DeliveryGasLimit;
        List<(Hash256 Id, ClusterMember Destination, ulong Block)>? taken = null;
        string? refusal = null;
        for (var i = 0; i < logs.Count + syncSends; i++)
        {
            var log = i < logs.Count ? logs[i] : _syncSends[i - logs.Count];
            if (!IsSend(log, out var id, out var destinationId) || FindMember(destinationId) is not { } destination) continue;
            if (_budget.IsAdmitted(id)) continue; // sendMessageOrRevert reserved it already
            var (first, count) = DeliveryWindow(destination, sentAtMs);
            if (_budget.TryReserve(destinationId, first, count, DeliveryBudgetOf(destination), gas, out var block))
            {
                (taken ??= []).Add((id, destination, block));
                continue;
            }
            refusal = InboxFull(destinationId, first, count);
            if (!simulation) _budget.CountersOf(destinationId).Deferred++;
            break;
        }
        if (refusal is not null || simulation)
        {
            if (taken is not null)
                foreach (var (_, destination, block) in taken) _budget.Release(destination.ChainId, block, gas);
            if (refusal is not null && !simulation)
            {
                origin.DeferredAtEpoch = _budget.Epoch;
                // The transaction leaves the block: so do the results of the calls it made (its undo clears the destinations' side).
                origin.Outbound.RemoveRange(origin.TransactionOutboundMark, origin.Outbound.Count - origin.TransactionOutboundMark);
            }
            return refusal;
        }
        if (taken is not null)
            foreach (var (id, destination, block) in taken)
            {
                _budget.NoteAdmitted(id, destination.ChainId, block);
                _budget.CountersOf(destination.ChainId).Admitted++;
                (_building ?? origin).Admitted.Add(id);
            }
        return null;
    }

    /// <summary>
    /// sendMessageOrRevert's check (the messenger calls it through the CrossChainCall address): reserves
    /// room for message <paramref name="id"/> now, undone if the calling frame reverts; or the refusal.
    /// </summary>
    internal string? AdmitOne(ClusterMember origin, IWorldState state, ulong destinationId, Hash256 id, bool simulation)
    {
        if (simulation)
        {
            lock (SyncRoot)
            {
                if (FindMember(destinationId) is not { } target) return null;
                var (first, count) = DeliveryWindow(target, LogicalTimeMs);
                var budget = DeliveryBudgetOf(target);
                if (!_budget.TryReserve(destinationId, first, count, budget, Options.DeliveryGasLimit, out var block)) return InboxFull(destinationId, first, count);
                _budget.Release(destinationId, block, Options.DeliveryGasLimit);
                return null;
            }
        }
        if (FindMember(destinationId) is not { } destination) return null;
        var (start, blocks) = DeliveryWindow(destination, _slotTimeMs);
        var counters = _budget.CountersOf(destinationId);
        if (!_budget.TryReserve(destinationId, start, blocks, DeliveryBudgetOf(destination), Options.DeliveryGasLimit, out var reserved))
        {
            counters.Refused++;
            return InboxFull(destinationId, start, blocks);
        }
        _budget.NoteAdmitted(id, destinationId, reserved);
        counters.Admitted++;
        var building = _building ?? origin;
        building.Admitted.Add(id);
        state.RecordExternalUndo(() =>
        {
            _budget.Forget(id, Options.DeliveryGasLimit);
            counters.Admitted--;
            building.Admitted.Remove(id);
        });
        return null;
    }

    private string InboxFull(ulong destination, ulong first, int count) =>
        $"ClusterMessenger: destination {destination} inbox full for slot {_slot} " +
        $"(its blocks {first}..{first + (ulong)Math.Max(count, 1) - 1} within delta are full)";

    /// <summary>A synchronous call made by the running transaction succeeded: its sends are admitted with the transaction.</summary>
    internal void NoteSyncSends(IWorldState originState, IReadOnlyList<LogEntry> logs)
    {
        var mark = _syncSends.Count;
        foreach (var log in logs)
            if (IsSend(log, out _, out _)) _syncSends.Add(log);
        if (_syncSends.Count == mark) return;
        originState.RecordExternalUndo(() => _syncSends.RemoveRange(mark, _syncSends.Count - mark));
    }

    /// <summary>The running transaction ended: its synchronous sends were admitted (or deferred) with it.</summary>
    internal void ClearSyncSends() => _syncSends.Clear();

    private static bool IsSend(in LogEntry log, out Hash256 id, out ulong destination)
    {
        id = default;
        destination = 0;
        if (log.Address != ClusterPredeploys.Messenger || log.Topics.Length != 4 || log.Topics[0] != MessengerLogs.MessageSent) return false;
        var word = log.Topics[2].ToUInt256();
        if (!word.IsUInt64) return false;
        id = log.Topics[1];
        destination = (ulong)word;
        return true;
    }

    /// <summary>The block a message indexed now runs by: where its transaction was admitted, or (a send of a delivery, or a rebuilt index) the earliest block with room.</summary>
    internal void AssignDeliveryBlock(ClusterMessage message)
    {
        if (_rebuilding) return;
        if (FindMember(message.DestinationChainId) is not { } destination) return;
        if (_budget.TakeAdmitted(message.Id) is { } admitted)
        {
            message.AdmittedForBlock = admitted;
            // Admitted in this slot (a message is indexed in the slot that sent it): against the Delta in force now.
            message.DeltaMs = DeltaMs;
            return;
        }
        message.AdmittedForBlock = _budget.ReserveEarliest(destination.ChainId, FirstDeliveryBlock(destination), DeliveryBudgetOf(destination), Options.DeliveryGasLimit);
    }

    /// <summary>The destination sealed a block: the deliveries in it free what they held, and the block's ledger closes.</summary>
    private void CloseDeliveryBlock(ClusterMember member, ulong number)
    {
        foreach (var message in member.InFlight)
            if (message.AdmittedForBlock is { } admitted && admitted > number)
                _budget.Release(member.ChainId, admitted, Options.DeliveryGasLimit);
        _budget.Close(member.ChainId, number);
    }

    /// <summary>A block of <paramref name="member"/> failed to build: what its transactions were admitted for is free again.</summary>
    private void ForgetAdmissions(ClusterMember member)
    {
        foreach (var id in member.Admitted) _budget.Forget(id, Options.DeliveryGasLimit);
        member.Admitted.Clear();
    }

    /// <summary>Automining chains whose sends were deferred try again once some destination has sealed since.</summary>
    private bool RetryDeferredLocked()
    {
        var retried = false;
        foreach (var member in _members)
        {
            if (!member.IsAutomine || member.DeferredAtEpoch is not { } epoch || epoch == _budget.Epoch || !CanSealMember(member)) continue;
            member.DeferredAtEpoch = null;
            member.Chain.AutomineIfEnabled();
            retried = true;
        }
        return retried;
    }

    private bool HasDeferredToRetry() =>
        _members.Any(m => m.IsAutomine && m.DeferredAtEpoch is { } epoch && epoch != _budget.Epoch && CanSealMember(m));

    /// <summary>Delivery capacity of the destination's next block: (budget, reserved) in gas.</summary>
    private (ulong Budget, ulong Reserved) NextBlockCapacity(ClusterMember destination) =>
        (DeliveryBudgetOf(destination), _budget.ReservedIn(destination.ChainId, destination.Chain.Head.Number + 1));

    /// <summary>The transaction admission of <paramref name="member"/>'s blocks, or of eth_call/eth_estimateGas on it.</summary>
    internal sealed class Admission(NodeCluster cluster, ClusterMember member, bool simulation) : ITransactionAdmission
    {
        public string? Admit(IReadOnlyList<LogEntry> logs)
        {
            if (!simulation) return cluster.AdmitSends(member, logs, false);
            lock (cluster.SyncRoot) return cluster.AdmitSends(member, logs, true);
        }
    }
}
