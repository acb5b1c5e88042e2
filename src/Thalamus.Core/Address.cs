using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Thalamus.Core;

/// <summary>
/// A 20-byte account address. Stored as two <c>ulong</c>s and a <c>uint</c> (raw memory order)
/// so equality and hashing are three compares. <see cref="ToString"/> is lowercase hex;
/// <see cref="ToChecksumString"/> is the EIP-55 mixed-case form.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Address : IEquatable<Address>, IComparable<Address>
{
    public const int Length = 20;

    private readonly ulong _w0, _w1;
    private readonly uint _w2;

    public static readonly Address Zero;

    /// <summary>Copies exactly 20 bytes.</summary>
    public Address(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
            throw new ArgumentException($"an Address needs exactly {Length} bytes, got {bytes.Length}", nameof(bytes));
        _w0 = MemoryMarshal.Read<ulong>(bytes);
        _w1 = MemoryMarshal.Read<ulong>(bytes[8..]);
        _w2 = MemoryMarshal.Read<uint>(bytes[16..]);
    }

    /// <summary>A view of the 20 bytes; valid as long as this value's storage is.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<ulong, byte>(ref Unsafe.AsRef(in _w0)), Length);

    public bool IsZero => (_w0 | _w1 | _w2) == 0;

    public byte[] ToArray() => Bytes.ToArray();

    public void CopyTo(Span<byte> destination) => Bytes.CopyTo(destination);

    /// <summary>The address as a big-endian number (high 12 bytes zero).</summary>
    public UInt256 ToUInt256()
    {
        var b = Bytes;
        return new UInt256(
            BinaryPrimitives.ReadUInt64BigEndian(b[12..]),
            BinaryPrimitives.ReadUInt64BigEndian(b[4..]),
            BinaryPrimitives.ReadUInt32BigEndian(b));
    }

    /// <summary>The low 20 bytes of <paramref name="value"/> (the EVM's address truncation).</summary>
    public static Address FromUInt256(in UInt256 value)
    {
        Span<byte> b = stackalloc byte[Length];
        BinaryPrimitives.WriteUInt32BigEndian(b, (uint)value.U2);
        BinaryPrimitives.WriteUInt64BigEndian(b[4..], value.U1);
        BinaryPrimitives.WriteUInt64BigEndian(b[12..], value.U0);
        return new Address(b);
    }

    /// <summary>
    /// Parses 40 hex digits (optional 0x) in any case. The checksum is not checked; use
    /// <see cref="ParseChecksummed"/> where a mistyped address must be caught.
    /// </summary>
    public static Address Parse(string hex)
    {
        Digits(hex);
        Span<byte> b = stackalloc byte[Length];
        Hex.Decode(hex.AsSpan(), b);
        return new Address(b);
    }

    public static bool TryParse(string? hex, out Address address)
    {
        address = default;
        if (hex is null) return false;
        var digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex.AsSpan(2) : hex.AsSpan();
        if (digits.Length != Length * 2) return false;
        Span<byte> b = stackalloc byte[Length];
        for (var i = 0; i < Length; i++)
        {
            int hi = Hex.DigitValue(digits[2 * i]), lo = Hex.DigitValue(digits[2 * i + 1]);
            if ((hi | lo) < 0) return false;
            b[i] = (byte)((hi << 4) | lo);
        }
        address = new Address(b);
        return true;
    }

    /// <summary>
    /// Parses an address that must be in exact EIP-55 checksum form; any other casing
    /// (including all-lowercase) is a <see cref="FormatException"/> that shows the expected form.
    /// </summary>
    public static Address ParseChecksummed(string hex)
    {
        var address = Parse(hex);
        var digits = Digits(hex);
        var expected = address.ToChecksumString();
        if (!digits.SequenceEqual(expected.AsSpan(2)))
            throw new FormatException($"address '{hex}' fails its EIP-55 checksum; expected {expected}");
        return address;
    }

    /// <summary>True if <paramref name="hex"/> is an address written in exact EIP-55 checksum form.</summary>
    public static bool IsValidChecksum(string hex) =>
        TryParse(hex, out var address) && Digits(hex).SequenceEqual(address.ToChecksumString().AsSpan(2));

    /// <summary>EIP-55: hex digit i is uppercased when nibble i of keccak(lowercase hex) is ≥ 8.</summary>
    public string ToChecksumString()
    {
        Span<byte> ascii = stackalloc byte[Length * 2];
        var bytes = Bytes;
        for (var i = 0; i < Length; i++)
        {
            ascii[2 * i] = (byte)"0123456789abcdef"[bytes[i] >> 4];
            ascii[2 * i + 1] = (byte)"0123456789abcdef"[bytes[i] & 0xF];
        }
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Compute(ascii, hash);
        Span<char> result = stackalloc char[2 + Length * 2];
        result[0] = '0';
        result[1] = 'x';
        for (var i = 0; i < Length * 2; i++)
        {
            var nibble = (i & 1) == 0 ? hash[i / 2] >> 4 : hash[i / 2] & 0xF;
            var c = (char)ascii[i];
            result[2 + i] = c >= 'a' && nibble >= 8 ? (char)(c - 32) : c;
        }
        return new string(result);
    }

    public bool Equals(Address other) => _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2;

    public override bool Equals(object? obj) => obj is Address other && Equals(other);

    public override int GetHashCode()
    {
        var x = _w0 ^ BitOperations.RotateLeft(_w1, 21) ^ ((ulong)_w2 << 13);
        return (int)x ^ (int)(x >> 32);
    }

    /// <summary>Lexicographic byte order.</summary>
    public int CompareTo(Address other) => Bytes.SequenceCompareTo(other.Bytes);

    public static bool operator ==(Address left, Address right) => left.Equals(right);

    public static bool operator !=(Address left, Address right) => !left.Equals(right);

    public override string ToString() => Hex.Encode(Bytes);

    private static ReadOnlySpan<char> Digits(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex.AsSpan(2) : hex.AsSpan();
        if (digits.Length != Length * 2)
            throw new FormatException($"an address needs exactly {Length * 2} hex digits, got {digits.Length} in '{Hash256.Truncate(hex)}'");
        return digits;
    }
}
