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
                return Store.GetHeader(0);
            case BlockSelectorKind.Number:
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
        return Store.GetLogs(filter).ToList();
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
        return read(new WorldState(Store.StateNodes, header.StateRoot));
    }

    private static ChainException HeaderNotFound(BlockSelector block) => new($"header not found: {block}");
}
