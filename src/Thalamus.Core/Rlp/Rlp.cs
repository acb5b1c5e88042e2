using System.Numerics;

namespace Thalamus.Core;

/// <summary>
/// RLP encoding helpers: whole-item encoders that return arrays, exact length calculators,
/// and span writers (<c>Write…</c>, returning bytes written) for allocation-free encoding
/// when the caller has sized the buffer with the <c>LengthOf…</c> helpers.
/// </summary>
public static class Rlp
{
    public const byte EmptyString = 0x80;
    public const byte EmptyList = 0xc0;

    // ---- lengths ----

    /// <summary>Bytes of a string/list header for a payload of <paramref name="payloadLength"/> bytes.</summary>
    public static int LengthOfHeader(int payloadLength) =>
        payloadLength < 56 ? 1 : 1 + LengthOfLength(payloadLength);

    /// <summary>Encoded size of a byte string.</summary>
    public static int LengthOfBytes(ReadOnlySpan<byte> value) =>
        value.Length == 1 && value[0] < 0x80 ? 1 : LengthOfHeader(value.Length) + value.Length;

    /// <summary>Encoded size of a list whose items take <paramref name="payloadLength"/> bytes.</summary>
    public static int LengthOfList(int payloadLength) => LengthOfHeader(payloadLength) + payloadLength;

    public static int LengthOfUInt64(ulong value) =>
        value < 0x80 ? 1 : 1 + ByteLength(value);

    public static int LengthOfUInt256(in UInt256 value)
    {
        if (value.IsUInt64Value()) return LengthOfUInt64(value.U0);
        return 1 + value.ByteLength;
    }

    // ---- array encoders ----

    public static byte[] EncodeBytes(ReadOnlySpan<byte> value)
    {
        var result = new byte[LengthOfBytes(value)];
        WriteBytes(result, value);
        return result;
    }

    public static byte[] EncodeUInt64(ulong value)
    {
        var result = new byte[LengthOfUInt64(value)];
        WriteUInt64(result, value);
        return result;
    }

    public static byte[] EncodeUInt256(in UInt256 value)
    {
        var result = new byte[LengthOfUInt256(value)];
        WriteUInt256(result, value);
        return result;
    }

    /// <summary>A non-negative big integer as a canonical RLP integer (any size).</summary>
    public static byte[] EncodeBigInteger(BigInteger value)
    {
        if (value.Sign < 0) throw new ArgumentOutOfRangeException(nameof(value), "RLP integers are unsigned");
        return EncodeBytes(value.IsZero ? [] : value.ToByteArray(isUnsigned: true, isBigEndian: true));
    }

    public static byte[] EncodeAddress(in Address value) => EncodeBytes(value.Bytes);

    public static byte[] EncodeHash256(in Hash256 value) => EncodeBytes(value.Bytes);

    /// <summary>A list of already-encoded items.</summary>
    public static byte[] EncodeList(params byte[][] encodedItems)
    {
        ArgumentNullException.ThrowIfNull(encodedItems);
        var payload = 0;
        foreach (var item in encodedItems) payload += item.Length;
        var result = new byte[LengthOfList(payload)];
        var offset = WriteListHeader(result, payload);
        foreach (var item in encodedItems)
        {
            item.CopyTo(result, offset);
            offset += item.Length;
        }
        return result;
    }

    // ---- span writers (return bytes written) ----

    public static int WriteStringHeader(Span<byte> destination, int payloadLength) =>
        WriteHeader(destination, payloadLength, 0x80);

    public static int WriteListHeader(Span<byte> destination, int payloadLength) =>
        WriteHeader(destination, payloadLength, 0xc0);

    public static int WriteBytes(Span<byte> destination, ReadOnlySpan<byte> value)
    {
        if (value.Length == 1 && value[0] < 0x80)
        {
            destination[0] = value[0];
            return 1;
        }
        var header = WriteStringHeader(destination, value.Length);
        value.CopyTo(destination[header..]);
        return header + value.Length;
    }

    public static int WriteUInt64(Span<byte> destination, ulong value)
    {
        if (value == 0)
        {
            destination[0] = EmptyString;
            return 1;
        }
        if (value < 0x80)
        {
            destination[0] = (byte)value;
            return 1;
        }
        var length = ByteLength(value);
        destination[0] = (byte)(0x80 + length);
        for (var i = length; i >= 1; i--)
        {
            destination[i] = (byte)value;
            value >>= 8;
        }
        return 1 + length;
    }

    public static int WriteUInt256(Span<byte> destination, in UInt256 value)
    {
        if (value.IsUInt64Value()) return WriteUInt64(destination, value.U0);
        var length = value.ByteLength;
        destination[0] = (byte)(0x80 + length);
        value.WriteBigEndianTrimmed(destination.Slice(1, length));
        return 1 + length;
    }

    private static int WriteHeader(Span<byte> destination, int payloadLength, byte shortBase)
    {
        if (payloadLength < 56)
        {
            destination[0] = (byte)(shortBase + payloadLength);
            return 1;
        }
        var lengthOfLength = LengthOfLength(payloadLength);
        destination[0] = (byte)(shortBase + 55 + lengthOfLength);
        var length = (uint)payloadLength;
        for (var i = lengthOfLength; i >= 1; i--)
        {
            destination[i] = (byte)length;
            length >>= 8;
        }
        return 1 + lengthOfLength;
    }

    private static int LengthOfLength(int length) => ByteLength((ulong)length);

    /// <summary>Minimal big-endian byte count of a non-zero value (0 for zero).</summary>
    private static int ByteLength(ulong value) => (64 - BitOperations.LeadingZeroCount(value) + 7) / 8;

    private static bool IsUInt64Value(this in UInt256 value) => (value.U1 | value.U2 | value.U3) == 0;

    /// <summary>Walks one whole item (every nested header checked) and checks nothing follows it.</summary>
    public static void ValidateSingleItem(ReadOnlySpan<byte> encoded)
    {
        var reader = new RlpReader(encoded);
        ValidateItem(ref reader, 0);
        reader.EnsureEnd();
    }

    private static void ValidateItem(ref RlpReader reader, int depth)
    {
        if (depth > 1024) throw new RlpException("RLP nesting deeper than 1024 levels");
        if (reader.NextIsList)
        {
            var list = reader.ReadList();
            while (list.HasMore) ValidateItem(ref list, depth + 1);
        }
        else
        {
            reader.ReadBytes();
        }
    }
}
