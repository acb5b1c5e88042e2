using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Chain;

/// <summary>
/// Where a member chain keeps its blocks, receipts, log index and trie nodes. Implementations:
/// <see cref="MemoryChainStore"/> here, <c>SqliteChainStore</c> in Thalamus.Storage.
/// Reads may run on any thread while one writer commits; a commit is atomic.
/// </summary>
public interface IChainStore
{
    /// <summary>The number of the newest stored block; null when the store is empty (no genesis yet).</summary>
    ulong? HeadNumber { get; }

    /// <summary>The number of the first stored block: 0, or for a fork (in memory only) the pinned remote block's.</summary>
    ulong FirstNumber => 0;

    BlockHeader? GetHeader(ulong number);
    BlockHeader? GetHeader(Hash256 hash);
    Block? GetBlock(ulong number);
    Block? GetBlock(Hash256 hash);
    TransactionLocation? GetTransactionLocation(Hash256 txHash);

    /// <summary>The block's receipts in transaction order (empty for an unknown block).</summary>
    IReadOnlyList<TransactionReceipt> GetReceipts(Hash256 blockHash);

    /// <summary>Matching logs in (block, log index) order; <see cref="LogFilter.ToBlock"/> is clamped to the head.</summary>
    IEnumerable<LogRecord> GetLogs(LogFilter filter);

    /// <summary>
    /// Trie nodes (by hash) and contract code (by code hash) of every committed block's state:
    /// the state at a block is <c>new WorldState(StateNodes, header.StateRoot)</c>. Writes go
    /// through <see cref="CommitBlock"/>; this view is for reading.
    /// </summary>
    IKeyValueStore StateNodes { get; }

    /// <summary>
    /// Atomically stores <paramref name="block"/> as the new head (its number is HeadNumber + 1,
    /// or 0 for genesis), its receipts, its logs for <see cref="GetLogs"/>, its transactions'
    /// locations, and the trie nodes/code its state root needs that were not stored before.
    /// </summary>
    void CommitBlock(Block block, IReadOnlyList<TransactionReceipt> receipts, IReadOnlyCollection<KeyValuePair<byte[], byte[]>> newTrieNodes);

    /// <summary>
    /// Atomically drops every block above <paramref name="number"/> (their transactions' locations,
    /// receipts and logs) so that <paramref name="number"/> is the head again (evm_revert).
    /// Trie nodes stay: they are content-addressed and harmless.
    /// </summary>
    void RewindTo(ulong number);
}
