using System.Globalization;
using Thalamus.Chain;

namespace Thalamus.Cluster;

// Liveness dependency: a halted chain stops at T; every other chain may go on only until T + Delta,
// so no chain runs ahead of messages it could still receive from the halted one by more than Delta.
public sealed partial class NodeCluster
{
    /// <summary>Not halted and not held by a chain halted more than Delta ago. Under the lock.</summary>
    internal bool CanSealMember(ClusterMember member) => !member.Halted && HeldBy(member, LogicalTimeMs).Count == 0;

    private List<ulong> HeldBy(ClusterMember member, long nowMs)
    {
        var holders = new List<ulong>();
        if (member.Halted) return holders;
        foreach (var other in _members)
            if (other.Halted && nowMs > other.HaltedAtMs + other.HaltDeltaMs) holders.Add(other.ChainId);
        return holders;
    }

    /// <summary>cluster_haltChain: the chain stops sealing now (an operator's stop, or a simulated outage).</summary>
    public ClusterStatus HaltChain(ulong chainId)
    {
        lock (SyncRoot)
        {
            var member = Member(chainId);
            if (!member.Halted)
            {
                member.Halted = true;
                member.HaltedAtMs = LogicalTimeMs;
                // The bound of the last messages it sent: a later Delta change does not move when the others hold.
                member.HaltDeltaMs = DeltaMs;
            }
            return StatusLocked();
        }
    }

    /// <summary>
    /// cluster_increaseTime (dev): every member chain's clock moves forward by <paramref name="seconds"/>, and each module
    /// moves the outside chains it keeps in step (the settlement's parent), so one call makes a whole devnet days older.
    /// Returns the home (first) chain's total offset in seconds.
    /// </summary>
    public ulong IncreaseTime(ulong seconds)
    {
        ulong offset = 0;
        lock (SyncRoot)
        {
            // Validate once before moving any clock, so a refused value moves none.
            if (seconds > long.MaxValue / 2) throw new ChainException($"cannot move the clock by {seconds} seconds: too large", ChainException.InvalidParamsCode);
            var first = true;
            foreach (var member in _members)
            {
                var moved = member.Chain.IncreaseTime(seconds);
                if (first) (offset, first) = (moved, false);
            }
        }
        foreach (var module in _modules) module.ClockMoved(seconds);
        return offset;
    }

    /// <summary>cluster_resumeChain: the chain seals again; it and every chain it held catch up at once.</summary>
    public ClusterStatus ResumeChain(ulong chainId)
    {
        lock (SyncRoot)
        {
            var member = Member(chainId);
            if (member.Halted)
            {
                member.Halted = false;
                CatchUpLocked();
            }
            return StatusLocked();
        }
    }

    /// <summary>After a hold ends: automining chains seal what waited, and waiting messages go out.</summary>
    private void CatchUpLocked()
    {
        RunInSlot(() =>
        {
            foreach (var member in _members)
            {
                if (!member.IsAutomine || !CanSealMember(member)) continue;
                if (member.Chain.HasExecutablePending()) member.Chain.AutomineIfEnabled();
            }
            return 0;
        });
    }

    public ClusterStatus Status()
    {
        lock (SyncRoot) return StatusLocked();
    }

    private ClusterStatus StatusLocked()
    {
        var now = LogicalTimeMs;
        var chains = new List<ClusterChainStatus>(_members.Length);
        var reasons = new List<string>();
        foreach (var member in _members)
        {
            var holders = HeldBy(member, now);
            var head = member.Chain.Head;
            var (budget, reserved) = NextBlockCapacity(member);
            var counters = _budget.CountersOf(member.ChainId);
            chains.Add(new ClusterChainStatus
            {
                ChainId = member.ChainId,
                HeadNumber = head.Number,
                HeadTimestamp = head.Timestamp,
                Halted = member.Halted,
                HaltedAtMs = member.Halted ? member.HaltedAtMs : null,
                HeldBy = holders,
                PendingInbound = _messages.PendingFor(member.ChainId),
                DeliveryBudgetGas = budget,
                DeliveryReservedGas = reserved,
                SendsAdmitted = counters.Admitted,
                SendsDeferred = counters.Deferred,
                SendsRefused = counters.Refused,
            });
            if (member.Halted)
                reasons.Add(string.Create(CultureInfo.InvariantCulture,
                    $"chain {member.ChainId} halted at {member.HaltedAtMs} ms; the others hold from {member.HaltedAtMs + member.HaltDeltaMs} ms"));
        }
        var held = chains.Where(c => c.HeldBy.Count > 0).Select(c => c.ChainId.ToString(CultureInfo.InvariantCulture)).ToList();
        if (held.Count > 0) reasons.Add($"held: {string.Join(", ", held)}");
        return new ClusterStatus
        {
            LogicalTimeMs = now,
            DeltaMs = DeltaMs,
            DeltaSinceSlot = _deltaSinceSlot,
            Slot = _slot,
            Live = reasons.Count == 0,
            Reason = reasons.Count == 0 ? null : string.Join("; ", reasons),
            Chains = chains,
            PendingMessages = _messages.PendingCount,
            Rollback = LastRollback,
        };
    }
}
