using System.Globalization;

namespace Thalamus.Cli.Configuration;

/// <summary>
/// Durations as people write them in <c>cluster.yaml</c> and on the command line: <c>2s</c>,
/// <c>500ms</c>, <c>1.5s</c>, <c>1m</c>, or a bare number of seconds (<c>2</c>, <c>0.25</c>).
/// </summary>
public static class DurationText
{
    /// <summary>The longest accepted duration; a block time or Delta beyond a day is a typo.</summary>
    public static readonly TimeSpan Max = TimeSpan.FromDays(1);

    public const string Expected = "a duration such as 2s, 500ms, 1m or a number of seconds";

    /// <summary>Parses <paramref name="text"/>; false for anything malformed, negative or longer than <see cref="Max"/>.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        double scale; // milliseconds per unit
        if (s.EndsWith("ms", StringComparison.OrdinalIgnoreCase)) { scale = 1; s = s[..^2]; }
        else if (s.EndsWith('s') || s.EndsWith('S')) { scale = 1000; s = s[..^1]; }
        else if (s.EndsWith('m') || s.EndsWith('M')) { scale = 60_000; s = s[..^1]; }
        else scale = 1000;
        s = s.TrimEnd();
        if (s.Length == 0 || !double.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var value)) return false;
        var milliseconds = value * scale;
        if (double.IsNaN(milliseconds) || double.IsInfinity(milliseconds) || milliseconds > Max.TotalMilliseconds) return false;
        // Whole milliseconds: the cluster's logical clock counts in them.
        duration = TimeSpan.FromMilliseconds(Math.Round(milliseconds));
        return true;
    }

    /// <summary>Text that parses back to <paramref name="duration"/>, e.g. <c>2s</c> or <c>500ms</c>.</summary>
    public static string Format(TimeSpan duration) =>
        duration.Ticks % TimeSpan.TicksPerSecond == 0
            ? ((long)duration.TotalSeconds).ToString(CultureInfo.InvariantCulture) + "s"
            : duration.TotalMilliseconds.ToString(CultureInfo.InvariantCulture) + "ms";
}
