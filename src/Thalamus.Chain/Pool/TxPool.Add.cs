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
        ValidateStateless(tx);

        var state = _headState();
        var stateNonce = state.GetNonce(sender);
        if (tx.Nonce < stateNonce)
            throw Reject(TxPoolError.NonceTooLow, $"nonce too low: next nonce {stateNonce}, tx nonce {tx.Nonce}");

        _senders.TryGetValue(sender, out var txs);
        var existing = txs?.ByNonce.GetValueOrDefault(tx.Nonce);
        var pooled = new PooledTransaction(tx, sender, _sequence);

        // A nonce gap waits in the queue, unless the caller wants it refused.
        var nextPending = txs is null ? stateNonce : txs.StateNonce + (ulong)txs.PendingCount;
        if (!allowQueued && existing is null && tx.Nonce > nextPending)
            throw Reject(TxPoolError.NonceTooHigh, $"nonce too high: next nonce {nextPending}, tx nonce {tx.Nonce}");

        var balance = state.GetBalance(sender);
        if (balance < pooled.Cost)
            throw Reject(TxPoolError.InsufficientFunds,
                $"insufficient funds for gas * price + value: balance {balance}, tx cost {pooled.Cost}, overshot {pooled.Cost - balance}");
        if (txs is not null)
        {
            // The sender's other transactions must stay affordable together with this one.
            var queuedCost = txs.TotalCost - (existing?.Cost ?? UInt256.Zero);
            if (UInt256.AddOverflow(queuedCost, pooled.Cost, out var total) || total > balance)
                throw Reject(TxPoolError.InsufficientFunds,
                    $"insufficient funds for gas * price + value: balance {balance}, queued cost {queuedCost}, tx cost {pooled.Cost}, overshot {total - balance}");
        }

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

    /// <summary>The checks that need neither state nor pool, in geth's order and wording.</summary>
    private void ValidateStateless(Transaction tx)
    {
        var size = TransactionEncoder.GetEncodedLength(tx);
        if (size > _profile.MaxTransactionSize)
            throw Reject(TxPoolError.OversizedData, $"oversized data: transaction size {size}, limit {_profile.MaxTransactionSize}");
        if (tx.IsContractCreation && tx.Data.Length > TransactionValidator.MaxInitCodeSize)
            throw Reject(TxPoolError.InvalidTransaction,
                $"max initcode size exceeded: code size {tx.Data.Length}, limit {TransactionValidator.MaxInitCodeSize}");
        if (tx.GasLimit > _profile.BlockGasLimit)
            throw Reject(TxPoolError.ExceedsBlockGasLimit, "exceeds block gas limit");
        if (tx.ChainId is { } chainId && chainId != _profile.ChainId)
            throw Reject(TxPoolError.InvalidChainId, $"invalid chain id for signer: have {chainId} want {_profile.ChainId}");
        if (tx.Type != TxType.Legacy && tx.ChainId is null)
            throw Reject(TxPoolError.InvalidChainId, $"invalid chain id for signer: have none want {_profile.ChainId}");
        if (tx.Nonce == ulong.MaxValue)
            throw Reject(TxPoolError.InvalidTransaction, "nonce has max value");
        if (tx.FeeCap < tx.TipCap)
            throw Reject(TxPoolError.TipAboveFeeCap, "max priority fee per gas higher than max fee per gas");
        if (UInt256.MultiplyOverflow(new UInt256(tx.GasLimit), tx.FeeCap, out _))
            throw Reject(TxPoolError.InsufficientFunds, "insufficient funds for gas * price + value: gas * price overflows 256 bits");
        if (tx.FeeCap < _profile.MinGasPrice)
            throw Reject(TxPoolError.Underpriced, $"transaction underpriced: gas fee cap {tx.FeeCap}, minimum needed {_profile.MinGasPrice}");
        var intrinsic = IntrinsicGas.Calculate(tx);
        if (tx.GasLimit < intrinsic)
            throw Reject(TxPoolError.IntrinsicGasTooLow, $"intrinsic gas too low: gas {tx.GasLimit}, minimum needed {intrinsic}");
        if (tx.Type == TxType.Blob && TransactionValidator.GetError(tx, _profile.ChainId) is { } blobError)
            throw Reject(TxPoolError.InvalidTransaction, blobError);
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
}
