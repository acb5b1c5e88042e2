using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Thalamus.Dlx;

/// <summary>
/// Byte-addressed, big-endian memory of <see cref="Limit"/> bytes in sparse 4 KiB pages. A page
/// exists once something was stored in it; a page never written reads as zeros. Only pages with a
/// non-zero byte belong to the machine state, so "written with zeros" and "never written" are the same.
/// </summary>
/// <remarks>
/// Pages live on the pinned object heap so the interpreter can reach them through two page tables of
/// raw addresses: the read table maps an absent page to a shared zero page (loads need no test), the
/// write table maps it to null (a store allocates on first touch).
/// </remarks>
public sealed unsafe class DlxMemory
{
    public const int PageShift = 12;
    public const int PageSize = 1 << PageShift;
    public const int PageMask = PageSize - 1;

    /// <summary>Read-only page of zeros behind every absent page in the read table.</summary>
    private static readonly byte[] ZeroPage = GC.AllocateArray<byte>(PageSize, pinned: true);

    internal readonly byte[]?[] Pages;
    private readonly nint[] _readTable;
    private readonly nint[] _writeTable;

    internal DlxMemory(uint limit)
    {
        Limit = limit;
        int count = (int)(limit >> PageShift);
        Pages = new byte[]?[count];
        _readTable = GC.AllocateArray<nint>(count, pinned: true);
        _writeTable = GC.AllocateArray<nint>(count, pinned: true);
        _readTable.AsSpan().Fill((nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(ZeroPage)));
        ReadTable = (byte**)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_readTable));
        WriteTable = (byte**)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_writeTable));
    }

    /// <summary>Page addresses for loads (absent pages read as the zero page); valid while this object lives.</summary>
    internal byte** ReadTable { get; }

    /// <summary>Page addresses for stores (null for absent pages).</summary>
    internal byte** WriteTable { get; }

    /// <summary>Addresses run from 0 to Limit - 1.</summary>
    public uint Limit { get; }

    /// <summary>Number of pages that exist (some may hold only zeros).</summary>
    public int AllocatedPages => Pages.Count(p => p is not null);

    [MethodImpl(MethodImplOptions.NoInlining)]
    internal byte* Allocate(uint pageIndex)
    {
        var page = GC.AllocateArray<byte>(PageSize, pinned: true);
        Pages[pageIndex] = page;
        byte* address = (byte*)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(page));
        ReadTable[pageIndex] = address;
        WriteTable[pageIndex] = address;
        return address;
    }

    internal byte[] AllocatePage(uint pageIndex)
    {
        Allocate(pageIndex);
        return Pages[pageIndex]!;
    }

    /// <summary>True if [address, address + length) lies inside the memory.</summary>
    public bool InRange(uint address, uint length) => length <= Limit && address <= Limit - length;

    public byte ReadByte(uint address)
    {
        Check(address, 1);
        var page = Pages[address >> PageShift];
        return page is null ? (byte)0 : page[address & PageMask];
    }

    /// <summary>Reads a big-endian word (no alignment requirement here; the machine checks alignment).</summary>
    public uint ReadWord(uint address)
    {
        Span<byte> buffer = stackalloc byte[4];
        Read(address, buffer);
        return BinaryPrimitives.ReadUInt32BigEndian(buffer);
    }

    public void Read(uint address, Span<byte> destination)
    {
        Check(address, (uint)destination.Length);
        while (!destination.IsEmpty)
        {
            int offset = (int)(address & PageMask);
            int n = Math.Min(PageSize - offset, destination.Length);
            var page = Pages[address >> PageShift];
            if (page is null) destination[..n].Clear();
            else page.AsSpan(offset, n).CopyTo(destination);
            destination = destination[n..];
            address += (uint)n;
        }
    }

    public byte[] Read(uint address, int length)
    {
        var result = new byte[length];
        Read(address, result);
        return result;
    }

    internal void Write(uint address, ReadOnlySpan<byte> source)
    {
        Check(address, (uint)source.Length);
        while (!source.IsEmpty)
        {
            int offset = (int)(address & PageMask);
            int n = Math.Min(PageSize - offset, source.Length);
            uint index = address >> PageShift;
            var page = Pages[index];
            if (page is null)
            {
                if (!source[..n].ContainsAnyExcept((byte)0)) goto next; // zeros over an absent page change nothing
                page = AllocatePage(index);
            }
            source[..n].CopyTo(page.AsSpan(offset));
        next:
            source = source[n..];
            address += (uint)n;
        }
    }

    private void Check(uint address, uint length)
    {
        if (!InRange(address, length))
            throw new ArgumentOutOfRangeException(nameof(address), $"[0x{address:x8}, +{length}) is outside memory of {Limit} bytes");
    }
}
