namespace Thalamus.Benchmarks;

/// <summary>Nearest-rank percentiles of a sample.</summary>
internal static class ClusterStatistics
{
    public static double Percentile(IReadOnlyList<double> sample, double percentile)
    {
        if (sample.Count == 0) return double.NaN;
        var sorted = sample.Order().ToArray();
        var rank = (int)Math.Ceiling(percentile / 100.0 * sorted.Length);
        return sorted[Math.Clamp(rank - 1, 0, sorted.Length - 1)];
    }

    public static double TicksToMs(long ticks) => ticks * 1000.0 / System.Diagnostics.Stopwatch.Frequency;
}
