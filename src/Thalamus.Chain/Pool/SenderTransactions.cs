using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>One sender's pooled transactions by nonce, and how many of them are pending.</summary>
internal sealed class SenderTransactions
{
    public SenderTransactions(ulong stateNonce) => StateNonce = stateNonce;

    public SortedList<ulong, PooledTransaction> ByNonce { get; } = [];

    /// <summary>The sender's nonce in the head state.</summary>
    public ulong StateNonce { get; private set; }

    /// <summary>Transactions with nonces StateNonce, StateNonce+1, ... without a gap.</summary>
    public int PendingCount { get; private set; }

    /// <summary>Sum of the pooled transactions' worst-case costs.</summary>
    public UInt256 TotalCost { get; private set; }

    public bool IsPending(ulong nonce) => nonce >= StateNonce && nonce - StateNonce < (ulong)PendingCount;

    public void Put(PooledTransaction tx)
    {
        ByNonce[tx.Nonce] = tx;
        TotalCost += tx.Cost;
        ExtendPending();
    }

    public void Remove(PooledTransaction tx)
    {
        if (!ByNonce.Remove(tx.Nonce)) return;
        TotalCost -= tx.Cost;
        // A hole inside the pending run demotes everything after it to the queue.
        if (IsPending(tx.Nonce)) PendingCount = (int)(tx.Nonce - StateNonce);
    }

    /// <summary>Moves to a new state nonce: drops (and returns) transactions below it, recounts the pending run.</summary>
    public List<PooledTransaction> Rebase(ulong stateNonce)
    {
        var dropped = new List<PooledTransaction>();
        while (ByNonce.Count > 0 && ByNonce.Keys[0] < stateNonce)
        {
            var tx = ByNonce.Values[0];
            ByNonce.RemoveAt(0);
            TotalCost -= tx.Cost;
            dropped.Add(tx);
        }
        StateNonce = stateNonce;
        PendingCount = 0;
        ExtendPending();
        return dropped;
    }

    private void ExtendPending()
    {
        // Keys are sorted: the pending run is the prefix whose nonces are StateNonce, StateNonce+1, ...
        var keys = ByNonce.Keys;
        var index = PendingCount;
        while (index < keys.Count && keys[index] == StateNonce + (ulong)index) index++;
        PendingCount = index;
    }
}
