using System.Globalization;
using System.Text;
using Thalamus.Core;

namespace Thalamus.Evm;

/// <summary>
/// Hex with run-length groups, as evmone's benchmark files write it: <c>(NxHEX)</c> stands for
/// HEX repeated N times, e.g. <c>00ff(3x00)</c> = <c>00ff000000</c>. Whitespace is ignored.
/// </summary>
public static class RepeatedHex
{
    /// <exception cref="FormatException">bad hex, or an unbalanced or malformed group.</exception>
    public static byte[] Decode(string text)
    {
        text = string.Concat(text.Where(c => !char.IsWhiteSpace(c)));
        if (!text.Contains('(')) return Hex.Decode(text);
        var expanded = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var open = text.IndexOf('(', i);
            if (open < 0)
            {
                expanded.Append(text, i, text.Length - i);
                break;
            }
            expanded.Append(text, i, open - i);
            var close = text.IndexOf(')', open);
            var times = text.IndexOf('x', open);
            if (close < 0 || times < 0 || times > close)
                throw new FormatException($"malformed repeat group at position {open}: expected (NxHEX)");
            if (!int.TryParse(text.AsSpan(open + 1, times - open - 1), NumberStyles.None, CultureInfo.InvariantCulture, out var count))
                throw new FormatException($"bad repeat count at position {open + 1}");
            var unit = text.Substring(times + 1, close - times - 1);
            for (var k = 0; k < count; k++) expanded.Append(unit);
            i = close + 1;
        }
        return Hex.Decode(expanded.ToString());
    }
}
