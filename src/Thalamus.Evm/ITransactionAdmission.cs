namespace Thalamus.Evm;

/// <summary>
/// Decides, once a transaction has run and before its changes become final, whether it may go into
/// the block being built (a node-cluster admits cross-chain sends only while the destinations' next
/// blocks can deliver them within Delta). A lone chain has none.
/// </summary>
public interface ITransactionAdmission
{
    /// <summary>
    /// Null: the transaction stays in the block. Otherwise why it must wait for a later block: the
    /// transaction processor undoes everything it did and the block builder leaves it in the pool.
    /// </summary>
    /// <param name="logs">The transaction's logs (empty when it reverted).</param>
    string? Admit(IReadOnlyList<LogEntry> logs);
}
