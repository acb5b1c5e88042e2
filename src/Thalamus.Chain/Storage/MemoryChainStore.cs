using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Chain;

/// <summary>An in-memory <see cref="IChainStore"/> (ephemeral chains and tests). Thread-safe: one lock.</summary>
public sealed class MemoryChainStore : IChainStore
{
    private readonly Lock _lock = new();
    private readonly List<Block> _blocks = [];
    private readonly Dictionary<Hash256, Block> _byHash = [];
    private readonly Dictionary<Hash256, TransactionLocation> _locations = [];
    private readonly Dictionary<Hash256, IReadOnlyList<TransactionReceipt>> _receipts = [];
    private readonly MemoryNodeStore _nodes = new();

    /// <summary>The number of <c>_blocks[0]</c>: 0, or a fork's first block (any number).</summary>
    private ulong _first;

    public ulong FirstNumber
    {
        get
        {
            lock (_lock) return _first;
        }
    }

    public ulong? HeadNumber
    {
        get
        {
            lock (_lock) return _blocks.Count == 0 ? null : _first + (ulong)(_blocks.Count - 1);
        }
    }

    public IKeyValueStore StateNodes => _nodes;

    public BlockHeader? GetHeader(ulong number) => GetBlock(number)?.Header;

    public BlockHeader? GetHeader(Hash256 hash) => GetBlock(hash)?.Header;

    public Block? GetBlock(ulong number)
    {
        lock (_lock) return number >= _first && number - _first < (ulong)_blocks.Count ? _blocks[(int)(number - _first)] : null;
    }

    public Block? GetBlock(Hash256 hash)
    {
        lock (_lock) return _byHash.GetValueOrDefault(hash);
    }

    public TransactionLocation? GetTransactionLocation(Hash256 txHash)
    {
        lock (_lock) return _locations.TryGetValue(txHash, out var location) ? location : null;
    }

    public IReadOnlyList<TransactionReceipt> GetReceipts(Hash256 blockHash)
    {
        lock (_lock) return _receipts.GetValueOrDefault(blockHash) ?? [];
    }

    public IEnumerable<LogRecord> GetLogs(LogFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var result = new List<LogRecord>();
        lock (_lock)
        {
            if (filter.BlockHash is { } hash)
            {
                if (_byHash.TryGetValue(hash, out var block)) Collect(block, filter, result);
                return result;
            }
            if (_blocks.Count == 0) return result;
            var to = Math.Min(filter.ToBlock, _first + (ulong)_blocks.Count - 1);
            for (var n = Math.Max(filter.FromBlock, _first); n <= to; n++)
            {
                Collect(_blocks[(int)(n - _first)], filter, result);
                if (n == ulong.MaxValue) break;
            }
        }
        return result;
    }

    public void CommitBlock(Block block, IReadOnlyList<TransactionReceipt> receipts, IReadOnlyCollection<KeyValuePair<byte[], byte[]>> newTrieNodes)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(receipts);
        ArgumentNullException.ThrowIfNull(newTrieNodes);
        if (receipts.Count != block.Transactions.Count)
            throw new ArgumentException($"block {block.Number} has {block.Transactions.Count} transactions but {receipts.Count} receipts", nameof(receipts));
        lock (_lock)
        {
            // The first block may have any number (a fork continues the remote's numbering).
            if (_blocks.Count == 0) _first = block.Number;
            var expected = _first + (ulong)_blocks.Count;
            if (block.Number != expected)
                throw new InvalidOperationException($"block {block.Number} does not extend the head (next is {expected})");
            if (_blocks.Count > 0 && block.Header.ParentHash != _blocks[^1].Hash)
                throw new InvalidOperationException($"block {block.Number}'s parent hash {block.Header.ParentHash} is not the head's hash {_blocks[^1].Hash}");
            _nodes.AddOwned(newTrieNodes);
            _blocks.Add(block);
            _byHash[block.Hash] = block;
            _receipts[block.Hash] = receipts;
            for (var i = 0; i < block.Transactions.Count; i++)
                _locations[block.Transactions[i].Hash] = new TransactionLocation(block.Hash, block.Number, i);
        }
    }

    public void RewindTo(ulong number)
    {
        lock (_lock)
        {
            if (number < _first || number - _first >= (ulong)_blocks.Count)
                throw new InvalidOperationException($"cannot rewind to block {number}: the blocks are {(_blocks.Count == 0 ? "none" : $"{_first} to {_first + (ulong)_blocks.Count - 1}")}");
            while ((ulong)_blocks.Count > number - _first + 1)
            {
                var block = _blocks[^1];
                _blocks.RemoveAt(_blocks.Count - 1);
                _byHash.Remove(block.Hash);
                _receipts.Remove(block.Hash);
                foreach (var tx in block.Transactions)
                    if (_locations.TryGetValue(tx.Hash, out var location) && location.BlockHash == block.Hash)
                        _locations.Remove(tx.Hash);
            }
        }
    }

    private void Collect(Block block, LogFilter filter, List<LogRecord> result)
    {
        if (!filter.MightMatch(block.Header.LogsBloom)) return;
        foreach (var receipt in _receipts[block.Hash])
        {
            if (receipt.Receipt.Logs.Count == 0) continue;
            foreach (var log in receipt.Logs)
                if (filter.Matches(log.Address, log.Topics)) result.Add(log);
        }
    }
}
