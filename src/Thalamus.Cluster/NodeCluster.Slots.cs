using Thalamus.Chain;
using Thalamus.Storage;

namespace Thalamus.Cluster;

// Slots: every seal runs inside one. A slot starts with the seals that were due (or the automined
// transaction), then delivers what they sent to automining destinations and seals every chain a
// synchronous call touched, round after round, and commits all its blocks together.
public sealed partial class NodeCluster
{
    /// <summary>Rounds of deliveries in one slot; messages that bounce on go into the next slot.</summary>
    private const int MaxRoundsPerSlot = 16;

    private int _slotDepth;
    private ulong _slot;
    private long _slotTimeMs;

    /// <summary>The round of <see cref="FinishSlot"/> running now; -1 before it (the slot's first seals).</summary>
    private int _round = -1;

    /// <summary>Rounds after the last delivery round that only seal what synchronous calls left unsealed.</summary>
    private const int MaxEffectRoundsPerSlot = 64;

    /// <summary>True while those rounds run: blocks start without system transactions or deliveries (they wait for the next slot).</summary>
    private bool _effectsOnly;

    internal ClusterMember MemberOf(MemberChain chain) =>
        FindMember(chain.ChainId) is { } member && ReferenceEquals(member.Chain, chain)
            ? member
            : throw new InvalidOperationException($"chain {chain.ChainId} does not belong to this cluster");

    /// <summary>Runs <paramref name="seal"/> in a slot (a new one unless one is open on this thread). Under the lock.</summary>
    /// <param name="timeMs">The slot's logical time: the due time of the interval blocks it seals; null: now.</param>
    internal T RunInSlot<T>(Func<T> seal, long? timeMs = null)
    {
        if (_slotDepth > 0) return seal();
        // A rollback interrupted in this process (a rewind's write failed) is finished before any block is sealed.
        if (_pendingRollback is not null) CompletePendingRollbackLocked();
        // Interval blocks that are due (the scheduler thread woke late) come first, at their due time:
        // the slot clock keeps the schedule, and sends admitted against those blocks meet Delta on it.
        if (timeMs is null && _scheduler is not null && !_stopping && HasOverdueIntervalBlock()) RunDueSlotLocked();
        _slotDepth++;
        ClusterWriteBatch? batch = _database?.BeginSlot();
        try
        {
            _slot++;
            _round = -1;
            ApplyScheduledDeltaChanges();
            // Never behind an earlier slot: the clock the Delta bound is measured by only moves forward.
            _slotTimeMs = Math.Max(_slotTimeMs, timeMs ?? LogicalTimeMs);
            _slotBlocks.Clear();
            var result = seal();
            FinishSlot();
            NotifySlotCommitted(batch);
            batch?.Commit();
            batch = null;
            return result;
        }
        finally
        {
            // A failed slot still commits what it sealed: those blocks are complete and the chains' heads already moved.
            batch?.Commit();
            _slotDepth--;
            // A rollback a module asked for during the slot runs between slots: now.
            if (_slotDepth == 0 && _rollbackRequests.Count > 0) RunRequestedRollbacksLocked();
            if (_slotDepth == 0 && _betweenSlotRequests.Count > 0) ApplyBetweenSlotRequests();
        }
    }

    /// <summary>Delivers to automining chains and seals every chain with received calls, until quiet.</summary>
    private void FinishSlot()
    {
        for (var round = 0; round < MaxRoundsPerSlot; round++)
        {
            _round = round;
            var progress = false;
            foreach (var member in _members)
            {
                if (member.HasUnsealedEffects
                    || (member.IsAutomine && (_messages.HasWorkFor(member.ChainId) || SourcesHaveWorkFor(member)) && CanSealMember(member)))
                {
                    member.Chain.SealForCluster();
                    progress = true;
                }
            }
            if (!progress) return;
        }
        // The delivery rounds are over, but a chain that received a synchronous call in the last of them
        // must seal it in this slot: the caller's block commits with the slot, and the effects it had on
        // other chains must commit with it (else a crash between slots would keep the cause and lose the effect).
        _effectsOnly = true;
        try
        {
            for (var round = 0; round < MaxEffectRoundsPerSlot; round++)
            {
                var progress = false;
                foreach (var member in _members)
                {
                    if (!member.HasUnsealedEffects) continue;
                    member.Chain.SealForCluster();
                    progress = true;
                }
                if (!progress) return;
            }
        }
        finally
        {
            _effectsOnly = false;
        }
    }

    internal BlockPreparation PrepareBlock(ClusterMember member, BlockHeader parent)
    {
        // A held or halted chain's block (evm_mine) starts with no system transactions, nor does one sealed only for a synchronous call's effects.
        var canSeal = !_effectsOnly && CanSealMember(member);
        member.Building = true;
        _building = member;
        member.TransactionOutboundMark = member.Outbound.Count;
        return new()
        {
            Leading = canSeal ? ProposeSystemTransactions(member, parent) : [],
            NextLeading = canSeal ? _messenger.PrepareDeliveries(member, parent) : null,
            Admission = member.Admission,
            CrossChainCalls = member.CrossCalls,
            Timestamp = member.PinnedTimestamp,
            Section = () => member.HasUnsealedEffects ? new ClusterSection([.. member.Inbound], [.. member.Outbound]).Encode() : null,
        };
    }

    internal void OnBlockSealed(ClusterMember member, BuiltBlock built)
    {
        member.Building = false;
        _building = null;
        member.ClearSection();
        CloseDeliveryBlock(member, built.Block.Number);
        NotifyBlockSealed(member, built);
        member.Admitted.Clear();
    }

    /// <summary>
    /// A block failed to build: its chain went back to its head. Calls its transactions made on other
    /// chains went with it, so those chains drop their unsealed effects too.
    /// </summary>
    internal void OnBlockFailed(ClusterMember member)
    {
        member.Building = false;
        _building = null;
        ForgetAdmissions(member);
        NotifyBlockFailed(member);
        member.ClearSection();
        foreach (var other in _members)
        {
            if (ReferenceEquals(other, member) || !other.HasUnsealedEffects) continue;
            other.Chain.DiscardLiveChanges();
            other.ClearSection();
            other.ScopeOpen = false;
        }
    }
}
