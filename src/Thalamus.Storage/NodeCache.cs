namespace Thalamus.Storage;

/// <summary>
/// A bounded read cache of trie nodes: two generations, the young one filling until it holds half
/// the capacity, then becoming the old one (whose survivors are promoted on a hit). Close to LRU
/// for a fraction of the bookkeeping: no per-entry links, no allocation on a hit. Thread-safe.
/// </summary>
internal sealed class NodeCache
{
    private readonly int _generationSize;
    private readonly Lock _lock = new();
    private Dictionary<byte[], byte[]> _young = new(ByteArrayComparer.Instance);
    private Dictionary<byte[], byte[]> _old = new(ByteArrayComparer.Instance);

    public NodeCache(int capacity)
    {
        _generationSize = Math.Max(1, capacity / 2);
    }

    public int Count
    {
        get
        {
            lock (_lock) return _young.Count + _old.Count;
        }
    }

    /// <summary>The cached value (shared: the caller must copy before handing it out).</summary>
    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        lock (_lock)
        {
            if (_young.GetAlternateLookup<ReadOnlySpan<byte>>().TryGetValue(key, out var value)) return value;
            var old = _old.GetAlternateLookup<ReadOnlySpan<byte>>();
            if (!old.TryGetValue(key, out var oldKey, out value)) return null;
            old.Remove(key);
            AddLocked(oldKey, value);
            return value;
        }
    }

    public void Add(byte[] key, byte[] value)
    {
        lock (_lock) AddLocked(key, value);
    }

    public void Remove(ReadOnlySpan<byte> key)
    {
        lock (_lock)
        {
            _young.GetAlternateLookup<ReadOnlySpan<byte>>().Remove(key);
            _old.GetAlternateLookup<ReadOnlySpan<byte>>().Remove(key);
        }
    }

    private void AddLocked(byte[] key, byte[] value)
    {
        if (_young.Count >= _generationSize)
        {
            (_old, _young) = (_young, _old);
            _young.Clear();
        }
        _young[key] = value;
    }
}
