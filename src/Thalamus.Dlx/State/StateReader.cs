using System.Buffers.Binary;

namespace Thalamus.Dlx;

/// <summary>Reads the state format strictly: truncation and non-minimal varints are errors.</summary>
internal ref struct StateReader(ReadOnlySpan<byte> data)
{
    private readonly ReadOnlySpan<byte> _data = data;
    private int _at;

    public readonly bool AtEnd => _at == _data.Length;

    public readonly int Position => _at;

    public byte U8(string field)
    {
        Need(1, field);
        return _data[_at++];
    }

    public uint U32(string field)
    {
        Need(4, field);
        uint value = BinaryPrimitives.ReadUInt32BigEndian(_data[_at..]);
        _at += 4;
        return value;
    }

    public ulong VarUInt(string field)
    {
        ulong value = 0;
        for (int shift = 0; ; shift += 7)
        {
            if (shift > 63) throw new DlxStateException($"{field}: varint too long at byte {_at}");
            byte b = U8(field);
            if (shift == 63 && b > 1) throw new DlxStateException($"{field}: varint overflows 64 bits at byte {_at - 1}");
            value |= (ulong)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                if (b == 0 && shift > 0) throw new DlxStateException($"{field}: non-minimal varint at byte {_at - 1}");
                return value;
            }
        }
    }

    /// <summary>A varint that must fit in an int and not exceed <paramref name="max"/>.</summary>
    public int Length(string field, long max)
    {
        ulong value = VarUInt(field);
        if (value > (ulong)max) throw new DlxStateException($"{field}: {value} exceeds the maximum {max}");
        return (int)value;
    }

    public ReadOnlySpan<byte> Raw(int length, string field)
    {
        Need(length, field);
        var slice = _data.Slice(_at, length);
        _at += length;
        return slice;
    }

    private readonly void Need(int n, string field)
    {
        if (_data.Length - _at < n) throw new DlxStateException($"state truncated while reading {field} (byte {_at})");
    }
}
