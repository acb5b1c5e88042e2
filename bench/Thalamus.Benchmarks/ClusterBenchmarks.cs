using System.Diagnostics;
using System.Runtime.InteropServices;
using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Core;

namespace Thalamus.Benchmarks;

/// <summary>
/// <c>dotnet run -c Release --project bench/Thalamus.Benchmarks -- cluster [--quick]</c>: Stopwatch
/// measurements of an in-memory node-cluster (distributions, which BenchmarkDotNet does not give):
/// message latency, messages per second, synchronous cross-chain call cost, slot time.
/// Transactions are signed (and their senders recovered) before each timed region.
/// </summary>
internal static class ClusterBenchmarks
{
    private static readonly int[] ChainCounts = [4, 16, 64];
    private static readonly int[] SlotChainCounts = [1, 4, 16, 64];

    public static int Run(string[] args)
    {
        var quick = args.Contains("--quick");
        if (args.Contains("flood"))
        {
            // `cluster flood [--quick]`: the Delta-under-load measurement alone (section 6).
            ClusterFloodBenchmark.Run(quick).GetAwaiter().GetResult();
            return 0;
        }
        Console.WriteLine($"# Thalamus cluster benchmarks ({DateTime.UtcNow:yyyy-MM-dd HH:mm} UTC)");
        Console.WriteLine($"{RuntimeInformation.FrameworkDescription}, {RuntimeInformation.OSDescription}, {Environment.ProcessorCount} logical cores" +
                          (quick ? ", --quick" : ""));
        Console.WriteLine();
        var total = Stopwatch.StartNew();
        Latency(quick ? 100 : 400).GetAwaiter().GetResult();
        IntervalLatency(quick ? 15 : 40).GetAwaiter().GetResult();
        Throughput(quick ? 400 : 2000).GetAwaiter().GetResult();
        CrossCallCost(quick ? 50 : 200).GetAwaiter().GetResult();
        SlotTime(quick ? 3 : 6).GetAwaiter().GetResult();
        Console.WriteLine($"total wall time {total.Elapsed.TotalSeconds:F1} s");
        return 0;
    }

