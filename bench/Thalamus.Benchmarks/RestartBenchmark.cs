using System.Diagnostics;
using System.Globalization;
using Thalamus.Cluster;
using Thalamus.Storage;

namespace Thalamus.Benchmarks;

/// <summary>
/// `-- restart [--blocks N]`: how long a persistent cluster takes to open (database, chains, every
/// module's index) with N blocks on its chain against an empty one; the median of five opens each.
/// The database is built once in a temporary directory and deleted afterwards.
/// </summary>
public static class RestartBenchmark
{
    public static int Run(string[] args)
    {
        var blocks = 100_000;
        for (var i = 0; i < args.Length; i++)
            if (args[i] == "--blocks" && i + 1 < args.Length) blocks = int.Parse(args[++i], CultureInfo.InvariantCulture);
        var directory = Directory.CreateTempSubdirectory("thalamus-restart-bench-").FullName;
        try
        {
            var empty = Path.Combine(directory, "empty.db");
            var full = Path.Combine(directory, "full.db");
            Build(empty, 0);
            var built = Stopwatch.StartNew();
            Build(full, blocks);
            Console.WriteLine($"built {blocks} blocks in {built.Elapsed.TotalSeconds:0.0} s");
            var emptyMs = MedianOpenMs(empty);
            var fullMs = MedianOpenMs(full);
            Console.WriteLine($"| blocks | open ms (median of 5) |");
            Console.WriteLine($"|---:|---:|");
            Console.WriteLine($"| 0 | {emptyMs:0.0} |");
            Console.WriteLine($"| {blocks} | {fullMs:0.0} |");
            Console.WriteLine($"difference: {(fullMs - emptyMs) / 1000:0.000} s");
            return 0;
        }
        finally
        {
            try { Directory.Delete(directory, recursive: true); } catch (IOException) { }
        }
    }

    private static ClusterOptions Options() => new()
    {
        Chains = [new ClusterChainOptions { ChainId = 901 }, new ClusterChainOptions { ChainId = 902 }],
        GenesisTimestamp = 1_700_000_000,
    };

    private static void Build(string path, int blocks)
    {
        using var database = ClusterDatabase.Open(path);
        var cluster = NodeCluster.Create(Options(), database);
        var chain = cluster.Chains[0];
        for (var done = 0; done < blocks; done += 1000) chain.Mine(Math.Min(1000, blocks - done));
        cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }

    private static double MedianOpenMs(string path)
    {
        var times = new List<double>();
        for (var i = 0; i < 5; i++)
        {
            var watch = Stopwatch.StartNew();
            using var database = ClusterDatabase.Open(path);
            var cluster = NodeCluster.Create(Options(), database);
            times.Add(watch.Elapsed.TotalMilliseconds);
            cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        }
        times.Sort();
        return times[times.Count / 2];
    }
}
