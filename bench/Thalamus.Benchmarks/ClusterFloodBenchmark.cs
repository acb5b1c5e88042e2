using System.Diagnostics;
using System.Globalization;
using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Core;

namespace Thalamus.Benchmarks;

/// <summary>
/// <c>cluster flood [--quick]</c>: interval chains on the cluster's scheduler, every chain sending to
/// every other more messages per block than the destinations' blocks carry. Reports what the
/// destinations sustain (delivered messages per destination per block and per second while the load
/// runs) and whether the accepted messages met Delta (by the wall clock the index records, and by the
/// chains' block timestamps). Uses only what the cluster had before admission control, so the same
/// code measures before and after.
/// </summary>
internal static class ClusterFloodBenchmark
{
    /// <summary>Offered messages per destination per block: far above the 15 that half a 30M block carries at 1M gas each.</summary>
    private const int OfferedPerDestinationPerBlock = 40;

    public static async Task Run(bool quick)
    {
        var blocks = quick ? 5 : 10;
        Console.WriteLine($"## 6. Flood (interval chains, each chain sends {OfferedPerDestinationPerBlock} messages per block to the others " +
                          $"in total per destination, for {blocks} block times; Delta = block time)");
        Console.WriteLine("| block time | chains | offered /dest/block | delivered /dest/block | delivered /dest/s | sent by end of load | " +
                          "late after drain (wall > Delta+50 ms) | wall latency p50 / p99 / max ms | block-timestamp latency max s | late by slot clock | undelivered 30 s after |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var blockTime in new[] { TimeSpan.FromSeconds(1), TimeSpan.FromMilliseconds(200) })
            foreach (var n in new[] { 4, 16 })
                await One(n, blockTime, blocks);
        Console.WriteLine();
    }

    private static async Task One(int n, TimeSpan blockTime, int blocks)
    {
        await using var kit = new ClusterBenchKit(n, blockTime);
        var receiverCode = ClusterBenchKit.Artifact("MessageReceiver", "deployedBytecode");
        var receiver = Address.Parse("0x00000000000000000000000000000000000bee01");
        foreach (var chain in kit.Chains) chain.SetCode(receiver, receiverCode);

        // Per source and block: OfferedPerDestinationPerBlock messages, destinations round-robin, so every
        // destination is offered that many per block in total. Signed (and senders recovered) up front.
        var plan = new Transaction[blocks][][];
        var sequence = 0;
        for (var b = 0; b < blocks; b++)
        {
            plan[b] = new Transaction[n][];
            for (var src = 0; src < n; src++)
            {
                plan[b][src] = new Transaction[OfferedPerDestinationPerBlock];
                for (var i = 0; i < OfferedPerDestinationPerBlock; i++)
                {
                    var dst = (src + 1 + (b * OfferedPerDestinationPerBlock + i) % (n - 1)) % n;
                    plan[b][src][i] = kit.Sign(src, i % ClusterBenchKit.Accounts.Count, ClusterPredeploys.Messenger,
                        ClusterBenchKit.SendMessage(kit.Chains[dst].ChainId, receiver, "f" + sequence++), 300_000);
                }
            }
        }
        var offered = blocks * n * OfferedPerDestinationPerBlock;

        kit.Cluster.Start();
        var startMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var clock = Stopwatch.StartNew();
        for (var b = 0; b < blocks; b++)
        {
            for (var src = 0; src < n; src++)
            {
                var results = kit.Chains[src].SendTransactions(plan[b][src]);
                if (results.Select(r => r.Error).FirstOrDefault(e => e is not null) is { } error) throw new InvalidOperationException($"submit failed: {error.Message}");
            }
            var next = blockTime * (b + 1) - clock.Elapsed;
            if (next > TimeSpan.Zero) Thread.Sleep(next);
        }
        var endMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var atEnd = kit.Cluster.AllMessages();
        var sentByEnd = atEnd.Count;
        var deliveredDuringLoad = atEnd.Count(m => m.DeliveredAtMs is { } at && at <= endMs);
        var loadSeconds = (endMs - startMs) / 1000.0;
        var blocksDuringLoad = loadSeconds / blockTime.TotalSeconds;

        // Drain: every submitted send sent and delivered, or 30 s.
        var drain = Stopwatch.StartNew();
        while (drain.Elapsed < TimeSpan.FromSeconds(30)
               && (kit.Cluster.AllMessages().Count < offered || kit.Cluster.PendingMessageCount > 0))
            Thread.Sleep(50);
        await kit.Cluster.StopAsync();

        var all = kit.Cluster.AllMessages();
        var deltaMs = (long)kit.Cluster.Options.EffectiveDelta.TotalMilliseconds;
        var delivered = all.Where(m => m.Status != MessageStatus.Pending).ToList();
        var wall = delivered.Select(m => (double)(m.DeliveredAtMs!.Value - m.SentAtMs)).ToList();
        // 50 ms: the index stamps wall time when each block is indexed, after the slot's other seals.
        var late = wall.Count(ms => ms > deltaMs + 50);
        var byTimestamp = delivered.Select(m =>
            (long)kit.Cluster.GetChain(m.DestinationChainId).Store.GetHeader(m.DeliveredBlockNumber!.Value)!.Timestamp
            - (long)kit.Cluster.GetChain(m.SourceChainId).Store.GetHeader(m.SentBlockNumber)!.Timestamp).DefaultIfEmpty(0).Max();
        var undelivered = offered - delivered.Count;
        // The cluster's logical (slot) clock, where the node records it (read by name so this file also builds on the code before it did).
        var sent = typeof(ClusterMessage).GetProperty("SentSlotMs");
        var at = typeof(ClusterMessage).GetProperty("DeliveredSlotMs");
        var slotLate = sent is null || at is null ? "n/a" : delivered.Count(m => (long?)at.GetValue(m) - (long?)sent.GetValue(m) > deltaMs).ToString(CultureInfo.InvariantCulture);
        Console.WriteLine($"| {blockTime.TotalMilliseconds:F0} ms | {n} | {OfferedPerDestinationPerBlock} | " +
                          $"{deliveredDuringLoad / (double)n / blocksDuringLoad:F1} | {deliveredDuringLoad / (double)n / loadSeconds:F1} | {sentByEnd}/{offered} | " +
                          $"{late}/{delivered.Count} | {ClusterStatistics.Percentile(wall, 50):F0} / {ClusterStatistics.Percentile(wall, 99):F0} / {wall.DefaultIfEmpty(0).Max():F0} | " +
                          $"{byTimestamp} | {slotLate} | {undelivered} |");
    }
}
