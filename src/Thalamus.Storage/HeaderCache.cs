using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Storage;

/// <summary>The most recently committed headers by number and hash: "latest" and its neighbours are read far more than the rest.</summary>
internal sealed class HeaderCache
{
    private readonly int _capacity;
    private readonly Lock _lock = new();
    private readonly Dictionary<ulong, BlockHeader> _byNumber = [];
    private readonly Dictionary<Hash256, BlockHeader> _byHash = [];
    private readonly Queue<BlockHeader> _order = new();

    public HeaderCache(int capacity)
    {
        _capacity = capacity;
    }

    public BlockHeader? Get(ulong number)
    {
        lock (_lock) return _byNumber.GetValueOrDefault(number);
    }

    public BlockHeader? Get(Hash256 hash)
    {
        lock (_lock) return _byHash.GetValueOrDefault(hash);
    }

    public void Add(BlockHeader header)
    {
        lock (_lock)
        {
            if (_byHash.ContainsKey(header.Hash)) return;
            _byNumber[header.Number] = header;
            _byHash[header.Hash] = header;
            _order.Enqueue(header);
            while (_order.Count > _capacity)
            {
                var old = _order.Dequeue();
                _byHash.Remove(old.Hash);
                if (_byNumber.TryGetValue(old.Number, out var current) && ReferenceEquals(current, old)) _byNumber.Remove(old.Number);
            }
        }
    }

    public void Clear()
    {
        lock (_lock)
        {
            _byNumber.Clear();
            _byHash.Clear();
            _order.Clear();
        }
    }
}
