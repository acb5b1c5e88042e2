using Thalamus.Core;

namespace Thalamus.Chain;

public sealed partial class TxPool
{
    /// <summary>
    /// Validates <paramref name="tx"/> (sender already recovered) against the pool's rules and the head
    /// state and inserts it. Returns the pooled entry; <see cref="IsPending"/> tells whether it is executable.
    /// </summary>
    /// <param name="allowQueued">False refuses a nonce gap ("nonce too high"), as automining nodes do.</param>
    /// <exception cref="TxPoolException">refused, with geth's message.</exception>
    public PooledTransaction Add(Transaction tx, Address sender, bool allowQueued = true)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var hash = tx.Hash;
        if (_byHash.ContainsKey(hash)) throw Reject(TxPoolError.AlreadyKnown, "already known");
        ValidateStateless(tx, sender);

        var state = _headState();
        var stateNonce = state.GetNonce(sender);
        _senders.TryGetValue(sender, out var txs);
        var existing = txs?.ByNonce.GetValueOrDefault(tx.Nonce);
        var pooled = new PooledTransaction(tx, sender, _sequence);

        // A nonce below the state's is spent; a nonce gap waits in the queue, unless the caller wants it refused.
        var nextPending = txs is null ? stateNonce : txs.StateNonce + (ulong)txs.PendingCount;
        var expectedNonce = tx.Nonce < stateNonce ? stateNonce
            : !allowQueued && existing is null && tx.Nonce > nextPending ? nextPending
            : tx.Nonce;
        if (TransactionValidator.CheckAccount(tx, sender, expectedNonce, state.GetCodeHash(sender)) is { } account) throw Reject(account);

        // The sender's other transactions must stay affordable together with this one.
        var balance = state.GetBalance(sender);
        UInt256? required = null;
        if (txs is not null)
        {
            var queuedCost = txs.TotalCost - (existing?.Cost ?? UInt256.Zero);
            required = UInt256.AddOverflow(queuedCost, pooled.Cost, out var total) ? UInt256.MaxValue : total;
        }
        if (TransactionValidator.CheckBalance(tx, sender, balance, required) is { } funds) throw Reject(funds);

        if (existing is not null)
        {
            if (!IsSufficientBump(existing, pooled))
                throw Reject(TxPoolError.ReplacementUnderpriced, "replacement transaction underpriced");
            _byHash.Remove(existing.Hash);
            txs!.Remove(existing);
        }
        else
        {
            MakeRoom(pooled, txs, stateNonce);
            // Eviction may have emptied (and dropped) this sender's entry: look it up again.
            if (!_senders.TryGetValue(sender, out txs))
            {
                txs = new SenderTransactions(stateNonce);
                _senders[sender] = txs;
            }
        }

        txs!.Put(pooled);
        _byHash[hash] = pooled;
        _sequence++;
        return pooled;
    }

    /// <summary>The rules every transaction obeys (<see cref="TransactionValidator.CheckStateless(Transaction, ulong, Address?, ulong?)"/>), then the pool's own: size and price floor.</summary>
    private void ValidateStateless(Transaction tx, in Address sender)
    {
        var size = TransactionEncoder.GetEncodedLength(tx);
        if (size > _profile.MaxTransactionSize)
            throw Reject(TxPoolError.OversizedData, $"oversized data: transaction size {size}, limit {_profile.MaxTransactionSize}");
        if (TransactionValidator.CheckStateless(tx, ChainId, sender, BlockGasLimit) is { } rejection) throw Reject(rejection);
        if (tx.FeeCap < _profile.MinGasPrice)
            throw Reject(TxPoolError.Underpriced, $"transaction underpriced: gas fee cap {tx.FeeCap}, minimum needed {_profile.MinGasPrice}");
    }

    /// <summary>Both fee caps must rise by at least the price bump (geth's rule).</summary>
    private bool IsSufficientBump(PooledTransaction old, PooledTransaction replacement)
    {
        var percent = (UInt256)(ulong)(100 + _profile.PriceBumpPercent);
        var minFeeCap = old.FeeCap * percent / 100;
        var minTipCap = old.TipCap * percent / 100;
        return replacement.FeeCap >= minFeeCap && replacement.TipCap >= minTipCap
            && (replacement.FeeCap > old.FeeCap || replacement.TipCap > old.TipCap || old.FeeCap.IsZero);
    }

    /// <summary>Applies the per-account and global limits before a new (non-replacing) transaction goes in.</summary>
    private void MakeRoom(PooledTransaction incoming, SenderTransactions? txs, ulong stateNonce)
    {
        if (txs is not null)
        {
            if (txs.ByNonce.Count >= _profile.MaxPoolTransactionsPerAccount)
            {
                // Evict the sender's farthest transaction if the newcomer comes before it.
                var farthest = txs.ByNonce.Values[^1];
                if (incoming.Nonce > farthest.Nonce) throw Reject(TxPoolError.AccountLimitExceeded, "account limit exceeded");
                Remove(farthest.Hash);
            }
            var nextPending = txs.StateNonce + (ulong)txs.PendingCount;
            if (incoming.Nonce > nextPending && txs.ByNonce.Count - txs.PendingCount >= _profile.MaxQueuedPerAccount)
            {
                var farthest = txs.ByNonce.Values[^1];
                if (incoming.Nonce > farthest.Nonce) throw Reject(TxPoolError.AccountLimitExceeded, "account limit exceeded");
                Remove(farthest.Hash);
            }
        }
        else if (incoming.Nonce > stateNonce && _profile.MaxQueuedPerAccount <= 0)
        {
            throw Reject(TxPoolError.AccountLimitExceeded, "account limit exceeded");
        }

        while (_byHash.Count >= _profile.MaxPoolTransactions)
        {
            // Candidates are each sender's farthest transaction (evicting it leaves no gap); the cheapest goes.
            PooledTransaction? victim = null;
            foreach (var sender in _senders.Values)
            {
                var last = sender.ByNonce.Values[^1];
                if (victim is null || last.FeeCap < victim.FeeCap || (last.FeeCap == victim.FeeCap && last.Sequence > victim.Sequence))
                    victim = last;
            }
            if (victim is null || incoming.FeeCap <= victim.FeeCap)
                throw Reject(TxPoolError.Underpriced, "transaction underpriced");
            Remove(victim.Hash);
        }
    }

    private static TxPoolException Reject(TxPoolError error, string message) => new(error, message);

    private static TxPoolException Reject(TransactionRejection rejection) => new(ErrorOf(rejection.Rule), rejection.Message);

    /// <summary>The pool's error code for each broken validity rule.</summary>
    private static TxPoolError ErrorOf(TransactionRule rule) => rule switch
    {
        TransactionRule.InvalidChainId => TxPoolError.InvalidChainId,
        TransactionRule.TipAboveFeeCap => TxPoolError.TipAboveFeeCap,
        TransactionRule.InsufficientFunds => TxPoolError.InsufficientFunds,
        TransactionRule.IntrinsicGasTooLow => TxPoolError.IntrinsicGasTooLow,
        TransactionRule.ExceedsBlockGasLimit => TxPoolError.ExceedsBlockGasLimit,
        TransactionRule.NonceTooLow => TxPoolError.NonceTooLow,
        TransactionRule.NonceTooHigh => TxPoolError.NonceTooHigh,
        TransactionRule.SenderNotEoa => TxPoolError.SenderNotEoa,
        TransactionRule.FeeCapBelowBaseFee => TxPoolError.Underpriced,
        _ => TxPoolError.InvalidTransaction,
    };
}
