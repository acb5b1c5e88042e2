using System.Diagnostics.CodeAnalysis;

namespace Thalamus.Storage;

/// <summary>Content equality for byte-array keys, with span lookups that do not allocate.</summary>
internal sealed class ByteArrayComparer : IEqualityComparer<byte[]>, IAlternateEqualityComparer<ReadOnlySpan<byte>, byte[]>
{
    public static readonly ByteArrayComparer Instance = new();

    public bool Equals(byte[]? x, byte[]? y) => ReferenceEquals(x, y) || (x is not null && y is not null && x.AsSpan().SequenceEqual(y));

    public int GetHashCode([DisallowNull] byte[] obj) => Hash(obj);

    public bool Equals(ReadOnlySpan<byte> alternate, byte[] other) => alternate.SequenceEqual(other);

    public int GetHashCode(ReadOnlySpan<byte> alternate) => Hash(alternate);

    public byte[] Create(ReadOnlySpan<byte> alternate) => alternate.ToArray();

    private static int Hash(ReadOnlySpan<byte> bytes)
    {
        // Keys are hashes already: their first bytes are as good as any mix (shorter keys fall back to a full hash).
        if (bytes.Length >= 8) return (int)System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(bytes) ^ bytes.Length;
        var hash = new HashCode();
        hash.AddBytes(bytes);
        return hash.ToHashCode();
    }
}
