using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Thalamus.Dlx;

/// <summary>
/// Chained submission (ChainsAtlas whitepaper §4.1; docs/dlx.md, "Chunk format"): a program larger than
/// a chain's transaction size limit is sent as chunks, every chunk but the last exactly the limit.
/// The first chunk carries a header (metadata, total size, chunk count, a SHA-256 digest of header and
/// program), segment 1 and the SHA-256 of chunk 2; a middle chunk its segment and the SHA-256 of the next
/// chunk; the last chunk its segment only. So the first chunk commits to the whole chain.
/// </summary>
public static class DlxChunker
{
    private static ReadOnlySpan<byte> Magic => "DLXC"u8;
    private const byte Version = 1;
    private const byte FlagMore = 1;

    /// <summary>Bytes of the first chunk's header before the metadata.</summary>
    public const int FixedHeaderSize = 20;

    public const int HashSize = 32;

    /// <summary>The largest metadata a first chunk can carry.</summary>
    public const int MaxMetadata = ushort.MaxValue;

    /// <summary>Header size of the first chunk (with its digest) for metadata of the given length.</summary>
    public static int HeaderSize(int metadataLength) => FixedHeaderSize + metadataLength + HashSize;

    /// <summary>The smallest limit that can carry any program with this metadata (header, one byte, a link).</summary>
    public static int MinimumLimit(int metadataLength) => HeaderSize(metadataLength) + 1 + HashSize;

    /// <summary>Splits a program into chained chunks at <paramref name="limit"/> bytes.</summary>
    public static IReadOnlyList<byte[]> Split(ReadOnlySpan<byte> program, int limit, ReadOnlySpan<byte> metadata = default)
    {
        if (metadata.Length > MaxMetadata) throw new ArgumentException($"metadata is {metadata.Length} bytes; at most {MaxMetadata}");
        int header = HeaderSize(metadata.Length);
        bool single = (long)header + program.Length <= limit;
        if (!single && limit < MinimumLimit(metadata.Length))
            throw new ArgumentException($"a limit of {limit} bytes is too small: the first chunk needs {header} bytes of header, 1 of program and {HashSize} for the link (at least {MinimumLimit(metadata.Length)})");

        // Segment sizes: first = limit - header - link, middles = limit - link, last = the rest (1..limit).
        var sizes = new List<int>();
        if (single) sizes.Add(program.Length);
        else
        {
            int first = limit - header - HashSize, middle = limit - HashSize;
            sizes.Add(first);
            long rest = program.Length - first;
            while (rest > limit)
            {
                sizes.Add(middle);
                rest -= middle;
            }
            sizes.Add((int)rest);
        }
        int count = sizes.Count;

        var chunks = new byte[count][];
        int offset = program.Length;
        for (int i = count - 1; i >= 0; i--)
        {
            offset -= sizes[i];
            var segment = program.Slice(offset, sizes[i]);
            bool last = i == count - 1;
            int prefix = i == 0 ? header : 0;
            var chunk = new byte[prefix + segment.Length + (last ? 0 : HashSize)];
            segment.CopyTo(chunk.AsSpan(prefix));
            if (!last) SHA256.HashData(chunks[i + 1], chunk.AsSpan(chunk.Length - HashSize));
            if (i == 0)
            {
                var h = chunk.AsSpan();
                Magic.CopyTo(h);
                h[4] = Version;
                h[5] = count > 1 ? FlagMore : (byte)0;
                BinaryPrimitives.WriteUInt32BigEndian(h[6..], (uint)limit);
                BinaryPrimitives.WriteUInt32BigEndian(h[10..], (uint)program.Length);
                BinaryPrimitives.WriteUInt32BigEndian(h[14..], (uint)count);
                BinaryPrimitives.WriteUInt16BigEndian(h[18..], (ushort)metadata.Length);
                metadata.CopyTo(h[FixedHeaderSize..]);
                Digest(h[..(FixedHeaderSize + metadata.Length)], program, h.Slice(FixedHeaderSize + metadata.Length, HashSize));
            }
            chunks[i] = chunk;
        }
        return chunks;
    }

    private static void Digest(ReadOnlySpan<byte> header, ReadOnlySpan<byte> program, Span<byte> destination)
    {
        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(header);
        hash.AppendData(program);
        hash.GetHashAndReset(destination);
    }

