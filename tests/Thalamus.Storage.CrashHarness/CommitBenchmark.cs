using System.Diagnostics;
using System.Globalization;

namespace Thalamus.Storage.CrashHarness;

/// <summary>
/// Times <see cref="SqliteChainStore.CommitBlock"/> alone (building the blocks is not counted) for
/// synthetic blocks of N ERC-20-like transfers: receipts, one log each, real trie nodes.
/// Reports wall-clock and process CPU time, since a shared machine inflates the former.
/// </summary>
public static class CommitBenchmark
{
    public static void Run(ClusterDatabase database, int transactionsPerBlock, int blocks, TextWriter output)
    {
        var store = database.GetChainStore(1);
        var chain = new SyntheticChain(store, 1, transactionsPerBlock);
        var process = Process.GetCurrentProcess();
        var wall = new List<double>();
        var cpu = new List<double>();
        var nodeCounts = new List<int>();
        for (var i = 0; i < blocks; i++)
        {
            var (block, receipts, nodes) = chain.BuildNext();
            nodeCounts.Add(nodes.Count);
            process.Refresh();
            var cpuBefore = process.TotalProcessorTime;
            var watch = Stopwatch.StartNew();
            store.CommitBlock(block, receipts, nodes);
            watch.Stop();
            process.Refresh();
            chain.Advance(block);
            wall.Add(watch.Elapsed.TotalMilliseconds);
            cpu.Add((process.TotalProcessorTime - cpuBefore).TotalMilliseconds);
        }
        // The first blocks warm up the JIT and the page cache: report the rest.
        var skip = Math.Min(3, blocks - 1);
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted[sorted.Length / 2];
        }
        var ci = CultureInfo.InvariantCulture;
        output.WriteLine(string.Create(ci,
            $"{blocks - skip} blocks of {transactionsPerBlock} txs (+{transactionsPerBlock} receipts, {transactionsPerBlock} logs, ~{nodeCounts.Skip(skip).Average():F0} trie nodes): " +
            $"commit wall median {Median(wall.Skip(skip)):F1} ms (min {wall.Skip(skip).Min():F1}, max {wall.Skip(skip).Max():F1}), " +
            $"process CPU median {Median(cpu.Skip(skip)):F1} ms; durability {database.Options.Durability}"));
    }
}
