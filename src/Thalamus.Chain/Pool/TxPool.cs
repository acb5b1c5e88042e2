using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Chain;

/// <summary>
/// The transaction pool of one chain. Per sender, transactions are kept by nonce: those
/// contiguous from the sender's state nonce are <em>pending</em> (executable), those after a
/// gap are <em>queued</em>. A transaction with the nonce of a pooled one replaces it only
/// with both fee caps raised by the profile's price bump (10%). When the pool or a sender
/// is full, the cheapest farthest transaction is evicted, or the newcomer refused.
/// Not thread-safe: <see cref="MemberChain"/> serialises access.
/// </summary>
public sealed partial class TxPool
{
    private readonly ChainProfile _profile;
    private readonly Func<IWorldState> _headState;
    private readonly Dictionary<Address, SenderTransactions> _senders = [];
    private readonly Dictionary<Hash256, PooledTransaction> _byHash = [];
    private long _sequence;

    /// <param name="profile">Limits and price rules.</param>
    /// <param name="headState">The state at the head block (nonces and balances); called on each use, so it may change.</param>
    public TxPool(ChainProfile profile, Func<IWorldState> headState)
    {
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(headState);
        _profile = profile;
        _headState = headState;
        BlockGasLimit = profile.BlockGasLimit;
        ChainId = profile.ChainId;
    }

    /// <summary>The gas limit of the blocks to come: a transaction needing more is refused (evm_setBlockGasLimit changes it).</summary>
    public ulong BlockGasLimit { get; set; }

    /// <summary>The chain id a transaction must carry (the profile's until anvil_setChainId changes it).</summary>
    public ulong ChainId { get; set; }

    /// <summary>All transactions, pending and queued.</summary>
    public int Count => _byHash.Count;

    public int PendingCount
    {
        get
        {
            var count = 0;
            foreach (var sender in _senders.Values) count += sender.PendingCount;
            return count;
        }
    }

    public int QueuedCount => Count - PendingCount;

    /// <summary>The base fee of the next block (informational: a lower fee cap waits in the pool).</summary>
    public UInt256 BaseFee { get; set; }

    public bool Contains(in Hash256 hash) => _byHash.ContainsKey(hash);

    public PooledTransaction? Get(in Hash256 hash) => _byHash.GetValueOrDefault(hash);

    /// <summary>The nonce after the sender's pending run (its next usable nonce), or null when it has nothing pending.</summary>
    public ulong? GetPendingNonce(in Address sender) =>
        _senders.TryGetValue(sender, out var txs) && txs.PendingCount > 0 ? txs.StateNonce + (ulong)txs.PendingCount : null;

    /// <summary>Pending transactions by sender, each list in nonce order.</summary>
    public IReadOnlyDictionary<Address, IReadOnlyList<PooledTransaction>> GetPending()
    {
        var result = new Dictionary<Address, IReadOnlyList<PooledTransaction>>();
        foreach (var (address, txs) in _senders)
            if (txs.PendingCount > 0) result[address] = txs.ByNonce.Values.Take(txs.PendingCount).ToArray();
        return result;
    }

    /// <summary>Queued (nonce-gapped) transactions by sender, each list in nonce order.</summary>
    public IReadOnlyDictionary<Address, IReadOnlyList<PooledTransaction>> GetQueued()
    {
        var result = new Dictionary<Address, IReadOnlyList<PooledTransaction>>();
        foreach (var (address, txs) in _senders)
            if (txs.ByNonce.Count > txs.PendingCount) result[address] = txs.ByNonce.Values.Skip(txs.PendingCount).ToArray();
        return result;
    }

    /// <summary>Every pooled transaction (for snapshots), in no particular order.</summary>
    public IReadOnlyList<PooledTransaction> GetAll() => _byHash.Values.ToArray();

    /// <summary>True when the sender has a transaction at exactly the next pending position (it became executable).</summary>
    public bool IsPending(PooledTransaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return _senders.TryGetValue(tx.Sender, out var txs) && txs.IsPending(tx.Nonce) && txs.ByNonce.GetValueOrDefault(tx.Nonce) == tx;
    }

    public void Clear()
    {
        _senders.Clear();
        _byHash.Clear();
    }

    /// <summary>Removes one transaction (a queued successor of a pending one becomes queued again).</summary>
    public bool Remove(in Hash256 hash)
    {
        if (!_byHash.Remove(hash, out var tx)) return false;
        var txs = _senders[tx.Sender];
        txs.Remove(tx);
        if (txs.ByNonce.Count == 0) _senders.Remove(tx.Sender);
        return true;
    }

    /// <summary>
    /// Brings the given senders in line with the head state after a block: drops transactions whose
    /// nonce is now used and promotes queued ones that became contiguous.
    /// </summary>
    public void Reconcile(IEnumerable<Address> senders)
    {
        ArgumentNullException.ThrowIfNull(senders);
        var state = _headState();
        foreach (var sender in senders)
        {
            if (!_senders.TryGetValue(sender, out var txs)) continue;
            foreach (var dropped in txs.Rebase(state.GetNonce(sender))) _byHash.Remove(dropped.Hash);
            if (txs.ByNonce.Count == 0) _senders.Remove(sender);
        }
    }

    /// <summary>Reconciles every sender (after a revert or a state change outside blocks).</summary>
    public void ReconcileAll() => Reconcile(_senders.Keys.ToArray());

    /// <summary>Refills the pool from a snapshot without validation, then reconciles with the head state.</summary>
    public void Restore(IEnumerable<PooledTransaction> transactions)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        Clear();
        var state = _headState();
        foreach (var tx in transactions.OrderBy(t => t.Sequence))
        {
            if (!_senders.TryGetValue(tx.Sender, out var txs))
            {
                txs = new SenderTransactions(state.GetNonce(tx.Sender));
                _senders[tx.Sender] = txs;
            }
            if (tx.Nonce < txs.StateNonce) continue;
            txs.Put(tx);
            _byHash[tx.Hash] = tx;
            if (tx.Sequence >= _sequence) _sequence = tx.Sequence + 1;
        }
        ReconcileAll();
    }

    /// <summary>The pending transactions in block order at <paramref name="baseFee"/> (a snapshot: the pool may change while it is used).</summary>
    public PendingTransactionIterator GetPendingIterator(in UInt256 baseFee)
    {
        var lists = new List<IReadOnlyList<PooledTransaction>>(_senders.Count);
        foreach (var txs in _senders.Values)
        {
            if (txs.PendingCount == 0) continue;
            var pending = new PooledTransaction[txs.PendingCount];
            for (var i = 0; i < pending.Length; i++) pending[i] = txs.ByNonce.Values[i];
            lists.Add(pending);
        }
        return new PendingTransactionIterator(lists, baseFee);
    }
}
