namespace Thalamus.Chain;

/// <summary>A sealed block with its receipts, the pool entries it included, and those found invalid.</summary>
public sealed class BuiltBlock
{
    public required Block Block { get; init; }
    public required IReadOnlyList<TransactionReceipt> Receipts { get; init; }
    public required IReadOnlyList<PooledTransaction> Included { get; init; }

    /// <summary>Transactions the processor refused (nonce or balance no longer right), with the reason.</summary>
    public required IReadOnlyList<(PooledTransaction Transaction, string Error)> Invalid { get; init; }

    /// <summary>Transactions that ran but were not admitted (see <see cref="Thalamus.Evm.ITransactionAdmission"/>): still in the pool.</summary>
    public int Deferred { get; init; }
}
