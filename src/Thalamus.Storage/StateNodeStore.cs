using Thalamus.State;

namespace Thalamus.Storage;

/// <summary>
/// A chain's trie nodes and contract code as an <see cref="IKeyValueStore"/>: reads go through a
/// bounded cache to the database; writes are buffered in memory (and readable at once) until the
/// chain's next block commit writes them in the same transaction as the block, so a state root
/// never becomes durable without its nodes, and nodes cost no transaction of their own.
/// </summary>
internal sealed class StateNodeStore : IKeyValueStore
{
    private readonly SqliteChainStore _chain;
    private readonly NodeCache _cache;
    private readonly Lock _lock = new();

    /// <summary>Writes not yet handed to a commit; a null value is a pending delete.</summary>
    private Dictionary<byte[], byte[]?> _pending = new(ByteArrayComparer.Instance);

    /// <summary>Writes being committed right now (still readable until the commit is done).</summary>
    private Dictionary<byte[], byte[]?>? _flushing;

    public StateNodeStore(SqliteChainStore chain, int cacheEntries)
    {
        _chain = chain;
        _cache = new NodeCache(cacheEntries);
    }

    public int PendingCount
    {
        get
        {
            lock (_lock) return _pending.Count + (_flushing?.Count ?? 0);
        }
    }

    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        lock (_lock)
        {
            if (_pending.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(key, out var value)) return value?.ToArray();
            if (_flushing is not null && _flushing.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(key, out value)) return value?.ToArray();
        }
        var cached = _cache.Get(key);
        if (cached is not null) return cached.ToArray();
        var stored = _chain.ReadStateNode(key);
        if (stored is null) return null;
        _cache.Add(key.ToArray(), stored);
        return stored.ToArray();
    }

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var copy = value.ToArray();
        lock (_lock) _pending.GetAlternateLookup<ReadOnlySpan<byte>>()[key] = copy;
    }

    public void Delete(ReadOnlySpan<byte> key)
    {
        lock (_lock) _pending.GetAlternateLookup<ReadOnlySpan<byte>>()[key] = null;
        _cache.Remove(key);
    }

    /// <summary>Buffers a commit's new nodes (keys and values are kept, not copied: the caller hands them over).</summary>
    public void AddPending(IReadOnlyCollection<KeyValuePair<byte[], byte[]>> nodes)
    {
        if (nodes.Count == 0) return;
        lock (_lock)
        {
            _pending.EnsureCapacity(_pending.Count + nodes.Count);
            foreach (var (key, value) in nodes)
            {
                ArgumentNullException.ThrowIfNull(key);
                ArgumentNullException.ThrowIfNull(value);
                _pending[key] = value;
            }
        }
    }

    /// <summary>Moves the pending writes to the flushing set and returns them sorted by key (b-tree friendly), or null if none.</summary>
    public KeyValuePair<byte[], byte[]?>[]? BeginFlush()
    {
        lock (_lock)
        {
            if (_flushing is not null) throw new InvalidOperationException("a state-node flush is already in progress");
            if (_pending.Count == 0) return null;
            _flushing = _pending;
            _pending = new Dictionary<byte[], byte[]?>(ByteArrayComparer.Instance);
            var entries = _flushing.ToArray();
            Array.Sort(entries, static (a, b) => a.Key.AsSpan().SequenceCompareTo(b.Key));
            return entries;
        }
    }

    /// <summary>After the transaction: committed nodes move to the read cache; failed ones go back to pending.</summary>
    public void EndFlush(bool committed)
    {
        lock (_lock)
        {
            var flushing = _flushing;
            _flushing = null;
            if (flushing is null) return;
            if (committed)
            {
                foreach (var (key, value) in flushing)
                    if (value is not null) _cache.Add(key, value);
            }
            else
            {
                foreach (var (key, value) in flushing) _pending.TryAdd(key, value);
            }
        }
    }
}
