using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>A transaction in the pool with its recovered sender and the figures the pool orders by.</summary>
public sealed class PooledTransaction
{
    public PooledTransaction(Transaction transaction, Address sender, long sequence)
    {
        ArgumentNullException.ThrowIfNull(transaction);
        Transaction = transaction;
        Sender = sender;
        Sequence = sequence;
        Hash = transaction.Hash;
        FeeCap = transaction.FeeCap;
        TipCap = transaction.TipCap;
        // Worst case the sender pays (saturated: beyond 256 bits no balance covers it anyway).
        Cost = TransactionValidator.TryGetMaxCost(transaction, out var cost) ? cost : UInt256.MaxValue;
    }

    public Transaction Transaction { get; }
    public Address Sender { get; }
    public Hash256 Hash { get; }
    public ulong Nonce => Transaction.Nonce;
    public UInt256 FeeCap { get; }
    public UInt256 TipCap { get; }
    public UInt256 Cost { get; }

    /// <summary>Arrival order: ties in price go to the earlier transaction.</summary>
    public long Sequence { get; }

    /// <summary>The priority fee per gas this transaction pays at <paramref name="baseFee"/> (null when its fee cap is below it).</summary>
    public UInt256? EffectiveTip(in UInt256 baseFee)
    {
        if (FeeCap < baseFee) return null;
        var room = FeeCap - baseFee;
        return room < TipCap ? room : TipCap;
    }

    public override string ToString() => $"{Hash} from {Sender} nonce {Nonce}";
}
