using System.Globalization;

namespace Thalamus.Cli.Configuration;

/// <summary>
/// What <c>--fork CHAIN_ID=URL[@BLOCK]</c> (or a chain's <c>fork: URL[@BLOCK]</c> in cluster.yaml)
/// asks for: the member chain, the remote's JSON-RPC URL and the block to pin (null: the remote's
/// latest block when the cluster starts).
/// </summary>
public sealed record ForkSpec(Uri Url, ulong? Block)
{
    /// <summary>Parses <c>CHAIN_ID=URL[@BLOCK]</c>.</summary>
    public static bool TryParse(string text, out ulong chainId, out ForkSpec? spec, out string? why)
    {
        ArgumentNullException.ThrowIfNull(text);
        chainId = 0;
        spec = null;
        var equals = text.IndexOf('=', StringComparison.Ordinal);
        if (equals <= 0 || !ulong.TryParse(text.AsSpan(0, equals), NumberStyles.None, CultureInfo.InvariantCulture, out chainId) || chainId == 0)
        {
            why = "expected CHAIN_ID=URL[@BLOCK], e.g. 31337=http://127.0.0.1:8545@120";
            return false;
        }
        return TryParseTarget(text[(equals + 1)..], out spec, out why);
    }

    /// <summary>Parses <c>URL[@BLOCK]</c> (the block is a decimal number after the last '@').</summary>
    public static bool TryParseTarget(string text, out ForkSpec? spec, out string? why)
    {
        ArgumentNullException.ThrowIfNull(text);
        spec = null;
        ulong? block = null;
        var url = text.Trim();
        var at = url.LastIndexOf('@');
        if (at > 0 && url[(at + 1)..] is { Length: > 0 } suffix && suffix.All(char.IsAsciiDigit))
        {
            if (!ulong.TryParse(suffix, NumberStyles.None, CultureInfo.InvariantCulture, out var number))
            {
                why = $"block {suffix} is too large";
                return false;
            }
            block = number;
            url = url[..at];
        }
        if (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https"))
        {
            why = $"'{url}' is not an http:// or https:// URL";
            return false;
        }
        spec = new ForkSpec(uri, block);
        why = null;
        return true;
    }
}
