namespace Thalamus.Core;

/// <summary>
/// A growable RLP encoder. Lists are written by <see cref="StartList"/> … <see cref="EndList"/>:
/// a one-byte header is reserved and, when the payload turns out to be 56 bytes or more, the
/// payload is moved right to make room for the long header, so callers never precompute lengths.
/// </summary>
public sealed class RlpWriter
{
    private byte[] _buffer;
    private int _length;
    private int _openLists;

    public RlpWriter(int initialCapacity = 256)
    {
        _buffer = new byte[Math.Max(16, initialCapacity)];
    }

    public int Length => _length;

    public ReadOnlySpan<byte> WrittenSpan => _buffer.AsSpan(0, _length);

    public byte[] ToArray()
    {
        if (_openLists != 0) throw new InvalidOperationException($"{_openLists} list(s) still open");
        return WrittenSpan.ToArray();
    }

    public void Reset()
    {
        _length = 0;
        _openLists = 0;
    }

    public void WriteBytes(ReadOnlySpan<byte> value)
    {
        Ensure(Rlp.LengthOfBytes(value));
        _length += Rlp.WriteBytes(_buffer.AsSpan(_length), value);
    }

    public void WriteUInt64(ulong value)
    {
        Ensure(9);
        _length += Rlp.WriteUInt64(_buffer.AsSpan(_length), value);
    }

    public void WriteUInt256(in UInt256 value)
    {
        Ensure(33);
        _length += Rlp.WriteUInt256(_buffer.AsSpan(_length), value);
    }

    public void WriteAddress(in Address value) => WriteBytes(value.Bytes);

    public void WriteHash256(in Hash256 value) => WriteBytes(value.Bytes);

    public void WriteBool(bool value) => WriteUInt64(value ? 1UL : 0UL);

    /// <summary>Appends an already-encoded item (or several) verbatim.</summary>
    public void WriteRaw(ReadOnlySpan<byte> encoded)
    {
        Ensure(encoded.Length);
        encoded.CopyTo(_buffer.AsSpan(_length));
        _length += encoded.Length;
    }

    /// <summary>Opens a list; pass the returned marker to <see cref="EndList"/>.</summary>
    public int StartList()
    {
        Ensure(1);
        var marker = _length;
        _length++;
        _openLists++;
        return marker;
    }

    public void EndList(int marker)
    {
        if (_openLists == 0 || marker < 0 || marker >= _length)
            throw new InvalidOperationException("EndList without a matching StartList");
        _openLists--;
        var payloadStart = marker + 1;
        var payloadLength = _length - payloadStart;
        var headerLength = Rlp.LengthOfHeader(payloadLength);
        if (headerLength > 1)
        {
            Ensure(headerLength - 1);
            _buffer.AsSpan(payloadStart, payloadLength).CopyTo(_buffer.AsSpan(marker + headerLength));
            _length += headerLength - 1;
        }
        Rlp.WriteListHeader(_buffer.AsSpan(marker), payloadLength);
    }

    /// <summary>Encodes a complete list of already-encoded items.</summary>
    public void WriteList(ReadOnlySpan<byte> encodedPayload)
    {
        Ensure(Rlp.LengthOfList(encodedPayload.Length));
        _length += Rlp.WriteListHeader(_buffer.AsSpan(_length), encodedPayload.Length);
        encodedPayload.CopyTo(_buffer.AsSpan(_length));
        _length += encodedPayload.Length;
    }

    private void Ensure(int extra)
    {
        if (_length + extra <= _buffer.Length) return;
        var capacity = Math.Max(_buffer.Length * 2, _length + extra);
        Array.Resize(ref _buffer, capacity);
    }
}
