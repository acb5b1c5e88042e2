using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Modules;
using Thalamus.State;

namespace Thalamus.Ddpn;

// Rollback (docs/ddpn.md, "Rollback"). The global order is a cross-chain input the cluster cannot see: a chain that applied an
// operation queued by a discarded block of another chain is tainted from the block that applied it (FirstTaintedBlock), so after
// the rollback no kept block of any chain has applied an operation that no longer exists. RolledBack then brings the queue, the
// cursors, the speeds and the vote deadlines in line with the chains as they now are: the prefix some chain has applied stays, the
// rest keeps only the operations whose outbox entries still exist; the users' transactions that queued the dropped ones run again
// and are read again from the rewound cursors, once (their seq, hence an offer's id, is the same).
public sealed partial class DdpnModule
{
    public (ulong Number, string Why)? FirstTaintedBlock(MemberChain chain, ulong taintedChainId, ulong taintedFrom)
    {
        if (_host?.Chains.FirstOrDefault(c => c.ChainId == taintedChainId) is not { } tainted || taintedFrom <= tainted.FirstBlockNumber) return null;
        // The first operation the tainted blocks queued: the origin's outbox length at the block before them.
        var firstSeq = OutboxLengthAt(tainted, taintedFrom - 1);
        var index = _queue.FindIndex(op => Origin(op) is var (origin, seq) && origin == taintedChainId && seq >= firstSeq);
        if (index < 0) return null;
        // The chain's first block that applied it (the applied count only grows along a chain).
        ulong low = chain.FirstBlockNumber + 1, high = chain.Head.Number;
        if (high < low || AppliedAt(chain, high) <= (ulong)index) return null;
        while (low < high)
        {
            var middle = low + (high - low) / 2;
            if (AppliedAt(chain, middle) > (ulong)index) high = middle;
            else low = middle + 1;
        }
        var (_, entry) = Origin(_queue[index]);
        return (low, $"applied operation {index} of the global order, chain {taintedChainId}'s outbox entry {entry}, queued at or after its block {taintedFrom}");
    }

    public void RolledBack(ClusterRollback rollback)
    {
        if (_host is null || rollback.Discarded.Count == 0) return;
        var lengths = new Dictionary<ulong, ulong>();
        var applied = 0UL;
        foreach (var chain in _host.Chains)
        {
            var storage = Management(chain.LiveState);
            lengths[chain.ChainId] = storage.GetUInt64(ManagementUnit.OutboxLengthSlot);
            applied = Math.Max(applied, storage.GetUInt64(ManagementUnit.AppliedSlot));
        }
        // What some kept block has applied stays as it is (the taint made sure none of it names a discarded block); after it,
        // an operation whose outbox entry is gone is dropped, and so is a node's timeout for an offer whose close went with it.
        var oldCount = _queue.Count;
        var kept = (int)Math.Min(applied, (ulong)oldCount);
        var rest = _queue.Skip(kept).ToList();
        _queue.RemoveRange(kept, oldCount - kept);
        foreach (var op in rest)
        {
            if (Origin(op) is var (origin, seq) && lengths.TryGetValue(origin, out var length) && seq >= length) continue;
            if (TimeoutOf(op) is { } timedOut && LastClose(timedOut) is null) continue;
            _queue.Add(op);
        }
        foreach (var (chain, length) in lengths)
            if (_cursors.TryGetValue(chain, out var cursor) && cursor > length) _cursors[chain] = length;
        // The speeds of the rolled-back chains, measured again over the blocks they kept.
        foreach (var discarded in rollback.Discarded)
            if (_host.Chains.FirstOrDefault(c => c.ChainId == discarded.ChainId) is { } chain)
            {
                if (MeasuredSpeed(chain) is { } speed) _speeds[chain.ChainId] = speed;
                else if (_speeds.Remove(chain.ChainId) && rollback.State.IsPersistent) rollback.State.Put(ModuleName, [(byte)'g', .. BigEndian(chain.ChainId)], null);
            }
        // A vote deadline follows its close to its new place, or goes with it.
        var changedDeadlines = new List<Hash256>();
        foreach (var (offer, (deadline, closeIndex)) in _voteDeadlines.ToList())
        {
            var close = LastClose(offer);
            if (close == (long)closeIndex) continue;
            if (close is { } index) _voteDeadlines[offer] = (deadline, (ulong)index);
            else _voteDeadlines.Remove(offer);
            changedDeadlines.Add(offer);
        }
        WriteRows(rollback.State, kept, oldCount, changedDeadlines);
    }

    /// <summary>The origin chain and outbox seq of a queued operation (chain 0: the node's own, profiles and timeouts).</summary>
    private static (ulong Chain, ulong Seq) Origin(byte[] op)
    {
        var reader = new AbiReader(op);
        return (reader.UInt64(0), reader.UInt64(1));
    }

    /// <summary>The offer a node's timeout operation is for, or null when it is not a timeout.</summary>
    private static Hash256? TimeoutOf(byte[] op)
    {
        var reader = new AbiReader(op);
        return reader.UInt64(2) == ManagementUnit.KindTimeout ? new AbiReader(reader.BytesSpan(4)).Bytes32(0) : null;
    }

    /// <summary>The place in the queue of the last close of <paramref name="offer"/>, or null.</summary>
    private long? LastClose(Hash256 offer)
    {
        for (var i = _queue.Count - 1; i >= 0; i--)
            if (CloseOf(_queue[i]) == offer) return i;
        return null;
    }

    private static UnitStorage Management(IWorldState state) => new(state, new Meter(long.MaxValue), DdpnAddresses.Management);

    private static UnitStorage ManagementAt(MemberChain chain, ulong number)
    {
        var header = chain.Store.GetHeader(number) ?? throw new InvalidOperationException($"chain {chain.ChainId}: block {number} is missing from the store");
        return Management(new WorldState(chain.Store.StateNodes, header.StateRoot));
    }

    private static ulong OutboxLengthAt(MemberChain chain, ulong number) => ManagementAt(chain, number).GetUInt64(ManagementUnit.OutboxLengthSlot);

    private static ulong AppliedAt(MemberChain chain, ulong number) => ManagementAt(chain, number).GetUInt64(ManagementUnit.AppliedSlot);

    /// <summary>The smoothed speed <see cref="SlotCommitted"/> keeps, over the chain's blocks as they are now.</summary>
    private static double? MeasuredSpeed(MemberChain chain)
    {
        double? speed = null;
        for (var n = chain.FirstBlockNumber + 1; n <= chain.Head.Number; n++)
            if (chain.Store.GetHeader(n) is { } header) speed = Smoothed(speed, header);
        return speed;
    }

    /// <summary>G = a·(gas the block left unused) + (1 − a)·G; the first block sets G.</summary>
    private static double Smoothed(double? speed, BlockHeader header)
    {
        var gas = (double)(header.GasLimit - header.GasUsed);
        return speed is { } g ? SpeedSmoothing * gas + (1 - SpeedSmoothing) * g : gas;
    }
}
