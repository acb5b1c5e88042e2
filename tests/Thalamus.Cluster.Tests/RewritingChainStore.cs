using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Cluster.Tests;

/// <summary>
/// A read-only view of a chain store in which one block's cluster section is rewritten and its extra
/// data set to the new section's hash: a forged block whose header still looks self-consistent.
/// </summary>
internal sealed class RewritingChainStore(IChainStore inner, ulong number, Func<ClusterSection, ClusterSection> rewrite) : IChainStore
{
    private readonly Block _forged = Forge(inner.GetBlock(number)!, rewrite);

    private static Block Forge(Block block, Func<ClusterSection, ClusterSection> rewrite)
    {
        var section = rewrite(ClusterSection.Decode(block.ClusterSection!)).Encode();
        var h = block.Header;
        var header = new BlockHeader
        {
            ParentHash = h.ParentHash, OmmersHash = h.OmmersHash, Coinbase = h.Coinbase, StateRoot = h.StateRoot,
            TransactionsRoot = h.TransactionsRoot, ReceiptsRoot = h.ReceiptsRoot, LogsBloom = h.LogsBloom, Difficulty = h.Difficulty,
            Number = h.Number, GasLimit = h.GasLimit, GasUsed = h.GasUsed, Timestamp = h.Timestamp,
            ExtraData = Keccak256.Compute(section).Bytes.ToArray(), PrevRandao = h.PrevRandao, Nonce = h.Nonce,
            BaseFeePerGas = h.BaseFeePerGas, WithdrawalsRoot = h.WithdrawalsRoot, BlobGasUsed = h.BlobGasUsed,
            ExcessBlobGas = h.ExcessBlobGas, ParentBeaconBlockRoot = h.ParentBeaconBlockRoot,
        };
        return new Block(header, block.Transactions, block.Withdrawals, section);
    }

    public ulong? HeadNumber => inner.HeadNumber;
    public IKeyValueStore StateNodes => inner.StateNodes;
    public BlockHeader? GetHeader(ulong n) => GetBlock(n)?.Header;
    public BlockHeader? GetHeader(Hash256 hash) => inner.GetHeader(hash);
    public Block? GetBlock(ulong n) => n == number ? _forged : inner.GetBlock(n);
    public Block? GetBlock(Hash256 hash) => inner.GetBlock(hash);
    public TransactionLocation? GetTransactionLocation(Hash256 txHash) => inner.GetTransactionLocation(txHash);
    public IReadOnlyList<TransactionReceipt> GetReceipts(Hash256 blockHash) => inner.GetReceipts(blockHash);
    public IEnumerable<LogRecord> GetLogs(LogFilter filter) => inner.GetLogs(filter);
    public void CommitBlock(Block block, IReadOnlyList<TransactionReceipt> receipts, IReadOnlyCollection<KeyValuePair<byte[], byte[]>> newTrieNodes) =>
        throw new NotSupportedException("read-only");
    public void RewindTo(ulong n) => throw new NotSupportedException("read-only");
}