    /// <summary>
    /// Automining chains: each message's transaction is one slot that seals the source block and then
    /// the destination block carrying the delivery. Random source/destination pairs.
    /// </summary>
    private static async Task Latency(int messages)
    {
        Console.WriteLine("## 1. Delivery latency (automine chains, random A -> B pairs, MessageReceiver target)");
        Console.WriteLine("| chains | messages | blocks p50 | blocks p99 | submit->delivered ms p50 | ms p99 | DeliveredAtMs-SentAtMs p50 | p99 |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var n in ChainCounts)
        {
            await using var kit = new ClusterBenchKit(n, TimeSpan.Zero);
            var receivers = Enumerable.Range(0, n).Select(i => kit.Deploy(i, ClusterBenchKit.Artifact("MessageReceiver"))).ToArray();
            var rng = new Random(42);
            var warmup = 20;
            var plan = new (int Src, int Dst, Transaction Tx)[warmup + messages];
            for (var i = 0; i < plan.Length; i++)
            {
                var src = rng.Next(n);
                var dst = rng.Next(n - 1);
                if (dst >= src) dst++;
                plan[i] = (src, dst, kit.Sign(src, 1, ClusterPredeploys.Messenger,
                    ClusterBenchKit.SendMessage(kit.Chains[dst].ChainId, receivers[dst], "m" + i)));
            }
            var headAtSend = new ulong[plan.Length];
            var wall = new double[plan.Length];
            for (var i = 0; i < plan.Length; i++)
            {
                var (src, dst, tx) = plan[i];
                headAtSend[i] = kit.Chains[dst].Head.Number;
                var t0 = Stopwatch.GetTimestamp();
                kit.Chains[src].SendTransaction(tx);
                wall[i] = ClusterStatistics.TicksToMs(Stopwatch.GetTimestamp() - t0);
            }
            var bySentTx = kit.Cluster.AllMessages().ToDictionary(m => m.SentTransactionHash);
            var blocks = new List<double>();
            var ms = new List<double>();
            var stamped = new List<double>();
            for (var i = warmup; i < plan.Length; i++)
            {
                var message = bySentTx[plan[i].Tx.Hash];
                if (message.Status != MessageStatus.Relayed) throw new InvalidOperationException($"message {i} is {message.Status}");
                blocks.Add(message.DeliveredBlockNumber!.Value - headAtSend[i]);
                ms.Add(wall[i]);
                stamped.Add(message.DeliveredAtMs!.Value - message.SentAtMs);
            }
            Console.WriteLine($"| {n} | {messages} | {P(blocks, 50):F0} | {P(blocks, 99):F0} | {P(ms, 50):F3} | {P(ms, 99):F3} | {P(stamped, 50):F0} | {P(stamped, 99):F0} |");
        }
        Console.WriteLine();
    }

    /// <summary>
    /// Interval chains (one block time for all) on the cluster's scheduler: messages submitted at
    /// random moments wait for the source's next block, then run at the start of the destination's
    /// next block (the same slot when the destination seals after the source in configured order).
    /// Milliseconds: from the submit call (wall clock) to the index's DeliveredAtMs.
    /// </summary>
    private static async Task IntervalLatency(int messages)
    {
        var blockTime = TimeSpan.FromMilliseconds(200);
        Console.WriteLine($"## 1b. Delivery latency (interval chains, block time {blockTime.TotalMilliseconds:F0} ms = Delta, random pairs, random send moments)");
        Console.WriteLine("| chains | messages | blocks p50 | blocks p99 | submit->delivered ms p50 | ms p99 | ms max |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|");
        var receiverCode = ClusterBenchKit.Artifact("MessageReceiver", "deployedBytecode");
        var receiver = Address.Parse("0x00000000000000000000000000000000000bee01");
        foreach (var n in ChainCounts)
        {
            await using var kit = new ClusterBenchKit(n, blockTime);
            // Interval chains seal only on the scheduler: install the receiver as code instead of deploying it.
            foreach (var chain in kit.Chains) chain.SetCode(receiver, receiverCode);
            var rng = new Random(11);
            var plan = new (int Src, int Dst, Transaction Tx, int PauseMs)[messages];
            for (var i = 0; i < plan.Length; i++)
            {
                var src = rng.Next(n);
                var dst = rng.Next(n - 1);
                if (dst >= src) dst++;
                plan[i] = (src, dst, kit.Sign(src, 1, ClusterPredeploys.Messenger,
                    ClusterBenchKit.SendMessage(kit.Chains[dst].ChainId, receiver, "i" + i)), rng.Next((int)blockTime.TotalMilliseconds));
            }
            kit.Cluster.Start();
            Thread.Sleep(blockTime * 2);
            var headAtSend = new ulong[plan.Length];
            var sentAtMs = new long[plan.Length];
            for (var i = 0; i < plan.Length; i++)
            {
                var (src, dst, tx, pause) = plan[i];
                Thread.Sleep(pause);
                lock (kit.Chains[dst].SyncRoot)
                {
                    headAtSend[i] = kit.Chains[dst].Head.Number;
                    sentAtMs[i] = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
                    kit.Chains[src].SendTransaction(tx);
                }
            }
            var deadline = Stopwatch.StartNew();
            while (kit.Cluster.PendingMessageCount > 0 || kit.Cluster.AllMessages().Count < plan.Length)
            {
                if (deadline.Elapsed > TimeSpan.FromSeconds(10)) throw new TimeoutException("messages not delivered within 10 s");
                Thread.Sleep(20);
            }
            await kit.Cluster.StopAsync();
            var bySentTx = kit.Cluster.AllMessages().ToDictionary(m => m.SentTransactionHash);
            var blocks = new List<double>();
            var ms = new List<double>();
            for (var i = 0; i < plan.Length; i++)
            {
                var message = bySentTx[plan[i].Tx.Hash];
                if (message.Status != MessageStatus.Relayed) throw new InvalidOperationException($"message {i} is {message.Status}");
                blocks.Add(message.DeliveredBlockNumber!.Value - headAtSend[i]);
                ms.Add(message.DeliveredAtMs!.Value - sentAtMs[i]);
            }
            Console.WriteLine($"| {n} | {messages} | {P(blocks, 50):F0} | {P(blocks, 99):F0} | {P(ms, 50):F0} | {P(ms, 99):F0} | {ms.Max():F0} |");
        }
        Console.WriteLine();
    }

    /// <summary>sendMessage transactions submitted through SendTransactions batches, round-robin over the source chains.</summary>
    private static async Task Throughput(int messages)
    {
        const int batch = 50;
        Console.WriteLine($"## 2. Messages per second (automine chains, batches of {batch} via MemberChain.SendTransactions, delivery included)");
        Console.WriteLine("| chains | messages | delivered | wall s | messages/s | blocks sealed |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|");
        foreach (var n in ChainCounts)
        {
            await using var kit = new ClusterBenchKit(n, TimeSpan.Zero);
            var receivers = Enumerable.Range(0, n).Select(i => kit.Deploy(i, ClusterBenchKit.Artifact("MessageReceiver"))).ToArray();
            var rng = new Random(7);
            var perChain = Enumerable.Range(0, n).Select(_ => new List<Transaction>()).ToArray();
            for (var i = 0; i < messages; i++)
            {
                var src = i % n;
                var dst = rng.Next(n - 1);
                if (dst >= src) dst++;
                perChain[src].Add(kit.Sign(src, 1, ClusterPredeploys.Messenger,
                    ClusterBenchKit.SendMessage(kit.Chains[dst].ChainId, receivers[dst], "t" + i)));
            }
            var batches = new List<(int Chain, Transaction[] Txs)>();
            for (var offset = 0; perChain.Any(l => l.Count > offset); offset += batch)
                for (var c = 0; c < n; c++)
                    if (perChain[c].Count > offset) batches.Add((c, perChain[c].Skip(offset).Take(batch).ToArray()));
            var headsBefore = kit.Chains.Sum(c => (long)c.Head.Number);
            var before = kit.Cluster.AllMessages().Count;

            var sw = Stopwatch.StartNew();
            foreach (var (chain, txs) in batches)
            {
                var results = kit.Chains[chain].SendTransactions(txs);
                if (results.Select(r => r.Error).FirstOrDefault(e => e is not null) is { } error) throw new InvalidOperationException($"submit failed: {error.Message}");
            }
            sw.Stop();

            var all = kit.Cluster.AllMessages();
            var delivered = all.Skip(before).Count(m => m.Status == MessageStatus.Relayed);
            var sealedBlocks = kit.Chains.Sum(c => (long)c.Head.Number) - headsBefore;
            Console.WriteLine($"| {n} | {messages} | {delivered} | {sw.Elapsed.TotalSeconds:F2} | {delivered / sw.Elapsed.TotalSeconds:F0} | {sealedBlocks} |");
        }
        Console.WriteLine();
    }

    /// <summary>
    /// Two automining chains A and B. (a) a transaction calling RemoteCounter.increment on A directly;
    /// (b) LocalCaller on A calling a RemoteCounter on A (a normal CALL) and writing two local slots;
    /// (c) SyncCaller.incrementRemote on A crossCalling a RemoteCounter on B and writing the same two slots.
    /// (c)/(b) is the cost of going cross-chain for the same work.
    /// </summary>
    private static async Task CrossCallCost(int iterations)
    {
        Console.WriteLine("## 3. Synchronous cross-chain call vs the same call on one chain (2 automine chains)");
        await using var kit = new ClusterBenchKit(2, TimeSpan.Zero);
        var counterA = kit.Deploy(0, ClusterBenchKit.Artifact("RemoteCounter"));
        var counterB = kit.Deploy(1, ClusterBenchKit.Artifact("RemoteCounter"));
        var counterForLocal = kit.Deploy(0, ClusterBenchKit.Artifact("RemoteCounter"));
        var local = kit.Deploy(0, ClusterLocalCaller.CreationCode());
        var sync = kit.Deploy(0, ClusterBenchKit.Artifact("SyncCaller"));
        var chainB = new UInt256(kit.Chains[1].ChainId);

        string[] names = ["(a) RemoteCounter.increment, direct tx on A", "(b) LocalCaller -> RemoteCounter on A (CALL)", "(c) SyncCaller.incrementRemote A -> B (crossCall)"];
        var warmup = 10;
        var plan = new List<(int Kind, Transaction Tx)>();
        for (var i = 0; i < warmup + iterations; i++)
        {
            plan.Add((0, kit.Sign(0, 1, counterA, Abi.Call("increment(uint256)", 1UL))));
            plan.Add((1, kit.Sign(0, 1, local, ClusterLocalCaller.CallData(counterForLocal, 1))));
            plan.Add((2, kit.Sign(0, 1, sync, Abi.Call("incrementRemote(uint256,address,uint256)", chainB, counterB, 1UL))));
        }
        var wall = names.Select(_ => new List<double>()).ToArray();
        var gas = names.Select(_ => new List<double>()).ToArray();
        for (var i = 0; i < plan.Count; i++)
        {
            var (kind, tx) = plan[i];
            var t0 = Stopwatch.GetTimestamp();
            kit.Chains[0].SendTransaction(tx);
            var elapsed = ClusterStatistics.TicksToMs(Stopwatch.GetTimestamp() - t0);
            var receipt = kit.Chains[0].GetReceipt(tx.Hash) ?? throw new InvalidOperationException("not mined");
            if (!receipt.Success) throw new InvalidOperationException($"{names[kind]} failed");
            if (i / 3 < warmup) continue;
            wall[kind].Add(elapsed);
            gas[kind].Add(receipt.GasUsed);
        }
        var counterValue = kit.Chains[1].GetStorageAt(counterB, UInt256.Zero, BlockSelector.Latest);
        if (counterValue != new UInt256((ulong)(warmup + iterations))) throw new InvalidOperationException($"counter on B is {counterValue}");

        Console.WriteLine("| call | txs | gas used (tx) | gas - 21000 | wall ms p50 | wall ms p99 |");
        Console.WriteLine("|---|---:|---:|---:|---:|---:|");
        for (var k = 0; k < names.Length; k++)
            Console.WriteLine($"| {names[k]} | {wall[k].Count} | {P(gas[k], 50):F0} | {P(gas[k], 50) - 21000:F0} | {P(wall[k], 50):F3} | {P(wall[k], 99):F3} |");
        Console.WriteLine();
        Console.WriteLine($"ratio (c)/(b): gas {P(gas[2], 50) / P(gas[1], 50):F2}x (execution gas above 21000: {(P(gas[2], 50) - 21000) / (P(gas[1], 50) - 21000):F2}x), " +
                          $"wall time p50 {P(wall[2], 50) / P(wall[1], 50):F2}x");
        Console.WriteLine($"ratio (c)/(a): gas {P(gas[2], 50) / P(gas[0], 50):F2}x, wall time p50 {P(wall[2], 50) / P(wall[0], 50):F2}x");
        Console.WriteLine();
    }

    /// <summary>
    /// Interval chains driven by the cluster's own scheduler (cluster.Start()). Chain 0 is a marker
    /// chain with no transactions; the N loaded chains each hold one pending value transfer per slot.
    /// All chains have the same block time, so one scheduled slot seals them all in configured order;
    /// the slot time is measured from the marker's BlockSealed to the last loaded chain's BlockSealed,
    /// i.e. exactly the N loaded seals (the slot's bookkeeping around them is not included).
    /// </summary>
    private static async Task SlotTime(int slots)
    {
        var blockTime = TimeSpan.FromMilliseconds(400);
        Console.WriteLine($"## 4. Slot time against the number of chains (interval chains, block time {blockTime.TotalMilliseconds:F0} ms, 1 tx pending per chain, cluster scheduler)");
        Console.WriteLine("| loaded chains | slots | slot ms p50 | slot ms max | per chain ms (p50 / N) |");
        Console.WriteLine("|---:|---:|---:|---:|---:|");
        var recipient = Address.Parse("0x00000000000000000000000000000000000bee00");
        foreach (var n in SlotChainCounts)
        {
            await using var kit = new ClusterBenchKit(n + 1, blockTime);
            var warmup = 1;
            var plan = new Transaction[warmup + slots][];
            for (var s = 0; s < plan.Length; s++)
                plan[s] = Enumerable.Range(1, n).Select(c => kit.Sign(c, 1, recipient, [], 21_000, new UInt256(1))).ToArray();

            long markerAt = 0;
            var windows = new List<(long Ticks, bool Full)>();
            var full = true;
            using var lastSealed = new AutoResetEvent(false);
            kit.Chains[0].BlockSealed += (_, _) => { markerAt = Stopwatch.GetTimestamp(); full = true; };
            for (var c = 1; c <= n; c++)
            {
                var last = c == n;
                kit.Chains[c].BlockSealed += (block, _) =>
                {
                    if (block.Transactions.Count != 1) full = false;
                    if (!last) return;
                    windows.Add((Stopwatch.GetTimestamp() - markerAt, full));
                    lastSealed.Set();
                };
            }
            for (var c = 1; c <= n; c++) kit.Chains[c].SendTransaction(plan[0][c - 1]);
            kit.Cluster.Start();
            for (var s = 0; s < plan.Length; s++)
            {
                if (!lastSealed.WaitOne(TimeSpan.FromSeconds(30))) throw new TimeoutException("no slot within 30 s");
                if (s + 1 < plan.Length)
                    for (var c = 1; c <= n; c++) kit.Chains[c].SendTransaction(plan[s + 1][c - 1]);
            }
            await kit.Cluster.StopAsync();
            var measured = windows.Skip(warmup).Take(slots).Where(w => w.Full).Select(w => ClusterStatistics.TicksToMs(w.Ticks)).ToList();
            var skipped = windows.Skip(warmup).Take(slots).Count(w => !w.Full);
            var p50 = P(measured, 50);
            Console.WriteLine($"| {n} | {measured.Count}{(skipped > 0 ? $" ({skipped} partial skipped)" : "")} | {p50:F2} | {measured.DefaultIfEmpty(double.NaN).Max():F2} | {p50 / n:F3} |");
        }
        Console.WriteLine();
    }

    private static double P(IReadOnlyList<double> sample, double percentile) => ClusterStatistics.Percentile(sample, percentile);
}
