using System.Buffers.Binary;
using System.Security.Cryptography;

namespace Thalamus.Dlx;

/// <summary>
/// An assembled program: its sections, the entry point and the entries of its independent segments
/// (<c>.segment</c>, run in parallel by <see cref="DlxParallelExecutor"/>). The binary form
/// (<see cref="ToBytes"/>, docs/dlx.md "Program image") is canonical: sections sorted, adjacent
/// sections of one kind merged, so one program has exactly one image.
/// </summary>
public sealed class DlxProgramImage
{
    private static ReadOnlySpan<byte> Magic => "DLXI"u8;
    private const byte Version = 1;

    public DlxProgramImage(uint entry, IEnumerable<DlxImageSection> sections, IEnumerable<uint>? segmentEntries = null)
    {
        Sections = Normalize(sections);
        Entry = entry;
        SegmentEntries = (segmentEntries ?? []).ToArray();
        var text = Sections.Where(s => s.Kind == DlxSectionKind.Text).ToArray();
        if (text.Length == 0) throw new DlxImageException("the program has no code (.text section)");
        CodeStart = text[0].Address;
        CodeEnd = text[^1].End;
        foreach (var s in Sections)
        {
            if (s.Kind == DlxSectionKind.Text && (s.Address % 4 != 0 || s.Data.Length % 4 != 0))
                throw new DlxImageException($"text section at 0x{s.Address:x8} must start and end on a word boundary");
            if (s.Kind == DlxSectionKind.Data && s.Address < CodeEnd && s.End > CodeStart)
                throw new DlxImageException($"data section at 0x{s.Address:x8} lies inside the code region [0x{CodeStart:x8}, 0x{CodeEnd:x8})");
        }
        CheckCodeAddress(entry, "entry point");
        foreach (var e in SegmentEntries) CheckCodeAddress(e, "segment entry");
    }

    public uint Entry { get; }

    public IReadOnlyList<DlxImageSection> Sections { get; }

    public IReadOnlyList<uint> SegmentEntries { get; }

    /// <summary>The code region [CodeStart, CodeEnd): from the first text byte to the last.</summary>
    public uint CodeStart { get; }

    public uint CodeEnd { get; }

    /// <summary>The highest address + 1 that the image occupies.</summary>
    public uint End => Sections[^1].End;

    private void CheckCodeAddress(uint address, string what)
    {
        if (address < CodeStart || address >= CodeEnd || address % 4 != 0)
            throw new DlxImageException($"{what} 0x{address:x8} is not a word in the code region [0x{CodeStart:x8}, 0x{CodeEnd:x8})");
    }

    private static DlxImageSection[] Normalize(IEnumerable<DlxImageSection> sections)
    {
        var sorted = sections.Where(s => s.Data.Length > 0).OrderBy(s => s.Address).ToList();
        var result = new List<DlxImageSection>();
        foreach (var s in sorted)
        {
            if ((ulong)s.Address + (ulong)s.Data.Length > 1UL << 32)
                throw new DlxImageException($"section at 0x{s.Address:x8} runs past the 32-bit address space");
            if (result.Count > 0)
            {
                var last = result[^1];
                if (s.Address < last.End)
                    throw new DlxImageException($"sections overlap at 0x{s.Address:x8}");
                if (s.Address == last.End && s.Kind == last.Kind)
                {
                    result[^1] = last with { Data = [.. last.Data, .. s.Data] };
                    continue;
                }
            }
            result.Add(s);
        }
        return result.ToArray();
    }

    /// <summary>The canonical binary form.</summary>
    public byte[] ToBytes()
    {
        int size = 4 + 1 + 4 + 2 + Sections.Sum(s => 9 + s.Data.Length) + 2 + 4 * SegmentEntries.Count;
        var bytes = new byte[size];
        var span = bytes.AsSpan();
        Magic.CopyTo(span);
        span[4] = Version;
        BinaryPrimitives.WriteUInt32BigEndian(span[5..], Entry);
        BinaryPrimitives.WriteUInt16BigEndian(span[9..], checked((ushort)Sections.Count));
        int at = 11;
        foreach (var s in Sections)
        {
            span[at] = (byte)s.Kind;
            BinaryPrimitives.WriteUInt32BigEndian(span[(at + 1)..], s.Address);
            BinaryPrimitives.WriteUInt32BigEndian(span[(at + 5)..], (uint)s.Data.Length);
            s.Data.CopyTo(span[(at + 9)..]);
            at += 9 + s.Data.Length;
        }
        BinaryPrimitives.WriteUInt16BigEndian(span[at..], checked((ushort)SegmentEntries.Count));
        at += 2;
        foreach (var e in SegmentEntries)
        {
            BinaryPrimitives.WriteUInt32BigEndian(span[at..], e);
            at += 4;
        }
        return bytes;
    }

    /// <summary>SHA-256 of the binary form: the program's identity.</summary>
    public byte[] ComputeHash() => SHA256.HashData(ToBytes());

    /// <summary>Parses a binary image; anything malformed or non-canonical gives <see cref="DlxImageException"/>.</summary>
    public static DlxProgramImage Parse(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length < 11 || !bytes[..4].SequenceEqual(Magic))
            throw new DlxImageException("not a DLX program image (missing 'DLXI' header)");
        if (bytes[4] != Version) throw new DlxImageException($"unsupported image version {bytes[4]}");
        uint entry = BinaryPrimitives.ReadUInt32BigEndian(bytes[5..]);
        int count = BinaryPrimitives.ReadUInt16BigEndian(bytes[9..]);
        int at = 11;
        var sections = new List<DlxImageSection>(count);
        for (int i = 0; i < count; i++)
        {
            if (bytes.Length - at < 9) throw new DlxImageException($"image truncated in section {i}");
            byte kind = bytes[at];
            if (kind is not ((byte)DlxSectionKind.Text or (byte)DlxSectionKind.Data))
                throw new DlxImageException($"section {i} has unknown kind {kind}");
            uint address = BinaryPrimitives.ReadUInt32BigEndian(bytes[(at + 1)..]);
            uint length = BinaryPrimitives.ReadUInt32BigEndian(bytes[(at + 5)..]);
            at += 9;
            if (length == 0) throw new DlxImageException($"section {i} is empty");
            if (length > (uint)(bytes.Length - at)) throw new DlxImageException($"image truncated in section {i} (needs {length} bytes)");
            sections.Add(new DlxImageSection((DlxSectionKind)kind, address, bytes.Slice(at, (int)length).ToArray()));
            at += (int)length;
        }
        if (bytes.Length - at < 2) throw new DlxImageException("image truncated before the segment table");
        int segmentCount = BinaryPrimitives.ReadUInt16BigEndian(bytes[at..]);
        at += 2;
        if (bytes.Length - at != 4 * segmentCount) throw new DlxImageException("segment table length does not match the image size");
        var segments = new uint[segmentCount];
        for (int i = 0; i < segmentCount; i++) segments[i] = BinaryPrimitives.ReadUInt32BigEndian(bytes[(at + 4 * i)..]);
        var image = new DlxProgramImage(entry, sections, segments);
        if (image.Sections.Count != count || !image.Sections.SequenceEqual(sections))
            throw new DlxImageException("image sections are not in canonical order (sorted, adjacent sections of one kind merged)");
        return image;
    }
}
