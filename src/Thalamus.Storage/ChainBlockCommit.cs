using Thalamus.Chain;

namespace Thalamus.Storage;

/// <summary>One chain's block for <see cref="ClusterDatabase.CommitTogether"/>: the same arguments as <see cref="IChainStore.CommitBlock"/>.</summary>
public sealed record ChainBlockCommit(
    SqliteChainStore Store,
    Block Block,
    IReadOnlyList<TransactionReceipt> Receipts,
    IReadOnlyCollection<KeyValuePair<byte[], byte[]>> NewTrieNodes);
