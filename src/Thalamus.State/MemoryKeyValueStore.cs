using System.Diagnostics.CodeAnalysis;

namespace Thalamus.State;

/// <summary>
/// An in-memory <see cref="IKeyValueStore"/>. Thread-safe (one lock); lookups by span do not
/// allocate, thanks to an alternate-key comparer over <c>ReadOnlySpan&lt;byte&gt;</c>.
/// </summary>
public sealed class MemoryKeyValueStore : IKeyValueStore
{
    private readonly Dictionary<byte[], byte[]> _entries = new(ByteArrayComparer.Instance);
    private readonly Dictionary<byte[], byte[]>.AlternateLookup<ReadOnlySpan<byte>> _bySpan;
    private readonly Lock _lock = new();

    public MemoryKeyValueStore()
    {
        _bySpan = _entries.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public int Count
    {
        get
        {
            lock (_lock) return _entries.Count;
        }
    }

    public byte[]? Get(ReadOnlySpan<byte> key)
    {
        lock (_lock)
            return _bySpan.TryGetValue(key, out var value) ? value.ToArray() : null;
    }

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        var copy = value.ToArray();
        lock (_lock) _bySpan[key] = copy;
    }

    public void Delete(ReadOnlySpan<byte> key)
    {
        lock (_lock) _bySpan.Remove(key);
    }

    private sealed class ByteArrayComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
    {
        public static readonly ByteArrayComparer Instance = new();

        public bool Equals(byte[]? x, byte[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

        public int GetHashCode([DisallowNull] byte[] obj) => Hash(obj);

        public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

        public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

        public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

        private static int Hash(ReadOnlySpan<byte> bytes)
        {
            var hash = new HashCode();
            hash.AddBytes(bytes);
            return hash.ToHashCode();
        }
    }
}
