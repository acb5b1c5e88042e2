using System.Buffers;
using System.Buffers.Binary;

namespace Thalamus.Dlx;

/// <summary>Appends the primitive fields of the state format: bytes, big-endian words, minimal LEB128 varints.</summary>
internal sealed class StateWriter
{
    private readonly ArrayBufferWriter<byte> _buffer = new(1024);

    public void U8(byte value)
    {
        _buffer.GetSpan(1)[0] = value;
        _buffer.Advance(1);
    }

    public void U32(uint value)
    {
        BinaryPrimitives.WriteUInt32BigEndian(_buffer.GetSpan(4), value);
        _buffer.Advance(4);
    }

    public void VarUInt(ulong value)
    {
        var span = _buffer.GetSpan(10);
        int n = 0;
        while (value >= 0x80)
        {
            span[n++] = (byte)(value | 0x80);
            value >>= 7;
        }
        span[n++] = (byte)value;
        _buffer.Advance(n);
    }

    public void Raw(ReadOnlySpan<byte> bytes) => _buffer.Write(bytes);

    public void LengthPrefixed(ReadOnlySpan<byte> bytes)
    {
        VarUInt((ulong)bytes.Length);
        Raw(bytes);
    }

    public byte[] ToArray() => _buffer.WrittenSpan.ToArray();
}