    /// <summary>Verifies every link and the digest and returns the program; any inconsistency gives <see cref="DlxChunkException"/>.</summary>
    public static DlxReassembledProgram Reassemble(IReadOnlyList<byte[]> chunks)
    {
        if (chunks.Count == 0) throw new DlxChunkException("no chunks given");
        var first = chunks[0];
        if (first.Length < FixedHeaderSize || !first.AsSpan(0, 4).SequenceEqual(Magic))
        {
            int real = Enumerable.Range(0, chunks.Count).FirstOrDefault(i => chunks[i].Length >= 4 && chunks[i].AsSpan(0, 4).SequenceEqual(Magic), -1);
            throw new DlxChunkException(real > 0
                ? $"chunk 1 is not the first chunk of a chained submission; the header is in chunk {real + 1} (chunks out of order)"
                : "chunk 1 does not start with the 'DLXC' header: not the first chunk of a chained submission, or tampered");
        }
        if (first[4] != Version) throw new DlxChunkException($"chunk 1: unsupported version {first[4]}");
        byte flags = first[5];
        if (flags > FlagMore) throw new DlxChunkException($"chunk 1: unknown flags 0x{flags:x2}");
        uint limit = BinaryPrimitives.ReadUInt32BigEndian(first.AsSpan(6));
        uint total = BinaryPrimitives.ReadUInt32BigEndian(first.AsSpan(10));
        uint count = BinaryPrimitives.ReadUInt32BigEndian(first.AsSpan(14));
        int metadataLength = BinaryPrimitives.ReadUInt16BigEndian(first.AsSpan(18));
        int header = HeaderSize(metadataLength);
        if (count == 0) throw new DlxChunkException("chunk 1 announces 0 chunks");
        if ((flags == FlagMore) != (count > 1)) throw new DlxChunkException($"chunk 1: the 'more chunks' flag disagrees with the chunk count {count}");
        if (limit > int.MaxValue) throw new DlxChunkException($"chunk 1: limit {limit} is out of range");
        if (chunks.Count < count) throw new DlxChunkException($"missing chunks: the first chunk announces {count}, got {chunks.Count}");
        if (chunks.Count > count) throw new DlxChunkException($"too many chunks: the first chunk announces {count}, got {chunks.Count}");
        int trailer = count > 1 ? HashSize : 0;
        if (first.Length < header + trailer) throw new DlxChunkException($"chunk 1 is {first.Length} bytes, too short for its {header}-byte header");
        for (int i = 0; i < count; i++)
        {
            bool last = i == count - 1;
            int length = chunks[i].Length;
            if (!last && length != limit)
                throw new DlxChunkException($"chunk {i + 1} is {length} bytes; every chunk but the last must be exactly the limit ({limit} bytes)");
            if (last && length > limit) throw new DlxChunkException($"chunk {i + 1} is {length} bytes, more than the limit ({limit} bytes)");
            if (last && i > 0 && length == 0) throw new DlxChunkException($"chunk {i + 1} (the last) is empty");
            if (!last && i > 0 && length <= HashSize) throw new DlxChunkException($"chunk {i + 1} is too short to carry a link");
        }

        Span<byte> actual = stackalloc byte[HashSize];
        for (int i = 0; i + 1 < count; i++)
        {
            var link = chunks[i].AsSpan(chunks[i].Length - HashSize);
            SHA256.HashData(chunks[i + 1], actual);
            if (actual.SequenceEqual(link)) continue;
            for (int j = 1; j < count; j++)
            {
                if (j == i + 1) continue;
                SHA256.HashData(chunks[j], actual);
                if (actual.SequenceEqual(link))
                    throw new DlxChunkException($"chunks out of order: chunk {i + 1} links to the chunk given at position {j + 1}, not to chunk {i + 2}");
            }
            throw new DlxChunkException($"chunk {i + 2} does not match the SHA-256 link in chunk {i + 1} (tampered, replaced or missing chunk)");
        }

        long size = first.Length - header - trailer;
        for (int i = 1; i < count; i++) size += chunks[i].Length - (i == count - 1 ? 0 : HashSize);
        if (size != total) throw new DlxChunkException($"the first chunk announces {total} program bytes, the chunks carry {size}");
        var program = new byte[size];
        int at = 0;
        for (int i = 0; i < count; i++)
        {
            int start = i == 0 ? header : 0, end = chunks[i].Length - (i == count - 1 ? 0 : HashSize);
            chunks[i].AsSpan(start, end - start).CopyTo(program.AsSpan(at));
            at += end - start;
        }
        var expected = first.AsSpan(FixedHeaderSize + metadataLength, HashSize);
        Digest(first.AsSpan(0, FixedHeaderSize + metadataLength), program, actual);
        if (!actual.SequenceEqual(expected)) throw new DlxChunkException("the digest in chunk 1 does not match its header and the program (tampered)");
        return new DlxReassembledProgram(program, first.AsSpan(FixedHeaderSize, metadataLength).ToArray(), (int)limit, (int)count, expected.ToArray());
    }
}
