using System.Diagnostics.CodeAnalysis;

namespace Thalamus.Core;

public readonly partial struct UInt256
{
    private const ulong TenPow19 = 10_000_000_000_000_000_000;

    /// <summary>Parses a decimal number or a 0x-prefixed hexadecimal one (either case, no sign or spaces).</summary>
    /// <exception cref="FormatException">Not a number in either form.</exception>
    /// <exception cref="OverflowException">The number exceeds 2^256 - 1.</exception>
    public static UInt256 Parse(string s)
    {
        ArgumentNullException.ThrowIfNull(s);
        return TryParseCore(s, out UInt256 value) switch
        {
            ParseStatus.Ok => value,
            ParseStatus.Overflow => throw new OverflowException($"'{Shorten(s)}' exceeds 2^256 - 1."),
            _ => throw new FormatException($"'{Shorten(s)}' is not a decimal or 0x-hex unsigned integer."),
        };
    }

    public static bool TryParse([NotNullWhen(true)] string? s, out UInt256 value)
    {
        if (s is null)
        {
            value = default;
            return false;
        }
        return TryParseCore(s, out value) == ParseStatus.Ok;
    }

    private enum ParseStatus { Ok, Invalid, Overflow }

    private static ParseStatus TryParseCore(ReadOnlySpan<char> s, out UInt256 value)
    {
        value = default;
        if (s.Length > 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X'))
        {
            return TryParseHex(s[2..], out value);
        }
        return s.IsEmpty ? ParseStatus.Invalid : TryParseDecimal(s, out value);
    }

    private static ParseStatus TryParseHex(ReadOnlySpan<char> digits, out UInt256 value)
    {
        value = default;
        int start = 0;
        while (start < digits.Length - 1 && digits[start] == '0') start++; // leading zeros don't count toward the 64-digit limit
        ReadOnlySpan<char> significant = digits[start..];
        foreach (char c in significant)
        {
            if (!char.IsAsciiHexDigit(c)) return ParseStatus.Invalid;
        }
        if (significant.Length > 64) return ParseStatus.Overflow;

        Span<ulong> limbs = stackalloc ulong[4];
        limbs.Clear();
        for (int i = 0; i < significant.Length; i++)
        {
            int nibbleFromRight = significant.Length - 1 - i;
            ulong nibble = (ulong)HexValue(significant[i]);
            limbs[nibbleFromRight >> 4] |= nibble << ((nibbleFromRight & 15) << 2);
        }
        value = new UInt256(limbs[0], limbs[1], limbs[2], limbs[3]);
        return ParseStatus.Ok;
    }

    private static int HexValue(char c) => c <= '9' ? c - '0' : (c | 0x20) - 'a' + 10;

    private static ParseStatus TryParseDecimal(ReadOnlySpan<char> digits, out UInt256 value)
    {
        value = default;
        foreach (char c in digits)
        {
            if (!char.IsAsciiDigit(c)) return ParseStatus.Invalid;
        }

        // Consume up to 19 digits at a time: acc = acc * 10^k + chunk, watching for overflow.
        UInt256 acc = default;
        int position = 0;
        while (position < digits.Length)
        {
            int take = Math.Min(19, digits.Length - position);
            ulong chunk = 0;
            ulong scale = 1;
            for (int i = 0; i < take; i++)
            {
                chunk = chunk * 10 + (ulong)(digits[position + i] - '0');
                scale *= 10;
            }
            position += take;

            if (MultiplyOverflow(in acc, new UInt256(scale), out acc)) return ParseStatus.Overflow;
            if (AddOverflow(in acc, new UInt256(chunk), out acc)) return ParseStatus.Overflow;
        }
        value = acc;
        return ParseStatus.Ok;
    }

    private static string Shorten(string s) => s.Length <= 90 ? s : s[..90] + "…";

    /// <summary>Decimal form.</summary>
    public override string ToString()
    {
        if (IsUInt64) return U0.ToString(System.Globalization.CultureInfo.InvariantCulture);

        // Peel off 19 decimal digits per division by 10^19 (the fast 64-bit divisor path).
        Span<char> buffer = stackalloc char[78];
        int position = buffer.Length;
        UInt256 rest = this;
        while (!rest.IsUInt64)
        {
            ulong chunk = DivRemBy64(in rest, TenPow19, out rest);
            for (int i = 0; i < 19; i++)
            {
                buffer[--position] = (char)('0' + (int)(chunk % 10));
                chunk /= 10;
            }
        }
        // What remains is non-zero (the value was at least 2^64 > 10^19), so no leading zeros appear.
        ulong top = rest.U0;
        do
        {
            buffer[--position] = (char)('0' + (int)(top % 10));
            top /= 10;
        } while (top != 0);
        return new string(buffer[position..]);
    }

    /// <summary>Minimal lowercase hex with 0x prefix ("0x0" for zero).</summary>
    public string ToHexString()
    {
        if (IsZero) return "0x0";
        int nibbles = (BitLength + 3) >> 2;
        return string.Create(nibbles + 2, this, static (span, value) =>
        {
            span[0] = '0';
            span[1] = 'x';
            int n = span.Length - 2;
            for (int i = 0; i < n; i++)
            {
                int nibbleFromRight = n - 1 - i;
                ulong limb = GetLimb(in value, nibbleFromRight >> 4);
                int nibble = (int)((limb >> ((nibbleFromRight & 15) << 2)) & 0xF);
                span[2 + i] = (char)(nibble < 10 ? '0' + nibble : 'a' + nibble - 10);
            }
        });
    }
}
