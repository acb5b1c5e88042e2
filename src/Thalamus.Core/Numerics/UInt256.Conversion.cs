using System.Buffers.Binary;
using System.Numerics;

namespace Thalamus.Core;

public readonly partial struct UInt256
{
    private static readonly BigInteger Modulus = BigInteger.One << 256;
    private static readonly BigInteger Mask = Modulus - 1;

    public static implicit operator UInt256(ulong value) => new(value);

    public static implicit operator UInt256(uint value) => new(value);

    /// <summary>A non-negative int; a negative one throws (use <see cref="FromBigInteger"/> for two's complement).</summary>
    public static implicit operator UInt256(int value) =>
        value >= 0 ? new UInt256((ulong)value) : throw new ArgumentOutOfRangeException(nameof(value), value, "UInt256 cannot hold a negative value.");

    /// <summary>The low 64 bits.</summary>
    public static explicit operator ulong(in UInt256 value) => value.U0;

    /// <summary>The low 64 bits.</summary>
    public static explicit operator checked ulong(in UInt256 value) =>
        value.IsUInt64 ? value.U0 : throw new OverflowException("UInt256 value does not fit in a ulong.");

    /// <summary>The low 64 bits reinterpreted as a long.</summary>
    public static explicit operator long(in UInt256 value) => (long)value.U0;

    public static explicit operator checked long(in UInt256 value) =>
        value.IsUInt64 && value.U0 <= long.MaxValue ? (long)value.U0 : throw new OverflowException("UInt256 value does not fit in a long.");

    /// <summary>The low 32 bits reinterpreted as an int.</summary>
    public static explicit operator int(in UInt256 value) => (int)value.U0;

    public static explicit operator checked int(in UInt256 value) =>
        value.IsUInt64 && value.U0 <= int.MaxValue ? (int)value.U0 : throw new OverflowException("UInt256 value does not fit in an int.");

    /// <summary>Reads up to 32 big-endian bytes, left-padded with zeros.</summary>
    public static UInt256 FromBigEndian(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length == 32)
        {
            return new UInt256(
                BinaryPrimitives.ReadUInt64BigEndian(bytes[24..]),
                BinaryPrimitives.ReadUInt64BigEndian(bytes[16..]),
                BinaryPrimitives.ReadUInt64BigEndian(bytes[8..]),
                BinaryPrimitives.ReadUInt64BigEndian(bytes));
        }
        if (bytes.Length > 32)
        {
            throw new ArgumentException($"A UInt256 takes at most 32 bytes, got {bytes.Length}.", nameof(bytes));
        }
        if (bytes.Length <= 8)
        {
            ulong value = 0;
            foreach (byte b in bytes) value = (value << 8) | b;
            return new UInt256(value);
        }

        Span<byte> padded = stackalloc byte[32];
        padded.Clear();
        bytes.CopyTo(padded[(32 - bytes.Length)..]);
        return FromBigEndian(padded);
    }

    /// <summary>Writes the 32-byte big-endian form into the first 32 bytes of the destination.</summary>
    public void WriteBigEndian(Span<byte> destination32)
    {
        if (destination32.Length < 32)
        {
            throw new ArgumentException($"Destination needs 32 bytes, has {destination32.Length}.", nameof(destination32));
        }
        BinaryPrimitives.WriteUInt64BigEndian(destination32, U3);
        BinaryPrimitives.WriteUInt64BigEndian(destination32[8..], U2);
        BinaryPrimitives.WriteUInt64BigEndian(destination32[16..], U1);
        BinaryPrimitives.WriteUInt64BigEndian(destination32[24..], U0);
    }

    /// <summary>The 32-byte big-endian form.</summary>
    public byte[] ToBigEndian()
    {
        var bytes = new byte[32];
        WriteBigEndian(bytes);
        return bytes;
    }

    /// <summary>Writes the minimal big-endian form (<see cref="ByteLength"/> bytes, none for zero) at the start of the destination.</summary>
    public void WriteBigEndianTrimmed(Span<byte> destination)
    {
        int length = ByteLength;
        if (destination.Length < length)
        {
            throw new ArgumentException($"Destination needs {length} bytes, has {destination.Length}.", nameof(destination));
        }
        Span<byte> full = stackalloc byte[32];
        WriteBigEndian(full);
        full[(32 - length)..].CopyTo(destination);
    }

    public BigInteger ToBigInteger()
    {
        Span<byte> bytes = stackalloc byte[32];
        WriteBigEndian(bytes);
        return new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
    }

    /// <summary>The value modulo 2^256; negative values map to their two's complement.</summary>
    public static UInt256 FromBigInteger(BigInteger value)
    {
        // BigInteger's bitwise AND uses infinite two's complement, so masking reduces negatives correctly too.
        BigInteger reduced = value & Mask;
        Span<byte> bytes = stackalloc byte[32];
        bytes.Clear();
        int length = reduced.GetByteCount(isUnsigned: true);
        reduced.TryWriteBytes(bytes[(32 - length)..], out _, isUnsigned: true, isBigEndian: true);
        return FromBigEndian(bytes);
    }
}
