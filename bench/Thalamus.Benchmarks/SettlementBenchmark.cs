using System.Diagnostics;
using System.Globalization;
using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Cluster.Replay;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Settlement;

namespace Thalamus.Benchmarks;

/// <summary>
/// `-- settlement [--seconds S]`: joint settlement's figures on the embedded parent chain. For 4, 16 and 64 member chains
/// (1 s block time, so every slot seals a block on every chain) with 8 transfers a second on every chain for S seconds
/// (default 5): parent gas per batch and per slot, batch data bytes per transaction; then the verifier's sync speed
/// (blocks/s and Mgas/s re-executed, from the parent's data) beside its peer in the same run, ClusterReplayer re-executing
/// the same chains from the node's own stores; and the time from a false assertion (fault injected) to the verifier's
/// challenge on the parent, the verifier polling every 50 ms.
/// </summary>
public static class SettlementBenchmark
{
    private static readonly IReadOnlyList<DevAccount> Accounts = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 6);

    private static readonly ReplayRules Rules = new()
    {
        NativeContracts = _ => ClusterReplayer.DefaultNativeContracts,
        PrepareReplay = ClusterReplayer.PrepareReplay,
    };

    public static int Run(string[] args)
    {
        var seconds = 5.0;
        for (var i = 0; i < args.Length; i++)
            if (args[i] == "--seconds" && i + 1 < args.Length) seconds = double.Parse(args[++i], CultureInfo.InvariantCulture);
        Console.WriteLine("| chains | slots | batches | slots per batch | blocks | transactions | parent gas per batch | parent gas per slot | data bytes per batch | data bytes per transaction | verifier blocks/s | verifier Mgas/s | ClusterReplayer blocks/s | ClusterReplayer Mgas/s |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var chains in new[] { 4, 16, 64 }) Measure(chains, seconds);
        Console.WriteLine();
        for (var run = 0; run < 3; run++) MeasureChallengeDelay();
        return 0;
    }

    private static (SettlementModule Module, NodeCluster Cluster, InProcessParentChain Parent) Create(int chains, ulong? faultSlot, TimeSpan blockTime)
    {
        var parent = new InProcessParentChain(InProcessParentChain.CreateChain(
            [ParentAccount.FromName(SettlementOptions.PosterName).Address, .. Accounts.Select(a => a.Address)]));
        var module = new SettlementModule(new SettlementOptions { Parent = parent, AutoPost = false, SlotsPerBatch = 4, FaultSlot = faultSlot });
        var cluster = NodeCluster.Create(new ClusterOptions
        {
            Chains = Enumerable.Range(0, chains).Select(i => new ClusterChainOptions { ChainId = 901 + (ulong)i, BlockTime = blockTime }).ToList(),
            Accounts = [.. Accounts.Take(4)],
            GenesisTimestamp = 1_700_000_000,
        }, modules: [module]);
        return (module, cluster, parent);
    }

    private static void Measure(int chains, double seconds)
    {
        var (module, cluster, parent) = Create(chains, null, TimeSpan.FromSeconds(1));
        var nonces = new ulong[chains];
        cluster.Start();
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed.TotalSeconds < seconds)
        {
            for (var c = 0; c < chains; c++)
            {
                var chain = cluster.Chains[c];
                for (var k = 0; k < 2; k++)
                {
                    var tx = TransactionSigner.Sign(new Transaction
                    {
                        Type = TxType.DynamicFee, ChainId = chain.ChainId, Nonce = nonces[c]++, MaxFeePerGas = new UInt256(100_000_000_000),
                        MaxPriorityFeePerGas = new UInt256(1_000_000_000), GasLimit = 21_000, To = Accounts[1].Address, Value = UInt256.One,
                    }, Accounts[0].PrivateKey);
                    chain.SendTransaction(tx);
                }
            }
            Thread.Sleep(250);
        }
        cluster.StopAsync().GetAwaiter().GetResult();
        module.PostPending(flush: true);
        var posted = module.Posted;
        var full = posted.Take(posted.Count - 1).DefaultIfEmpty(posted[^1]).ToList(); // every batch but the flushed last one
        var slots = posted.Sum(p => (long)(p.LastSlot - p.FirstSlot + 1));
        // The peer first (it pays the JIT's warm-up), then the verifier from the parent's data.
        var replay = Stopwatch.StartNew();
        var reports = ClusterReplayer.VerifyCluster(cluster);
        replay.Stop();
        if (reports.Any(r => r.Mismatches.Count > 0)) throw new InvalidOperationException("the replayer disagreed");
        var verifier = new SettlementVerifier(new SettlementContract(parent, module.Contract.Address), Rules);
        verifier.Sync();
        var status = verifier.Status();
        if (status.BatchesInvalid > 0) throw new InvalidOperationException($"the verifier disagreed: {status.LastVerdict}");
        var replayBlocks = reports.Sum(r => (double)r.BlocksChecked - 1);
        var gas = cluster.Chains.Sum(c => Enumerable.Range(1, (int)c.Head.Number).Sum(n => (double)c.Store.GetHeader((ulong)n)!.GasUsed));
        var txs = posted.Sum(p => p.Transactions);
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"| {chains} | {slots} | {posted.Count} | {full.Average(p => (double)(p.LastSlot - p.FirstSlot + 1)):0.0} | {posted.Sum(p => p.Blocks)} | {txs} | {full.Average(p => (double)p.GasUsed):0} | {full.Sum(p => (double)p.GasUsed) / full.Sum(p => (double)(p.LastSlot - p.FirstSlot + 1)):0} | " +
            $"{full.Average(p => (double)p.DataBytes):0} | {(txs == 0 ? 0 : posted.Sum(p => (double)p.DataBytes) / txs):0.0} | " +
            $"{status.BlocksExecuted / status.ExecutionSeconds:0} | {status.GasExecuted / status.ExecutionSeconds / 1e6:0.0} | " +
            $"{replayBlocks / replay.Elapsed.TotalSeconds:0} | {gas / replay.Elapsed.TotalSeconds / 1e6:0.0} |"));
        cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        module.Dispose();
    }

    /// <summary>From sending a false assertion to the parent receipt of the verifier's challenge.</summary>
    private static void MeasureChallengeDelay()
    {
        var (module, cluster, parent) = Create(4, 3, TimeSpan.Zero);
        var challenger = new ParentAccount(Accounts[4].PrivateKey);
        var verifier = new SettlementVerifier(new SettlementContract(parent, module.Contract.Address), Rules, challenger);
        var challenged = new ManualResetEventSlim();
        long challengedAt = 0;
        verifier.Progress += line =>
        {
            if (!line.StartsWith("challenged", StringComparison.Ordinal)) return;
            challengedAt = Stopwatch.GetTimestamp();
            challenged.Set();
        };
        for (var i = 0; i < 16; i++)
        {
            var chain = cluster.Chains[i % 4];
            chain.SendTransaction(TransactionSigner.Sign(new Transaction
            {
                Type = TxType.DynamicFee, ChainId = chain.ChainId, Nonce = chain.GetTransactionCount(Accounts[0].Address, BlockSelector.Pending),
                MaxFeePerGas = new UInt256(100_000_000_000), MaxPriorityFeePerGas = new UInt256(1_000_000_000), GasLimit = 21_000, To = Accounts[1].Address,
                Value = UInt256.One,
            }, Accounts[0].PrivateKey));
        }
        var watcher = new Thread(() =>
        {
            while (!challenged.IsSet)
            {
                verifier.Sync();
                Thread.Sleep(50);
            }
        }) { IsBackground = true };
        watcher.Start();
        // The faulty slot is in the first batch: the clock starts as its assertion is sent.
        var assertedAt = Stopwatch.GetTimestamp();
        module.PostPending(flush: true);
        if (!challenged.Wait(TimeSpan.FromSeconds(60))) throw new InvalidOperationException("the verifier did not challenge within 60 s");
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"false assertion to challenge: {Stopwatch.GetElapsedTime(assertedAt, challengedAt).TotalMilliseconds:0} ms (verifier polling every 50 ms, embedded parent)"));
        watcher.Join();
        cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        module.Dispose();
    }
}
