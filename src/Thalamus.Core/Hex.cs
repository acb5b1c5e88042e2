namespace Thalamus.Core;

/// <summary>
/// Hexadecimal encoding and strict decoding. Decoding accepts an optional <c>0x</c>/<c>0X</c> prefix
/// and mixed-case digits; an odd number of digits or a non-hex character is a <see cref="FormatException"/>
/// naming the position, so bad input in test data or RPC points at the culprit.
/// </summary>
public static class Hex
{
    /// <summary>Decodes hex digits (optional 0x prefix). Throws <see cref="FormatException"/> on bad input.</summary>
    public static byte[] Decode(string hex)
    {
        ArgumentNullException.ThrowIfNull(hex);
        return Decode(hex.AsSpan());
    }

    /// <inheritdoc cref="Decode(string)"/>
    public static byte[] Decode(ReadOnlySpan<char> hex)
    {
        var digits = StripPrefix(hex, out var offset);
        if ((digits.Length & 1) != 0)
            throw new FormatException($"hex string has an odd number of digits ({digits.Length})");
        var result = new byte[digits.Length / 2];
        var error = DecodeCore(digits, result);
        if (error >= 0)
            throw new FormatException($"invalid hex digit '{digits[error]}' at position {error + offset}");
        return result;
    }

    /// <summary>Decodes into <paramref name="destination"/>, which must be exactly half the digit count.</summary>
    public static void Decode(ReadOnlySpan<char> hex, Span<byte> destination)
    {
        var digits = StripPrefix(hex, out var offset);
        if ((digits.Length & 1) != 0)
            throw new FormatException($"hex string has an odd number of digits ({digits.Length})");
        if (digits.Length / 2 != destination.Length)
            throw new FormatException($"expected {destination.Length * 2} hex digits, got {digits.Length}");
        var error = DecodeCore(digits, destination);
        if (error >= 0)
            throw new FormatException($"invalid hex digit '{digits[error]}' at position {error + offset}");
    }

    /// <summary>Like <see cref="Decode(string)"/> but returns false instead of throwing.</summary>
    public static bool TryDecode(string? hex, out byte[] bytes)
    {
        bytes = [];
        if (hex is null) return false;
        var digits = StripPrefix(hex, out _);
        if ((digits.Length & 1) != 0) return false;
        var result = new byte[digits.Length / 2];
        if (DecodeCore(digits, result) >= 0) return false;
        bytes = result;
        return true;
    }

    /// <summary>Lowercase hex, with a <c>0x</c> prefix unless <paramref name="prefix"/> is false.</summary>
    public static string Encode(ReadOnlySpan<byte> bytes, bool prefix = true)
    {
        if (!prefix) return Convert.ToHexStringLower(bytes);
        if (bytes.IsEmpty) return "0x";
        var length = 2 + bytes.Length * 2;
        // string.Create cannot capture a span, so hex directly into a pooled or stack buffer.
        Span<char> buffer = length <= 512 ? stackalloc char[length] : new char[length];
        buffer[0] = '0';
        buffer[1] = 'x';
        Convert.TryToHexStringLower(bytes, buffer[2..], out _);
        return new string(buffer);
    }

    /// <summary>Value of one hex digit, or -1.</summary>
    public static int DigitValue(char c)
    {
        if ((uint)(c - '0') <= 9) return c - '0';
        var lower = (char)(c | 0x20);
        if ((uint)(lower - 'a') <= 5) return lower - 'a' + 10;
        return -1;
    }

    private static ReadOnlySpan<char> StripPrefix(ReadOnlySpan<char> hex, out int offset)
    {
        if (hex.Length >= 2 && hex[0] == '0' && (hex[1] == 'x' || hex[1] == 'X'))
        {
            offset = 2;
            return hex[2..];
        }
        offset = 0;
        return hex;
    }

    /// <summary>Returns -1 on success, else the index of the first bad digit.</summary>
    private static int DecodeCore(ReadOnlySpan<char> digits, Span<byte> destination)
    {
        for (var i = 0; i < destination.Length; i++)
        {
            var hi = DigitValue(digits[2 * i]);
            if (hi < 0) return 2 * i;
            var lo = DigitValue(digits[2 * i + 1]);
            if (lo < 0) return 2 * i + 1;
            destination[i] = (byte)((hi << 4) | lo);
        }
        return -1;
    }
}
