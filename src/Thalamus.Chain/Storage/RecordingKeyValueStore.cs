using System.Diagnostics.CodeAnalysis;
using Thalamus.State;

namespace Thalamus.Chain;

/// <summary>
/// Buffers writes over a read-only base store so that a block's new trie nodes can be handed to
/// <see cref="IChainStore.CommitBlock"/> in one piece. Reads see the buffer first, then the base.
/// </summary>
public sealed class RecordingKeyValueStore : IKeyValueStore
{
    private readonly IKeyValueStore _inner;
    private Dictionary<byte[], byte[]> _written = new(ByteArrayComparer.Instance);
    private Dictionary<byte[], byte[]>.AlternateLookup<ReadOnlySpan<byte>> _bySpan;

    public RecordingKeyValueStore(IKeyValueStore inner)
    {
        ArgumentNullException.ThrowIfNull(inner);
        _inner = inner;
        _bySpan = _written.GetAlternateLookup<ReadOnlySpan<byte>>();
    }

    public int PendingCount => _written.Count;

    public byte[]? Get(ReadOnlySpan<byte> key) =>
        _bySpan.TryGetValue(key, out var value) ? value.ToArray() : _inner.Get(key);

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value) => _bySpan[key] = value.ToArray();

    /// <summary>Deletes only buffered entries: committed trie nodes are content-addressed and shared.</summary>
    public void Delete(ReadOnlySpan<byte> key) => _bySpan.Remove(key);

    /// <summary>Returns the buffered writes and starts a new buffer (the caller hands them to the chain store).</summary>
    public IReadOnlyCollection<KeyValuePair<byte[], byte[]>> Drain()
    {
        var written = _written;
        // Sized like the last block's set: automined blocks write about the same number of nodes.
        _written = new Dictionary<byte[], byte[]>(written.Count, ByteArrayComparer.Instance);
        _bySpan = _written.GetAlternateLookup<ReadOnlySpan<byte>>();
        return written;
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
            // Trie node keys are Keccak hashes, already uniform: eight bytes are enough.
            if (bytes.Length == 32)
            {
                var head = System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes);
                return (int)head ^ (int)(head >> 32);
            }
            var hash = new HashCode();
            hash.AddBytes(bytes);
            return hash.ToHashCode();
        }
    }
}
