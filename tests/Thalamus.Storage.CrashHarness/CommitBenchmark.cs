using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;

namespace Thalamus.Storage.CrashHarness;

/// <summary>
/// Times <see cref="SqliteChainStore.CommitBlock"/> alone (building the blocks is not counted) for
/// synthetic blocks of N ERC-20-like transfers: receipts, one log each, real trie nodes.
/// Reports wall-clock time, and the committing thread's own CPU time (Linux), since a shared
/// machine inflates the former with time spent waiting for a core.
/// </summary>
public static partial class CommitBenchmark
{
    private const int ClockThreadCpuTime = 3;

    [StructLayout(LayoutKind.Sequential)]
    private struct TimeSpec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    [LibraryImport("libc", EntryPoint = "clock_gettime")]
    private static partial int ClockGetTime(int clock, out TimeSpec time);

    private static double ThreadCpuMilliseconds() =>
        OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTime, out var t) == 0 ? t.Seconds * 1e3 + t.Nanoseconds / 1e6 : double.NaN;

    public static void Run(ClusterDatabase database, int transactionsPerBlock, int blocks, TextWriter output)
    {
        var store = database.GetChainStore(1);
        var chain = new SyntheticChain(store, 1, transactionsPerBlock);
        var wall = new List<double>();
        var cpu = new List<double>();
        var nodeCounts = new List<int>();
        for (var i = 0; i < blocks; i++)
        {
            var (block, receipts, nodes) = chain.BuildNext();
            nodeCounts.Add(nodes.Count);
            var cpuBefore = ThreadCpuMilliseconds();
            var watch = Stopwatch.StartNew();
            store.CommitBlock(block, receipts, nodes);
            watch.Stop();
            cpu.Add(ThreadCpuMilliseconds() - cpuBefore);
            chain.Advance(block);
            wall.Add(watch.Elapsed.TotalMilliseconds);
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
            $"committing thread CPU median {Median(cpu.Skip(skip)):F1} ms (min {cpu.Skip(skip).Min():F1}); durability {database.Options.Durability}"));
    }
}
