namespace Thalamus.Chain;

// Rewinding a member chain: the general operation behind a node-cluster's rollback (settlement's
// safety dependency). Unlike evm_revert it needs no snapshot: the store keeps every block's state
// root, so the chain goes back to any block it has.
public sealed partial class MemberChain
{
    /// <summary>
    /// Makes block <paramref name="number"/> the head again: the blocks above it are dropped from the store
    /// (their transactions, receipts and logs), the live state goes back to that block's root, the pool
    /// is reconciled with it (nonces go back) and snapshots taken above it are used up. Returns the dropped
    /// blocks, oldest first, so the caller can put their transactions back in the pool. Under <see cref="SyncRoot"/>.
    /// </summary>
    /// <exception cref="ChainException">no block <paramref name="number"/> on this chain, or it is below the first block (-32602).</exception>
    public IReadOnlyList<Block> RewindTo(ulong number)
    {
        lock (_lock)
        {
            if (number < FirstBlockNumber || number > _head.Number)
                throw new ChainException($"chain {ChainId} cannot rewind to block {number}: its blocks are {FirstBlockNumber}..{_head.Number}",
                    ChainException.InvalidParamsCode);
            var dropped = new List<Block>((int)Math.Min(_head.Number - number, 1024));
            for (var n = number + 1; n <= _head.Number; n++)
                dropped.Add(Store.GetBlock(n) ?? throw new InvalidOperationException($"chain {ChainId}: block {n} is missing from the store"));
            if (dropped.Count > 0)
            {
                Store.RewindTo(number);
                _head = Store.GetHeader(number) ?? throw new InvalidOperationException($"chain {ChainId}: block {number} vanished from the store during a rewind");
            }
            foreach (var id in _snapshots.Where(s => s.Value.HeadNumber > number).Select(s => s.Key).ToArray()) _snapshots.Remove(id);
            ResetStateToHead();
            Pool.BaseFee = _builder.NextBaseFee(_head);
            Pool.ReconcileAll();
            return dropped;
        }
    }
}
