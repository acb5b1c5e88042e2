using System.Buffers.Binary;
using System.Diagnostics;
using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Multicast;

namespace Thalamus.Benchmarks;

/// <summary>
/// <c>-- multicast [--quick] [--size N] [--reservation] [--chains 4,16] [--subscribers 1,100]</c>: publish → all-delivered latency (blocks and ms, p50/p99 over several
/// publishes) and gas per delivery, for 1, 100, 1,000 and 10,000 subscribers spread over 4, 16 and 64 automining
/// chains (one MulticastCounter per chain, subscribed under as many selectors), the multicast module at its
/// default gas share (5 % of a 30M block). Deliveries are CALL messages of N payload bytes (default 32).
/// The peer in the same run is the 1-subscriber case (the floor: one block on one chain). Batches are sized by measured
/// gas (the module's default); <c>--reservation</c> sizes them by the worst-case reservation instead (the peer for the
/// blocks-per-fan-out figure). <c>--chains</c> and <c>--subscribers</c> pick rows.
/// </summary>
internal static class MulticastBenchmark
{
    private static readonly IReadOnlyList<DevAccount> Accounts = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 2);
    private static readonly byte[] DeliverSelector = Keccak256.Compute("deliver((bytes32,uint64,uint256,address,uint32,uint32),(address,bytes4)[],bytes)"u8).Bytes[..4].ToArray();

    public static int Run(string[] args)
    {
        var quick = args.Contains("--quick");
        var size = args.SkipWhile(a => a != "--size").Skip(1).Select(int.Parse).FirstOrDefault(32);
        var reservation = args.Contains("--reservation");
        int[] chainCounts = List(args, "--chains") ?? (quick ? [4, 16] : [4, 16, 64]);
        int[] subscriberCounts = List(args, "--subscribers") ?? (quick ? [1, 100, 1000] : [1, 100, 1000, 10_000]);
        Console.WriteLine($"multicast fan-out, CALL payload {size} B, gasPerDelivery 100000, module share 0.05 of 30M gas, automine, batches sized by {(reservation ? "the worst-case reservation" : "measured gas")}");
        Console.WriteLine("| chains | subscribers | publishes | blocks p50 | blocks p99 | ms p50 | ms p99 | gas/delivery | setup s |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        foreach (var chains in chainCounts)
            foreach (var subscribers in subscriberCounts)
                Measure(chains, subscribers, size, reservation);
        return 0;
    }

    private static int[]? List(string[] args, string name) =>
        args.SkipWhile(a => a != name).Skip(1).FirstOrDefault() is { } list ? list.Split(',').Select(int.Parse).ToArray() : null;

    private static void Measure(int chains, int subscribers, int size, bool reservation)
    {
        var setup = Stopwatch.StartNew();
        var module = new MulticastModule(sizeByMeasuredGas: !reservation);
        using var cluster = new Disposer(NodeCluster.Create(new ClusterOptions
        {
            Chains = Enumerable.Range(0, chains).Select(i => new ClusterChainOptions { ChainId = 901 + (ulong)i }).ToList(),
            Accounts = Accounts,
            GenesisTimestamp = 1_700_000_000,
        }, modules: [module]));
        var c = cluster.Cluster;
        var home = c.Chains[0];
        var channel = Send(home, MulticastPredeploys.Registry, Abi.Call("createChannel(bool,uint32,uint128)", false, 100_000UL, 0UL))
            .Logs.First(l => l.Address == MulticastPredeploys.Registry).Topics[1];
        // Subscribers spread evenly: chain i gets its share (1 subscriber: chain 0 only).
        var used = Math.Min(chains, subscribers);
        for (var i = 0; i < used; i++)
        {
            var chain = c.Chains[i];
            var counter = Send(chain, null, ClusterBenchKit.Artifact("MulticastCounter")).ContractAddress!.Value;
            var mine = subscribers / used + (i < subscribers % used ? 1 : 0);
            for (var done = 0; done < mine; done += 150)
                Send(chain, counter, Abi.Call("subscribeMany(bytes32,uint32,uint32)", channel, (ulong)(1 + done), (ulong)Math.Min(150, mine - done)), 29_000_000);
        }
        Drain(c, module);
        setup.Stop();

        var publishes = subscribers >= 10_000 ? 3 : subscribers >= 1000 ? 5 : 20;
        var blocks = new List<double>();
        var ms = new List<double>();
        ulong gas = 0, deliveries = 0;
        var message = MulticastHeader.Of(MulticastMessageType.Call).Message(new byte[size]);
        for (var p = 0; p < publishes; p++)
        {
            var heads = c.Chains.Select(ch => ch.Head.Number).ToArray();
            var watch = Stopwatch.StartNew();
            var fee = UInt256.FromBigEndian(home.Call(new CallRequest { To = MulticastPredeploys.Multicaster, Data = Abi.Call("quotePublish(bytes32,uint256)", channel, (ulong)size) }, BlockSelector.Latest).ReturnData);
            var receipt = Send(home, MulticastPredeploys.Multicaster, Abi.Call("publish(bytes32,bytes)", channel, AbiValue.Bytes(message)), 3_000_000, fee);
            var id = receipt.Logs.First(l => l.Address == MulticastPredeploys.Multicaster).Topics[1];
            var publishBlock = receipt.BlockNumber;
            var record = module.Find(id)!;
            while (!record.IsComplete) DrainOnce(c, module);
            watch.Stop();
            ms.Add(watch.Elapsed.TotalMilliseconds);
            // Blocks: on the slowest chain, blocks from the publish (on chain 0: after its block) to its last delivery.
            var worst = 0UL;
            for (var i = 0; i < c.Chains.Count; i++)
            {
                if (!record.Progress.TryGetValue(c.Chains[i].ChainId, out var progress)) continue;
                var from = i == 0 ? publishBlock : heads[i];
                worst = Math.Max(worst, progress.LastDeliveryBlock - from);
                for (var n = heads[i] + 1; n <= c.Chains[i].Head.Number; n++)
                {
                    var block = c.Chains[i].Store.GetBlock(n)!;
                    foreach (var tx in block.Transactions)
                        if (tx.To == MulticastPredeploys.Multicaster && tx.Data.Length > 4 && tx.Data.AsSpan(0, 4).SequenceEqual(DeliverSelector))
                            gas += c.Chains[i].GetReceipt(tx.Hash)!.GasUsed;
                }
            }
            deliveries += (ulong)record.Progress.Values.Sum(pr => pr.Next);
            blocks.Add(worst);
            Drain(c, module);
        }
        Console.WriteLine($"| {chains} | {subscribers} | {publishes} | {ClusterStatistics.Percentile(blocks, 50):0} | {ClusterStatistics.Percentile(blocks, 99):0} | {ClusterStatistics.Percentile(ms, 50):0.0} | {ClusterStatistics.Percentile(ms, 99):0.0} | {(deliveries == 0 ? 0 : gas / deliveries)} | {setup.Elapsed.TotalSeconds:0.0} |");
    }

    private static void Drain(NodeCluster cluster, MulticastModule module)
    {
        while (cluster.Chains.Any(module.HasPendingWork)) DrainOnce(cluster, module);
    }

    private static void DrainOnce(NodeCluster cluster, MulticastModule module)
    {
        foreach (var chain in cluster.Chains)
            if (module.HasPendingWork(chain)) chain.Mine();
    }

    private static TransactionReceipt Send(MemberChain chain, Address? to, byte[] data, ulong gas = 10_000_000, UInt256 value = default)
    {
        var key = Accounts[0];
        var tx = TransactionSigner.Sign(new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = chain.ChainId,
            Nonce = chain.GetTransactionCount(key.Address, BlockSelector.Pending),
            MaxFeePerGas = new UInt256(100_000_000_000),
            MaxPriorityFeePerGas = new UInt256(1_000_000_000),
            GasLimit = gas,
            To = to,
            Value = value,
            Data = data,
        }, key.PrivateKey);
        var receipt = chain.GetReceipt(chain.SendTransaction(tx)) ?? throw new InvalidOperationException("not mined");
        if (!receipt.Success) throw new InvalidOperationException($"transaction to {to} reverted on chain {chain.ChainId}");
        return receipt;
    }

    private sealed class Disposer(NodeCluster cluster) : IDisposable
    {
        public NodeCluster Cluster => cluster;

        public void Dispose() => cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
    }
}
