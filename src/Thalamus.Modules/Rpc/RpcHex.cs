using System.Buffers;
using System.Numerics;
using Thalamus.Core;

namespace Thalamus.Rpc;

/// <summary>
/// Ethereum JSON-RPC hex on UTF-8 bytes: quantities are "0x" plus minimal digits ("0x0" for
/// zero), data is "0x" plus two digits per byte. Parsing is as strict as geth's hexutil, and
/// returns geth's wording for the error (null means success).
/// </summary>
public static class RpcHex
{
    public const string ErrEmpty = "empty hex string";
    public const string ErrMissingPrefix = "hex string without 0x prefix";
    public const string ErrSyntax = "invalid hex string";
    public const string ErrOddLength = "hex string of odd length";
    public const string ErrEmptyNumber = "hex string \"0x\"";
    public const string ErrLeadingZero = "hex number with leading zero digits";
    public const string ErrUInt64Range = "hex number > 64 bits";
    public const string ErrUInt256Range = "hex number > 256 bits";

    /// <summary>Longest quantity text: "0x" and 64 digits.</summary>
    public const int MaxQuantityLength = 66;

    private static ReadOnlySpan<byte> Digits => "0123456789abcdef"u8;

    // 0xFF marks a non-hex byte.
    private static readonly byte[] DigitValues = BuildDigitValues();

    /// <summary>Writes "0x…" minimal hex of <paramref name="value"/>; <paramref name="destination"/> needs 18 bytes.</summary>
    public static int FormatQuantity(ulong value, Span<byte> destination)
    {
        destination[0] = (byte)'0';
        destination[1] = (byte)'x';
        if (value == 0)
        {
            destination[2] = (byte)'0';
            return 3;
        }
        var nibbles = (64 - BitOperations.LeadingZeroCount(value) + 3) >> 2;
        for (var i = nibbles + 1; i >= 2; i--)
        {
            destination[i] = Digits[(int)(value & 0xF)];
            value >>= 4;
        }
        return nibbles + 2;
    }

    /// <summary>Writes "0x…" minimal hex of <paramref name="value"/>; <paramref name="destination"/> needs 66 bytes.</summary>
    public static int FormatQuantity(in UInt256 value, Span<byte> destination)
    {
        if (value.IsUInt64) return FormatQuantity(value.U0, destination);
        var nibbles = (value.BitLength + 3) >> 2;
        destination[0] = (byte)'0';
        destination[1] = (byte)'x';
        for (var i = 0; i < nibbles; i++)
        {
            var fromRight = nibbles - 1 - i;
            var limb = (fromRight >> 4) switch { 0 => value.U0, 1 => value.U1, 2 => value.U2, _ => value.U3 };
            destination[2 + i] = Digits[(int)((limb >> ((fromRight & 15) << 2)) & 0xF)];
        }
        return nibbles + 2;
    }

    /// <summary>Writes "0x" and two lowercase digits per byte; <paramref name="destination"/> needs 2 + 2n bytes.</summary>
    public static int FormatData(ReadOnlySpan<byte> data, Span<byte> destination)
    {
        destination[0] = (byte)'0';
        destination[1] = (byte)'x';
        var digits = Digits;
        for (var i = 0; i < data.Length; i++)
        {
            var b = data[i];
            destination[2 + 2 * i] = digits[b >> 4];
            destination[3 + 2 * i] = digits[b & 0xF];
        }
        return 2 + 2 * data.Length;
    }

    /// <summary>A 0x-quantity that fits in 64 bits.</summary>
    public static string? TryParseQuantity(ReadOnlySpan<byte> text, out ulong value)
    {
        value = 0;
        var error = CheckNumber(text, out var digits);
        if (error is not null) return error;
        if (digits.Length > 16) return ErrUInt64Range;
        var values = DigitValues;
        ulong result = 0;
        foreach (var c in digits)
        {
            var d = values[c];
            if (d == 0xFF) return ErrSyntax;
            result = (result << 4) | d;
        }
        value = result;
        return null;
    }

