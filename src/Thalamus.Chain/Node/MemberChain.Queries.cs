using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Chain;

public sealed partial class MemberChain
{
    /// <summary>The block number a selector means now (pending, safe and finalized are the head on a dev chain); null when unknown.</summary>
    public ulong? ResolveBlockNumber(BlockSelector selector) => ResolveHeader(selector)?.Number;

    /// <summary>The header a selector means now, or null.</summary>
    public BlockHeader? ResolveHeader(BlockSelector selector)
    {
        switch (selector.Kind)
        {
            case BlockSelectorKind.Latest:
            case BlockSelectorKind.Pending:
            case BlockSelectorKind.Safe:
            case BlockSelectorKind.Finalized:
                return Head;
            case BlockSelectorKind.Earliest:
                return Store.GetHeader(FirstBlockNumber);
            case BlockSelectorKind.Number:
                if (selector.Number < FirstBlockNumber && RemoteState is not null)
                    throw new ChainException($"block {selector.Number} is before this fork's first block {FirstBlockNumber}: ask the forked chain for it", ChainException.InvalidParamsCode);
                return Store.GetHeader(selector.Number);
            case BlockSelectorKind.Hash:
                return Store.GetHeader(selector.Hash);
            default:
                throw new ArgumentOutOfRangeException(nameof(selector), selector.Kind, "unknown block selector");
        }
    }

    public UInt256 GetBalance(Address address, BlockSelector block) => ReadState(block, s => s.GetBalance(address));

    /// <summary>eth_getTransactionCount; "pending" also counts the sender's executable pooled transactions.</summary>
    public ulong GetTransactionCount(Address address, BlockSelector block)
    {
        if (block.Kind == BlockSelectorKind.Pending)
        {
            lock (_lock)
            {
                var stateNonce = _state.GetNonce(address);
                return Pool.GetPendingNonce(address) is { } pending && pending > stateNonce ? pending : stateNonce;
            }
        }
        return ReadState(block, s => s.GetNonce(address));
    }

    public byte[] GetCode(Address address, BlockSelector block) => ReadState(block, s => s.GetCode(address));

    public UInt256 GetStorageAt(Address address, UInt256 slot, BlockSelector block) => ReadState(block, s => s.GetStorage(address, slot));

    public Block? GetBlock(BlockSelector block) =>
        block.Kind == BlockSelectorKind.Hash ? Store.GetBlock(block.Hash) : ResolveHeader(block) is { } header ? Store.GetBlock(header.Number) : null;

    public Block? GetBlock(Hash256 hash) => Store.GetBlock(hash);

    /// <summary>A mined transaction with its location, or a pooled one with a null location.</summary>
    public (Transaction tx, TransactionLocation? location)? GetTransaction(Hash256 hash)
    {
        if (Store.GetTransactionLocation(hash) is { } location && Store.GetBlock(location.BlockHash) is { } block
            && location.Index < block.Transactions.Count)
            return (block.Transactions[location.Index], location);
        lock (_lock)
            return Pool.Get(hash) is { } pooled ? (pooled.Transaction, null) : null;
    }

    public TransactionReceipt? GetReceipt(Hash256 hash)
    {
        if (Store.GetTransactionLocation(hash) is not { } location) return null;
        var receipts = Store.GetReceipts(location.BlockHash);
        return location.Index < receipts.Count ? receipts[location.Index] : null;
    }

    /// <summary>eth_getBlockReceipts.</summary>
    public IReadOnlyList<TransactionReceipt>? GetBlockReceipts(BlockSelector block) =>
        GetBlock(block) is { } b ? Store.GetReceipts(b.Hash) : null;

    /// <summary>eth_getLogs over the stored blocks (the range is clamped to the head).</summary>
    public IReadOnlyList<LogRecord> GetLogs(LogFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var logs = Store.GetLogs(filter).ToList();
        if (_coordinator is null) return logs;
        // A cluster block may also hold the logs of synchronous calls it received (see SectionLogRecords).
        var before = logs.Count;
        if (filter.BlockHash is { } hash)
        {
            if (Store.GetBlock(hash) is { } block) AddMatching(SectionLogRecords(block), filter, logs);
        }
        else if (Store.HeadNumber is { } head)
        {
            var to = Math.Min(filter.ToBlock, head);
            for (var n = filter.FromBlock; n <= to; n++)
            {
                // Only a block with a cluster section has extra data (the section's hash).
                if (Store.GetHeader(n) is { ExtraData.Length: > 0 } && Store.GetBlock(n) is { } block)
                    AddMatching(SectionLogRecords(block), filter, logs);
                if (n == ulong.MaxValue) break;
            }
        }
        if (logs.Count > before) logs.Sort(static (a, b) => a.BlockNumber != b.BlockNumber ? a.BlockNumber.CompareTo(b.BlockNumber) : a.LogIndex.CompareTo(b.LogIndex));
        return logs;
    }

    /// <summary>
    /// The logs of the synchronous calls a cluster block received, as eth_getLogs shows them: after
    /// the block's receipt logs (as Bor places its state-sync logs), with the transaction index one past
    /// the last transaction and a transaction hash of their own,
    /// keccak256("thalamus.cluster.inbound" ++ block hash), which names no transaction.
    /// </summary>
    public IReadOnlyList<LogRecord> SectionLogRecords(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (_coordinator is null || block.ClusterSection is null) return [];
        var entries = _coordinator.SectionLogs(block);
        if (entries.Count == 0) return [];
        var receipts = Store.GetReceipts(block.Hash);
        var first = receipts.Count == 0 ? 0 : receipts[^1].FirstLogIndex + receipts[^1].Logs.Count;
        var hash = SectionTransactionHash(block.Hash);
        var records = new LogRecord[entries.Count];
        for (var i = 0; i < records.Length; i++)
            records[i] = new LogRecord(entries[i].Address, entries[i].Topics, entries[i].Data, block.Number, block.Hash, hash,
                block.Transactions.Count, first + i);
        return records;
    }

    private static Hash256 SectionTransactionHash(in Hash256 blockHash)
    {
        Span<byte> input = stackalloc byte[24 + 32];
        "thalamus.cluster.inbound"u8.CopyTo(input);
        blockHash.Bytes.CopyTo(input[24..]);
        return Keccak256.Compute(input);
    }

    private static void AddMatching(IReadOnlyList<LogRecord> candidates, LogFilter filter, List<LogRecord> into)
    {
        foreach (var log in candidates)
            if (filter.Matches(log)) into.Add(log);
    }

    /// <summary>
    /// Reads from the head's live state under the lock (fast), or from a past block's state
    /// reopened from the store.
    /// </summary>
    private T ReadState<T>(BlockSelector block, Func<WorldState, T> read)
    {
        if (block.Kind is BlockSelectorKind.Latest or BlockSelectorKind.Pending or BlockSelectorKind.Safe or BlockSelectorKind.Finalized)
        {
            lock (_lock) return read(_state);
        }
        var header = ResolveHeader(block) ?? throw HeaderNotFound(block);
        lock (_lock)
        {
            if (header.Hash == _head.Hash) return read(_state);
        }
        return read(OpenStateAt(header.StateRoot));
    }

    private static ChainException HeaderNotFound(BlockSelector block) => new($"header not found: {block}");
}
