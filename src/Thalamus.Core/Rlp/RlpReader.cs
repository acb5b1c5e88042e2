namespace Thalamus.Core;

/// <summary>
/// A forward-only, allocation-free RLP decoder over a span. Every read validates canonical form
/// (Ethereum's "strict" rules): minimal length prefixes without leading zeros, single bytes
/// below 0x80 encoded as themselves, declared lengths within the input, and, for integers,
/// no leading zero bytes. Violations throw <see cref="RlpException"/> with the offset.
/// </summary>
public ref struct RlpReader
{
    private readonly ReadOnlySpan<byte> _data;
    private readonly int _baseOffset;
    private int _position;

    public RlpReader(ReadOnlySpan<byte> data)
        : this(data, 0)
    {
    }

    private RlpReader(ReadOnlySpan<byte> data, int baseOffset)
    {
        _data = data;
        _baseOffset = baseOffset;
        _position = 0;
    }

    /// <summary>Offset of the next item within this reader's span.</summary>
    public readonly int Position => _position;

    public readonly bool HasMore => _position < _data.Length;

    /// <summary>The unread bytes.</summary>
    public readonly ReadOnlySpan<byte> Remaining => _data[_position..];

    /// <summary>True if the next item is a list (throws at end of input).</summary>
    public readonly bool NextIsList
    {
        get
        {
            if (!HasMore) throw Error(_position, "unexpected end of input: expected an item");
            return _data[_position] >= 0xc0;
        }
    }

    /// <summary>A reader over the next item's list payload; this reader moves past the list.</summary>
    public RlpReader ReadList()
    {
        var start = _position;
        ReadHeader(out var isList, out var payloadLength);
        if (!isList) throw Error(start, "expected a list, found a string");
        var payload = new RlpReader(_data.Slice(_position, payloadLength), _baseOffset + _position);
        _position += payloadLength;
        return payload;
    }

    /// <summary>The next item's string payload; a list here is an error.</summary>
    public ReadOnlySpan<byte> ReadBytes()
    {
        var start = _position;
        ReadHeader(out var isList, out var payloadLength);
        if (isList) throw Error(start, "expected a string, found a list");
        var payload = _data.Slice(_position, payloadLength);
        _position += payloadLength;
        return payload;
    }

    /// <summary>The next item including its header, unvalidated inside (but its extent is checked).</summary>
    public ReadOnlySpan<byte> ReadRaw()
    {
        var start = _position;
        ReadHeader(out _, out var payloadLength);
        _position += payloadLength;
        return _data[start.._position];
    }

    /// <summary>Skips the next item.</summary>
    public void Skip() => ReadRaw();

    /// <summary>A canonical unsigned integer of at most 8 bytes (zero is the empty string).</summary>
    public ulong ReadUInt64()
    {
        var start = _position;
        var bytes = ReadBytes();
        CheckInteger(start, bytes, 8, "64");
        ulong value = 0;
        foreach (var b in bytes) value = (value << 8) | b;
        return value;
    }

    /// <summary>A canonical unsigned integer of at most 32 bytes.</summary>
    public UInt256 ReadUInt256()
    {
        var start = _position;
        var bytes = ReadBytes();
        CheckInteger(start, bytes, 32, "256");
        return UInt256.FromBigEndian(bytes);
    }

    /// <summary>A canonical integer that must fit in a non-negative <c>int</c>.</summary>
    public int ReadInt32()
    {
        var start = _position;
        var value = ReadUInt64();
        if (value > int.MaxValue) throw Error(start, $"integer {value} does not fit in 31 bits");
        return (int)value;
    }

    /// <summary>A boolean encoded as the integer 0 or 1.</summary>
    public bool ReadBool()
    {
        var start = _position;
        var value = ReadUInt64();
        return value switch
        {
            0 => false,
            1 => true,
            _ => throw Error(start, $"expected a boolean (0 or 1), found {value}"),
        };
    }

    /// <summary>A string of exactly 20 bytes.</summary>
    public Address ReadAddress()
    {
        var start = _position;
        var bytes = ReadBytes();
        if (bytes.Length != Address.Length) throw Error(start, $"expected a 20-byte address, found {bytes.Length} bytes");
        return new Address(bytes);
    }

    /// <summary>A string of exactly 32 bytes.</summary>
    public Hash256 ReadHash256()
    {
        var start = _position;
        var bytes = ReadBytes();
        if (bytes.Length != Hash256.Length) throw Error(start, $"expected a 32-byte hash, found {bytes.Length} bytes");
        return new Hash256(bytes);
    }

    /// <summary>Throws unless every byte has been read.</summary>
    public readonly void EnsureEnd()
    {
        if (HasMore) throw Error(_position, $"{_data.Length - _position} unexpected trailing byte(s) after the last item");
    }

    /// <summary>Counts the items left in this reader without moving it (validating their headers).</summary>
    public readonly int CountRemainingItems()
    {
        var copy = this;
        var count = 0;
        while (copy.HasMore)
        {
            copy.Skip();
            count++;
        }
        return count;
    }

    /// <summary>
    /// Reads and validates the next header, leaving <see cref="_position"/> at the payload.
    /// Returns the header length.
    /// </summary>
    private int ReadHeader(out bool isList, out int payloadLength)
    {
        var start = _position;
        var remaining = _data.Length - start;
        if (remaining <= 0) throw Error(start, "unexpected end of input: expected an item");
        var prefix = _data[start];

        if (prefix < 0x80)
        {
            // The byte is its own payload.
            isList = false;
            payloadLength = 1;
            return 0;
        }

        int headerLength;
        ulong length;
        if (prefix <= 0xb7 || (prefix >= 0xc0 && prefix <= 0xf7))
        {
            isList = prefix >= 0xc0;
            length = (ulong)(prefix - (isList ? 0xc0 : 0x80));
            headerLength = 1;
            if (!isList && length == 1)
            {
                if (remaining < 2) throw Error(start, "truncated input: a 1-byte string is missing its byte");
                if (_data[start + 1] < 0x80)
                    throw Error(start, $"non-canonical: single byte 0x{_data[start + 1]:x2} below 0x80 must be encoded as itself, not as a 1-byte string");
            }
        }
        else
        {
            isList = prefix >= 0xf8;
            var lengthOfLength = prefix - (isList ? 0xf7 : 0xb7);
            headerLength = 1 + lengthOfLength;
            if (remaining < headerLength)
                throw Error(start, $"truncated input: length prefix needs {lengthOfLength} byte(s), only {remaining - 1} left");
            var lengthBytes = _data.Slice(start + 1, lengthOfLength);
            if (lengthBytes[0] == 0) throw Error(start, "non-canonical: length prefix has a leading zero byte");
            length = 0;
            foreach (var b in lengthBytes) length = (length << 8) | b;
            if (length < 56)
                throw Error(start, $"non-canonical: length {length} is below 56 and must use the short form");
        }

        var available = (ulong)(remaining - headerLength);
        if (length > available)
        {
            var what = isList ? "list" : "string";
            throw Error(start, $"truncated input: {what} declares {length} payload byte(s), only {available} left");
        }

        payloadLength = (int)length;
        _position = start + headerLength;
        return headerLength;
    }

    private readonly void CheckInteger(int start, ReadOnlySpan<byte> bytes, int maxBytes, string bits)
    {
        if (bytes.Length > maxBytes) throw Error(start, $"integer of {bytes.Length} bytes does not fit in {bits} bits");
        if (bytes.Length > 0 && bytes[0] == 0) throw Error(start, "non-canonical integer: leading zero byte");
    }

    private readonly RlpException Error(int position, string message) =>
        new($"RLP error at offset {_baseOffset + position}: {message}");
}