    /// <summary>A 0x-quantity of at most 256 bits.</summary>
    public static string? TryParseQuantity(ReadOnlySpan<byte> text, out UInt256 value)
    {
        value = UInt256.Zero;
        var error = CheckNumber(text, out var digits);
        if (error is not null) return error;
        if (digits.Length > 64) return ErrUInt256Range;
        Span<ulong> limbs = stackalloc ulong[4];
        limbs.Clear();
        var values = DigitValues;
        for (var i = 0; i < digits.Length; i++)
        {
            var d = values[digits[i]];
            if (d == 0xFF) return ErrSyntax;
            var fromRight = digits.Length - 1 - i;
            limbs[fromRight >> 4] |= (ulong)d << ((fromRight & 15) << 2);
        }
        value = new UInt256(limbs[0], limbs[1], limbs[2], limbs[3]);
        return null;
    }

    /// <summary>0x-data of any even length ("0x" is empty data).</summary>
    public static string? TryParseData(ReadOnlySpan<byte> text, out byte[] value)
    {
        value = [];
        var error = CheckData(text, out var digits);
        if (error is not null) return error;
        var bytes = digits.Length == 0 ? [] : GC.AllocateUninitializedArray<byte>(digits.Length / 2);
        if (!DecodeDigits(digits, bytes)) return ErrSyntax;
        value = bytes;
        return null;
    }

    /// <summary>0x-data of exactly <paramref name="destination"/>.Length bytes (an address or a hash).</summary>
    public static string? TryParseFixed(ReadOnlySpan<byte> text, Span<byte> destination, string what)
    {
        var error = CheckData(text, out var digits);
        if (error is not null) return error;
        if (digits.Length != destination.Length * 2)
            return $"hex string has length {digits.Length}, want {destination.Length * 2} for {what}";
        return DecodeDigits(digits, destination) ? null : ErrSyntax;
    }

    public static string? TryParseAddress(ReadOnlySpan<byte> text, out Address address)
    {
        Span<byte> bytes = stackalloc byte[Address.Length];
        var error = TryParseFixed(text, bytes, "an address");
        address = error is null ? new Address(bytes) : Address.Zero;
        return error;
    }

    public static string? TryParseHash(ReadOnlySpan<byte> text, out Hash256 hash)
    {
        Span<byte> bytes = stackalloc byte[Hash256.Length];
        var error = TryParseFixed(text, bytes, "a 32-byte hash");
        hash = error is null ? new Hash256(bytes) : Hash256.Zero;
        return error;
    }

    private static string? CheckNumber(ReadOnlySpan<byte> text, out ReadOnlySpan<byte> digits)
    {
        digits = default;
        if (text.IsEmpty) return ErrEmpty;
        if (!HasPrefix(text)) return ErrMissingPrefix;
        digits = text[2..];
        if (digits.IsEmpty) return ErrEmptyNumber;
        if (digits.Length > 1 && digits[0] == (byte)'0') return ErrLeadingZero;
        return null;
    }

    private static string? CheckData(ReadOnlySpan<byte> text, out ReadOnlySpan<byte> digits)
    {
        digits = default;
        if (text.IsEmpty) return ErrEmpty;
        if (!HasPrefix(text)) return ErrMissingPrefix;
        digits = text[2..];
        return (digits.Length & 1) != 0 ? ErrOddLength : null;
    }

    private static bool HasPrefix(ReadOnlySpan<byte> text) =>
        text.Length >= 2 && text[0] == (byte)'0' && (text[1] | 0x20) == (byte)'x';

    private static bool DecodeDigits(ReadOnlySpan<byte> digits, Span<byte> destination)
    {
        var values = DigitValues;
        for (var i = 0; i < destination.Length; i++)
        {
            var hi = values[digits[2 * i]];
            var lo = values[digits[2 * i + 1]];
            if ((hi | lo) == 0xFF) return false;
            destination[i] = (byte)((hi << 4) | lo);
        }
        return true;
    }

    private static byte[] BuildDigitValues()
    {
        var table = new byte[256];
        Array.Fill(table, (byte)0xFF);
        for (var c = '0'; c <= '9'; c++) table[c] = (byte)(c - '0');
        for (var c = 'a'; c <= 'f'; c++) table[c] = (byte)(c - 'a' + 10);
        for (var c = 'A'; c <= 'F'; c++) table[c] = (byte)(c - 'A' + 10);
        return table;
    }

    /// <summary>Rents a buffer for large hex text; return it with <see cref="ArrayPool{T}.Shared"/>.</summary>
    internal static byte[] RentText(int length) => ArrayPool<byte>.Shared.Rent(length);
}
