using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>
/// Walks the pending transactions in the order a block takes them: across senders by effective
/// tip at the block's base fee (then arrival), within a sender by nonce. Like geth's
/// TransactionsByPriceAndNonce: <see cref="Shift"/> moves to the sender's next transaction,
/// <see cref="Pop"/> drops the rest of the sender (its next one cannot run without this one).
/// Transactions whose fee cap is below the base fee are not offered (they wait in the pool).
/// </summary>
public sealed class PendingTransactionIterator
{
    private readonly PriorityQueue<Cursor, Cursor> _heads;
    private readonly UInt256 _baseFee;

    internal PendingTransactionIterator(IEnumerable<IReadOnlyList<PooledTransaction>> pendingBySender, in UInt256 baseFee)
    {
        _baseFee = baseFee;
        _heads = new PriorityQueue<Cursor, Cursor>(CursorComparer.Instance);
        foreach (var list in pendingBySender)
        {
            if (list.Count == 0) continue;
            var cursor = new Cursor(list, 0, baseFee);
            if (cursor.Tip is not null) _heads.Enqueue(cursor, cursor);
        }
    }

    /// <summary>The best transaction now, or null when none is left.</summary>
    public PooledTransaction? Peek() => _heads.TryPeek(out var cursor, out _) ? cursor.Current : null;

    /// <summary>Replaces the current best with its sender's next transaction.</summary>
    public void Shift()
    {
        if (!_heads.TryDequeue(out var cursor, out _)) return;
        if (cursor.Index + 1 >= cursor.List.Count) return;
        var next = new Cursor(cursor.List, cursor.Index + 1, _baseFee);
        if (next.Tip is not null) _heads.Enqueue(next, next);
    }

    /// <summary>Drops the current best and the rest of its sender's transactions.</summary>
    public void Pop() => _heads.TryDequeue(out _, out _);

    private sealed class Cursor
    {
        public Cursor(IReadOnlyList<PooledTransaction> list, int index, in UInt256 baseFee)
        {
            List = list;
            Index = index;
            Current = list[index];
            Tip = Current.EffectiveTip(baseFee);
        }

        public IReadOnlyList<PooledTransaction> List { get; }
        public int Index { get; }
        public PooledTransaction Current { get; }
        public UInt256? Tip { get; }
    }

    private sealed class CursorComparer : IComparer<Cursor>
    {
        public static readonly CursorComparer Instance = new();

        public int Compare(Cursor? x, Cursor? y)
        {
            // Highest tip first, then earliest arrival.
            var byTip = y!.Tip!.Value.CompareTo(x!.Tip!.Value);
            return byTip != 0 ? byTip : x.Current.Sequence.CompareTo(y.Current.Sequence);
        }
    }
}
