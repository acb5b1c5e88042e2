using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Chain;

public sealed partial class MemberChain
{
    /// <summary>eth_sendRawTransaction: decodes, recovers the sender, pools, and (automine) seals.</summary>
    /// <exception cref="TransactionDecodingException">the bytes are not a transaction.</exception>
    /// <exception cref="TxPoolException">the pool refuses it (geth's message).</exception>
    public Hash256 SendRawTransaction(ReadOnlySpan<byte> raw)
    {
        if (raw.Length > Profile.MaxTransactionSize)
            throw new TxPoolException(TxPoolError.OversizedData, $"oversized data: transaction size {raw.Length}, limit {Profile.MaxTransactionSize}");
        var tx = TransactionDecoder.Decode(raw);
        return SendTransaction(tx);
    }

    /// <summary>
    /// The lock-free part of <see cref="SendRawTransaction"/>: the size check, decoding and sender
    /// recovery (which caches the sender in the transaction), so that a JSON-RPC batch can prepare
    /// its next transactions on another core while this chain seals the current one. Null when
    /// any check fails: <see cref="SendRawTransaction"/> then reports the error in order.
    /// Thread-safe.
    /// </summary>
    public Transaction? TryPrepareRawTransaction(ReadOnlySpan<byte> raw)
    {
        if (raw.Length > Profile.MaxTransactionSize) return null;
        try
        {
            var tx = TransactionDecoder.Decode(raw);
            RecoverSender(tx);
            return tx;
        }
        catch (Exception e) when (e is InvalidTransactionException or ChainException or RlpException)
        {
            return null;
        }
    }

    /// <summary>Pools a decoded signed transaction (the sender is recovered here if not yet).</summary>
    public Hash256 SendTransaction(Transaction tx)
    {
        ArgumentNullException.ThrowIfNull(tx);
        var sender = RecoverSender(tx);
        lock (_lock)
        {
            AddLocked(tx, sender);
            if (_automine) AutomineOrDrop(tx, sender);
        }
        return tx.Hash;
    }

    /// <summary>
    /// Pools many raw transactions: decoding and sender recovery run in parallel, then each is
    /// added in order (automine seals a block per transaction). Never throws for one bad transaction.
    /// </summary>
    public IReadOnlyList<SubmitResult> SendRawTransactions(IReadOnlyList<byte[]> raws)
    {
        ArgumentNullException.ThrowIfNull(raws);
        var txs = new Transaction?[raws.Count];
        var errors = new Exception?[raws.Count];
        Parallel.For(0, raws.Count, i =>
        {
            try
            {
                if (raws[i].Length > Profile.MaxTransactionSize)
                    throw new TxPoolException(TxPoolError.OversizedData, $"oversized data: transaction size {raws[i].Length}, limit {Profile.MaxTransactionSize}");
                var tx = TransactionDecoder.Decode(raws[i]);
                txs[i] = tx;
                RecoverSender(tx);
            }
            catch (Exception e) when (e is InvalidTransactionException or ChainException)
            {
                errors[i] = e;
            }
        });
        return AddAll(txs, errors);
    }

    /// <summary>Like <see cref="SendRawTransactions"/> for decoded transactions.</summary>
    public IReadOnlyList<SubmitResult> SendTransactions(IReadOnlyList<Transaction> transactions)
    {
        ArgumentNullException.ThrowIfNull(transactions);
        var txs = transactions.ToArray<Transaction?>();
        var errors = new Exception?[txs.Length];
        Parallel.For(0, txs.Length, i =>
        {
            try
            {
                RecoverSender(txs[i]!);
            }
            catch (ChainException e)
            {
                errors[i] = e;
            }
        });
        return AddAll(txs, errors);
    }

    private SubmitResult[] AddAll(Transaction?[] txs, Exception?[] errors)
    {
        var results = new SubmitResult[txs.Length];
        lock (_lock)
        {
            for (var i = 0; i < txs.Length; i++)
            {
                var tx = txs[i];
                if (errors[i] is { } error)
                {
                    results[i] = new SubmitResult(tx?.Hash ?? Hash256.Zero, error);
                    continue;
                }
                try
                {
                    AddLocked(tx!, tx!.RecoverSender());
                    results[i] = new SubmitResult(tx.Hash, null);
                    if (_automine) AutomineOrDrop(tx, tx.RecoverSender());
                }
                catch (Exception e) when (e is TxPoolException or RemoteStateException)
                {
                    results[i] = new SubmitResult(tx!.Hash, e);
                }
            }
        }
        return results;
    }

    /// <summary>
    /// Automines after <paramref name="tx"/> entered the pool. Fork mode: when the block needs state the
    /// remote cannot give, the transaction leaves the pool again (later ones can still seal) and the
    /// caller gets the reason.
    /// </summary>
    private void AutomineOrDrop(Transaction tx, Address sender)
    {
        try
        {
            AutomineLocked();
        }
        catch (RemoteStateException)
        {
            Pool.Remove(tx.Hash);
            Pool.Reconcile([sender]);
            throw;
        }
    }

    private void AddLocked(Transaction tx, Address sender)
    {
        // An automining chain without interval sealing would never run a nonce gap: refuse it, as Hardhat does.
        var allowQueued = !_automine || _interval > TimeSpan.Zero;
        var pooled = Pool.Add(tx, sender, allowQueued);
        PendingTransactionAdded?.Invoke(pooled.Hash);
    }

    /// <summary>
    /// Senders this chain refuses from outside the node, with the reason (null: the sender may send):
    /// in a cluster, the modules' system accounts, whose keys anyone can recompute, so only the node
    /// may put their transactions in blocks. Null refuses none (a lone chain, a scratch chain).
    /// </summary>
    public Func<Address, string?>? ReservedSender { get; set; }

    /// <summary>
    /// The sender of a transaction entering the pool: recovered from its signature, or the sender of a
    /// transaction this process impersonated. The impersonation marker on a transaction from the
    /// wire is refused, so that in a stored block the marker always names the real sender; so is a
    /// <see cref="ReservedSender"/>.
    /// </summary>
    private Address RecoverSender(Transaction tx)
    {
        if (tx.HasImpersonationSignature && !tx.IsImpersonated)
            throw new TxPoolException(TxPoolError.InvalidSignature,
                "invalid sender: a signature with s = 1 and r below 2^160 is reserved for impersonated transactions (anvil_impersonateAccount and eth_sendTransaction)");
        Address sender;
        try
        {
            sender = tx.RecoverSender();
        }
        catch (InvalidSignatureException e)
        {
            throw new TxPoolException(TxPoolError.InvalidSignature, "invalid sender: " + e.Message);
        }
        if (ReservedSender?.Invoke(sender) is { } reason)
            throw new TxPoolException(TxPoolError.InvalidSender, $"invalid sender: {sender} {reason}");
        return sender;
    }
}
