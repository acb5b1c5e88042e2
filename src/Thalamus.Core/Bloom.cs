namespace Thalamus.Core;

/// <summary>
/// The 2048-bit log bloom of receipts and headers. Each added item sets three bits: for
/// i in 0, 2, 4, the low 11 bits of the big-endian pair keccak(item)[i..i+2] select a bit,
/// counted from the least significant end of the 256-byte big-endian array.
/// </summary>
public sealed class Bloom : IEquatable<Bloom>
{
    public const int ByteLength = 256;

    private readonly byte[] _bytes = new byte[ByteLength];

    public Bloom()
    {
    }

    /// <summary>A bloom from its 256-byte encoding.</summary>
    public Bloom(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != ByteLength)
            throw new ArgumentException($"a bloom needs exactly {ByteLength} bytes, got {bytes.Length}", nameof(bytes));
        bytes.CopyTo(_bytes);
    }

    public ReadOnlySpan<byte> Bytes => _bytes;

    public bool IsEmpty => !_bytes.AsSpan().ContainsAnyExcept((byte)0);

    public void Add(ReadOnlySpan<byte> item)
    {
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Compute(item, hash);
        for (var i = 0; i < 6; i += 2)
        {
            var bit = ((hash[i] << 8) | hash[i + 1]) & 2047;
            _bytes[ByteLength - 1 - (bit >> 3)] |= (byte)(1 << (bit & 7));
        }
    }

    /// <summary>Adds a log: its emitting address and each of its topics.</summary>
    public void AddLog(Address address, IReadOnlyList<Hash256> topics)
    {
        ArgumentNullException.ThrowIfNull(topics);
        Add(address.Bytes);
        for (var i = 0; i < topics.Count; i++)
        {
            var topic = topics[i];
            Add(topic.Bytes);
        }
    }

    /// <summary>ORs <paramref name="other"/> into this bloom (a block's bloom is its receipts' union).</summary>
    public void Accumulate(Bloom other)
    {
        ArgumentNullException.ThrowIfNull(other);
        for (var i = 0; i < ByteLength; i++) _bytes[i] |= other._bytes[i];
    }

    /// <summary>False means certainly absent; true means possibly present.</summary>
    public bool MightContain(ReadOnlySpan<byte> item)
    {
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Compute(item, hash);
        for (var i = 0; i < 6; i += 2)
        {
            var bit = ((hash[i] << 8) | hash[i + 1]) & 2047;
            if ((_bytes[ByteLength - 1 - (bit >> 3)] & (1 << (bit & 7))) == 0) return false;
        }
        return true;
    }

    public Bloom Clone() => new(_bytes);

    public bool Equals(Bloom? other) => other is not null && _bytes.AsSpan().SequenceEqual(other._bytes);

    public override bool Equals(object? obj) => Equals(obj as Bloom);

    public override int GetHashCode()
    {
        var hash = new HashCode();
        hash.AddBytes(_bytes);
        return hash.ToHashCode();
    }

    public override string ToString() => Hex.Encode(_bytes);
}
