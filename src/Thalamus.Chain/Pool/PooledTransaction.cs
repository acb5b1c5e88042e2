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
        // Worst case the sender pays: gas limit at the fee cap, the value, and the blob fee cap.
        var cost = new UInt256(transaction.GasLimit) * FeeCap + transaction.Value;
        if (transaction.BlobGas > 0) cost += new UInt256(transaction.BlobGas) * transaction.MaxFeePerBlobGas;
        Cost = cost;
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
