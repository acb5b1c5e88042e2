using System.Buffers.Binary;
using System.Diagnostics.CodeAnalysis;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Thalamus.Core;

/// <summary>
/// A 32-byte hash (or any 32-byte word used as a key). The bytes live in four <c>ulong</c> fields
/// (raw memory order, not a number) so equality and hashing are four word compares and the value
/// is a plain unmanaged struct that dictionaries and arrays can hold without indirection.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
public readonly struct Hash256 : IEquatable<Hash256>, IComparable<Hash256>
{
    public const int Length = 32;

    private readonly ulong _w0, _w1, _w2, _w3;

    public static readonly Hash256 Zero;

    /// <summary>Copies exactly 32 bytes.</summary>
    public Hash256(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length != Length)
            throw new ArgumentException($"a Hash256 needs exactly {Length} bytes, got {bytes.Length}", nameof(bytes));
        _w0 = MemoryMarshal.Read<ulong>(bytes);
        _w1 = MemoryMarshal.Read<ulong>(bytes[8..]);
        _w2 = MemoryMarshal.Read<ulong>(bytes[16..]);
        _w3 = MemoryMarshal.Read<ulong>(bytes[24..]);
    }

    /// <summary>From four words already in memory order (bytes 0-7, 8-15, ...), as Keccak produces them.</summary>
    internal Hash256(ulong w0, ulong w1, ulong w2, ulong w3)
    {
        _w0 = w0;
        _w1 = w1;
        _w2 = w2;
        _w3 = w3;
    }

    /// <summary>A view of the 32 bytes; valid as long as this value's storage is.</summary>
    [UnscopedRef]
    public ReadOnlySpan<byte> Bytes =>
        MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<ulong, byte>(ref Unsafe.AsRef(in _w0)), Length);

    public bool IsZero => (_w0 | _w1 | _w2 | _w3) == 0;

    public byte[] ToArray() => Bytes.ToArray();

    public void CopyTo(Span<byte> destination) => Bytes.CopyTo(destination);

    /// <summary>The bytes read as a big-endian 256-bit number.</summary>
    public UInt256 ToUInt256()
    {
        var b = Bytes;
        return new UInt256(
            BinaryPrimitives.ReadUInt64BigEndian(b[24..]),
            BinaryPrimitives.ReadUInt64BigEndian(b[16..]),
            BinaryPrimitives.ReadUInt64BigEndian(b[8..]),
            BinaryPrimitives.ReadUInt64BigEndian(b));
    }

    /// <summary>The 32-byte big-endian encoding of <paramref name="value"/>.</summary>
    public static Hash256 FromUInt256(in UInt256 value)
    {
        Span<byte> b = stackalloc byte[Length];
        BinaryPrimitives.WriteUInt64BigEndian(b, value.U3);
        BinaryPrimitives.WriteUInt64BigEndian(b[8..], value.U2);
        BinaryPrimitives.WriteUInt64BigEndian(b[16..], value.U1);
        BinaryPrimitives.WriteUInt64BigEndian(b[24..], value.U0);
        return new Hash256(b);
    }

    /// <summary>Parses exactly 64 hex digits (optional 0x). Throws <see cref="FormatException"/>.</summary>
    public static Hash256 Parse(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        var digits = hex.StartsWith("0x", StringComparison.OrdinalIgnoreCase) ? hex.AsSpan(2) : hex.AsSpan();
        if (digits.Length != Length * 2)
            throw new FormatException($"a Hash256 needs exactly {Length * 2} hex digits, got {digits.Length} in '{Truncate(hex)}'");
        Span<byte> b = stackalloc byte[Length];
        Hex.Decode(hex.AsSpan(), b);
        return new Hash256(b);
    }

    public static bool TryParse(string? hex, out Hash256 hash)
    {
        hash = default;
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
        hash = new Hash256(b);
        return true;
    }

    public bool Equals(Hash256 other) =>
        _w0 == other._w0 && _w1 == other._w1 && _w2 == other._w2 && _w3 == other._w3;

    public override bool Equals(object? obj) => obj is Hash256 other && Equals(other);

    // Folding all words keeps small big-endian numbers (stored in the last word) well spread too.
    public override int GetHashCode()
    {
        var x = _w0 ^ BitOperations.RotateLeft(_w1, 16) ^ BitOperations.RotateLeft(_w2, 32) ^ BitOperations.RotateLeft(_w3, 48);
        return (int)x ^ (int)(x >> 32);
    }

    /// <summary>Lexicographic byte order.</summary>
    public int CompareTo(Hash256 other) => Bytes.SequenceCompareTo(other.Bytes);

    public static bool operator ==(Hash256 left, Hash256 right) => left.Equals(right);

    public static bool operator !=(Hash256 left, Hash256 right) => !left.Equals(right);

    public override string ToString() => Hex.Encode(Bytes);

    internal static string Truncate(string s) => s.Length <= 80 ? s : s[..77] + "...";
}
