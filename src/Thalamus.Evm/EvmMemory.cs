using System.Buffers.Binary;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;
using Thalamus.Core;

namespace Thalamus.Evm;

/// <summary>
/// A frame's byte-addressed memory: a buffer reused from frame to frame (kept by the frame pool),
/// with the active size always a multiple of 32. Newly exposed bytes are zeroed on growth, so a
/// reused buffer never leaks an earlier frame's data.
/// </summary>
internal sealed class EvmMemory
{
    /// <summary>Larger memory is treated as out of gas (it would cost ~10^13 gas; no block holds that).</summary>
    public const ulong MaxSize = 0x7FFF_0000;

    private byte[] _buffer = new byte[1024];

    /// <summary>Active size in bytes (a multiple of 32).</summary>
    public long Size;

    public byte[] Buffer => _buffer;

    public Span<byte> Active => _buffer.AsSpan(0, (int)Size);

    /// <summary>Buffers larger than this are dropped when the frame is reused, so one huge call does not pin memory.</summary>
    private const int RetainedCapacity = 64 << 20;

    public void Reset()
    {
        Size = 0;
        if (_buffer.Length > RetainedCapacity) _buffer = new byte[1024];
    }

    /// <summary>Extra gas to grow to cover <paramref name="end"/> bytes; long.MaxValue when beyond <see cref="MaxSize"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public long ExpansionCost(ulong end)
    {
        if (end <= (ulong)Size) return 0;
        if (end > MaxSize) return long.MaxValue;
        var newWords = (long)((end + 31) >> 5);
        return GasCosts.MemoryCost(newWords) - GasCosts.MemoryCost(Size >> 5);
    }

    /// <summary>Grows to cover <paramref name="end"/> bytes (end ≤ MaxSize), zeroing the new part.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void Grow(ulong end)
    {
        var newSize = (long)((end + 31) & ~31UL);
        if (newSize <= Size) return;
        if (newSize > _buffer.Length)
        {
            var capacity = Math.Max(newSize, Math.Min((long)MaxSize, (long)_buffer.Length * 2));
            var bigger = new byte[capacity];
            _buffer.AsSpan(0, (int)Size).CopyTo(bigger);
            _buffer = bigger;
        }
        else
        {
            _buffer.AsSpan((int)Size, (int)(newSize - Size)).Clear();
        }
        Size = newSize;
    }

    /// <summary>
    /// Extra gas to grow to cover <paramref name="end"/> bytes (end &gt; <see cref="Size"/>) when the buffer
    /// already has room for it; -1 when it has not (then <see cref="ExpansionCost"/> and <see cref="Grow"/>).
    /// The same formula as <see cref="ExpansionCost"/>: the interpreter's fast path for MLOAD/MSTORE/MSTORE8.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public long InPlaceGrowthCost(ulong end)
    {
        if (end > (ulong)_buffer.Length) return -1;
        return GasCosts.MemoryCost((long)((end + 31) >> 5)) - GasCosts.MemoryCost(Size >> 5);
    }

    /// <summary>Grows to cover <paramref name="end"/> bytes within the buffer (after <see cref="InPlaceGrowthCost"/> ≥ 0), zeroing the new words.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void GrowInPlace(ulong end)
    {
        var newSize = (long)((end + 31) & ~31UL);
        ref var p = ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), (nint)Size);
        var length = newSize - Size;
        if (length == 32) Unsafe.WriteUnaligned(ref p, Vector256<byte>.Zero);
        else Unsafe.InitBlockUnaligned(ref p, 0, (uint)length);
        Size = newSize;
    }

    /// <summary>Charges <paramref name="gas"/> for covering [offset, offset+size) and grows; false when out of gas. Size 0 never expands.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public bool TryExpand(ref long gas, in UInt256 offset, in UInt256 size)
    {
        if (size.IsZero) return true;
        if ((offset.U1 | offset.U2 | offset.U3 | size.U1 | size.U2 | size.U3) != 0 || offset.U0 > MaxSize || size.U0 > MaxSize) return false;
        var end = offset.U0 + size.U0;
        if (end <= (ulong)Size) return true;
        var cost = ExpansionCost(end);
        if (gas < cost) return false;
        gas -= cost;
        Grow(end);
        return true;
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public UInt256 ReadWord(ulong offset) => Unsafe.BitCast<Vector256<ulong>, UInt256>(ReadWordVector(offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteWord(ulong offset, in UInt256 value) =>
        WriteWordVector(offset, Unsafe.As<UInt256, Vector256<ulong>>(ref Unsafe.AsRef(in value)));

    /// <summary>The word at <paramref name="offset"/> (big-endian) as the stack holds it; the caller has checked the bounds.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public Vector256<ulong> ReadWordVector(ulong offset) =>
        EvmWord.LoadBigEndian(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), (nint)offset));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public void WriteWordVector(ulong offset, Vector256<ulong> word) =>
        EvmWord.StoreBigEndian(ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_buffer), (nint)offset), word);

    /// <summary>A copy of [offset, offset+size) — callers have expanded memory to cover it.</summary>
    public byte[] Slice(in UInt256 offset, in UInt256 size)
    {
        if (size.IsZero) return [];
        return _buffer.AsSpan((int)offset.U0, (int)size.U0).ToArray();
    }

    public Span<byte> Span(ulong offset, ulong size) => _buffer.AsSpan((int)offset, (int)size);

    /// <summary>Copies <paramref name="source"/>[sourceOffset..] into memory, zero-filling what lies past its end.</summary>
    [MethodImpl(MethodImplOptions.AggressiveOptimization)]
    public void CopyPadded(ulong destination, ReadOnlySpan<byte> source, in UInt256 sourceOffset, ulong size)
    {
        if (size == 0) return;
        var target = _buffer.AsSpan((int)destination, (int)size);
        if (!sourceOffset.IsUInt64 || sourceOffset.U0 >= (ulong)source.Length)
        {
            target.Clear();
            return;
        }
        var available = source.Slice((int)sourceOffset.U0);
        if ((ulong)available.Length >= size)
        {
            available.Slice(0, (int)size).CopyTo(target);
        }
        else
        {
            available.CopyTo(target);
            target.Slice(available.Length).Clear();
        }
    }
}
