using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>
/// A cursor over Core's span RLP writers for a buffer sized up front with the <c>Rlp.LengthOf…</c>
/// helpers, so encoding a transaction allocates only its result (or nothing, into a caller's buffer).
/// </summary>
internal ref struct TransactionRlpWriter
{
    /// <summary>Encoded size of a 32-byte string (hash or access-list key).</summary>
    public const int WordLength = 33;

    private readonly Span<byte> _buffer;
    private int _position;

    public TransactionRlpWriter(Span<byte> buffer)
    {
        _buffer = buffer;
        _position = 0;
    }

    public readonly int Position => _position;

    /// <summary>An address, or the empty string for a missing recipient (contract creation).</summary>
    public static int AddressLength(Address? address) => address is null ? 1 : 1 + Address.Length;

    public void WriteByte(byte value) => _buffer[_position++] = value;

    public void WriteListHeader(int payloadLength) => _position += Rlp.WriteListHeader(_buffer[_position..], payloadLength);

    public void WriteBytes(ReadOnlySpan<byte> bytes) => _position += Rlp.WriteBytes(_buffer[_position..], bytes);

    public void WriteUInt64(ulong value) => _position += Rlp.WriteUInt64(_buffer[_position..], value);

    public void WriteUInt256(in UInt256 value) => _position += Rlp.WriteUInt256(_buffer[_position..], value);

    /// <summary>A 32-byte word as a fixed-length string (access-list keys keep their leading zeros).</summary>
    public void WriteWord(in UInt256 value)
    {
        _buffer[_position++] = 0x80 + 32;
        value.WriteBigEndian(_buffer.Slice(_position, 32));
        _position += 32;
    }

    public void WriteHash(in Hash256 hash) => _position += Rlp.WriteBytes(_buffer[_position..], hash.Bytes);

    public void WriteAddress(Address? address)
    {
        if (address is { } a) _position += Rlp.WriteBytes(_buffer[_position..], a.Bytes);
        else _buffer[_position++] = Rlp.EmptyString;
    }
}
