namespace Thalamus.Chain;

public sealed partial class MemberChain
{
    private readonly SortedDictionary<ulong, ChainSnapshot> _snapshots = [];
    private ulong _nextSnapshotId = 1;

    /// <summary>evm_snapshot: remembers the head, the pool, the clock adjustments and the setter edits; returns the id.</summary>
    public ulong Snapshot()
    {
        lock (_lock)
        {
            var id = _nextSnapshotId++;
            _snapshots[id] = new ChainSnapshot(_head.Number, Pool.GetAll(), _timeOffsetSeconds, _nextTimestamp, _pendingEdits);
            return id;
        }
    }

    /// <summary>
    /// evm_revert: goes back to the snapshot (blocks after it are dropped from the store, the state
    /// and pool are restored). The snapshot and every later one are used up. False for an unknown id.
    /// </summary>
    public bool Revert(ulong snapshotId)
    {
        lock (_lock)
        {
            if (!_snapshots.TryGetValue(snapshotId, out var snapshot)) return false;
            foreach (var id in _snapshots.Keys.Where(k => k >= snapshotId).ToArray()) _snapshots.Remove(id);
            if (snapshot.HeadNumber < _head.Number)
            {
                Store.RewindTo(snapshot.HeadNumber);
                _head = Store.GetHeader(snapshot.HeadNumber)
                    ?? throw new InvalidOperationException($"block {snapshot.HeadNumber} vanished from the store during a revert");
            }
            // Setter edits made after the snapshot are undone; those made before it are replayed.
            _pendingEdits = snapshot.Edits;
            ResetStateToHead();
            Pool.Restore(snapshot.Pool);
            Pool.BaseFee = _builder.NextBaseFee(_head);
            _timeOffsetSeconds = snapshot.TimeOffsetSeconds;
            _nextTimestamp = snapshot.NextTimestamp;
            return true;
        }
    }

    private sealed record ChainSnapshot(ulong HeadNumber, IReadOnlyList<PooledTransaction> Pool, long TimeOffsetSeconds, ulong? NextTimestamp,
        DevStateEdit[] Edits);
}
