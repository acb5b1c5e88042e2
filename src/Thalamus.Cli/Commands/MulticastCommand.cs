using System.CommandLine;
using System.Globalization;
using System.Reflection;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Multicast;

namespace Thalamus.Cli.Commands;

/// <summary>
/// <c>thalamus multicast model</c>: the fan-out breakpoint model (docs/multicast.md). It measures the gas of a
/// delivery for message sizes 32 B … 24 KB on an in-memory two-chain cluster (CALL messages to a
/// MulticastCounter, steady state: the second publish of each size), then prints how many subscribers one
/// publish reaches within one block (by the module's per-subscriber reservation, which is what it packs, and
/// by the measured gas), the fee per subscriber and the subscribers a 1 ETH fee pays for at 1, 10 and 100
/// gwei, and the blocks a fan-out to N subscribers takes; and writes two PNG plots (ScottPlot).
/// </summary>
public static class MulticastCommand
{
    private static readonly int[] Sizes = [32, 256, 1024, 4096, 8192, 16384, 24576];
    private static readonly double[] GweiPrices = [1, 10, 100];
    private const int Subscribers = 40;

    public static Command Create()
    {
        var command = new Command("multicast", "Cross-chain multicast tools.");
        var model = new Command("model", "Measure per-delivery gas and print/plot subscribers per block against message size and gas price.");
        var output = new Option<string>("--out", "-o") { Description = "PNG file of the plot (a second one, <name>-fee.png, plots the fee side)", DefaultValueFactory = _ => "multicast-model.png" };
        var share = new Option<double>("--share") { Description = "the module's share of a block's gas", DefaultValueFactory = _ => 0.05 };
        var blockGas = new Option<ulong>("--block-gas") { Description = "block gas limit", DefaultValueFactory = _ => 30_000_000UL };
        var gasPerDelivery = new Option<uint>("--gas-per-delivery") { Description = "the channel's gas per subscriber call", DefaultValueFactory = _ => 100_000u };
        foreach (var option in new Option[] { output, share, blockGas, gasPerDelivery }) model.Options.Add(option);
        model.SetAction(result =>
        {
            var s = result.GetValue(share);
            if (s is <= 0 or > 1)
            {
                Console.Error.WriteLine("error: --share must be in (0, 1]");
                return CliApplication.UsageExitCode;
            }
            var g = result.GetValue(gasPerDelivery);
            if (g is < 5_000 or > 500_000)
            {
                Console.Error.WriteLine("error: --gas-per-delivery must be in [5000, 500000] (the registry's bounds)");
                return CliApplication.UsageExitCode;
            }
            return Run(result.GetValue(output)!, s, result.GetValue(blockGas), g);
        });
        command.Subcommands.Add(model);
        return command;
    }

    private static int Run(string output, double share, ulong blockGas, uint gasPerDelivery)
    {
        var measured = Measure(gasPerDelivery);
        var budget = blockGas * share;
        var reserved = gasPerDelivery + gasPerDelivery / 63 + MulticastModule.DeliverPerSubscriberGas;
        Console.WriteLine($"Per-delivery gas measured on an in-memory cluster (CALL to MulticastCounter, {Subscribers} subscribers, steady state); block {blockGas:N0} gas, module share {share:0.###} ({budget:N0} gas), gasPerDelivery {gasPerDelivery:N0}.");
        Console.WriteLine();
        Console.WriteLine("| payload B | gas/delivery (measured) | batch base gas | subs/block packed (reservation) | subs/block by measured gas | subs/block full block (measured) | fee/sub 1 gwei (ETH) | fee/sub 10 gwei | fee/sub 100 gwei | subs per 1 ETH @1/10/100 gwei | blocks for 1,000 / 10,000 subs on one chain |");
        Console.WriteLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        var packed = new List<double>();
        var byMeasured = new List<double>();
        var fullBlock = new List<double>();
        var perEth = GweiPrices.Select(_ => new List<double>()).ToArray();
        foreach (var size in Sizes)
        {
            var gas = measured[size];
            var baseGas = MulticastModule.DeliverBaseGas + 20 * (ulong)(size + MulticastHeader.Size);
            var perBlock = budget > baseGas ? Math.Floor((budget - baseGas) / reserved) : 0;
            var measuredPerBlock = budget > baseGas ? Math.Floor((budget - baseGas) / gas) : 0;
            var full = Math.Floor((blockGas - (double)baseGas) / gas);
            var feeGas = (double)gasPerDelivery + 25_000 + 16.0 * size;
            var fees = GweiPrices.Select(p => feeGas * p * 1e-9).ToArray();
            for (var i = 0; i < GweiPrices.Length; i++) perEth[i].Add(Math.Floor(1 / fees[i]));
            packed.Add(perBlock);
            byMeasured.Add(measuredPerBlock);
            fullBlock.Add(full);
            string Blocks(int n) => perBlock == 0 ? "∞" : Math.Ceiling(n / perBlock).ToString(CultureInfo.InvariantCulture);
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"| {size} | {gas:0} | {baseGas} | {perBlock} | {measuredPerBlock} | {full} | {fees[0]:0.000000} | {fees[1]:0.00000} | {fees[2]:0.0000} | {perEth[0][^1]} / {perEth[1][^1]} / {perEth[2][^1]} | {Blocks(1000)} / {Blocks(10_000)} |"));
        }
        Console.WriteLine();
        Console.WriteLine("A fan-out over k chains runs on all of them at once: blocks ≈ ceil(N / k / subs-per-block).");

        var xs = Sizes.Select(x => x / 1024.0).ToArray();
        var plot = new ScottPlot.Plot();
        plot.Add.Scatter(xs, packed.ToArray()).LegendText = $"packed by the module ({share:0.##} of a block, reservation)";
        plot.Add.Scatter(xs, byMeasured.ToArray()).LegendText = $"by measured gas ({share:0.##} of a block)";
        plot.Add.Scatter(xs, fullBlock.ToArray()).LegendText = "by measured gas (whole block)";
        plot.Title("Subscribers one publish reaches within one block");
        plot.Axes.Bottom.Label.Text = "message payload (KiB)";
        plot.Axes.Left.Label.Text = "subscribers per block";
        plot.ShowLegend();
        plot.SavePng(output, 1000, 600);

        var feePlot = new ScottPlot.Plot();
        for (var i = 0; i < GweiPrices.Length; i++) feePlot.Add.Scatter(xs, perEth[i].ToArray()).LegendText = $"{GweiPrices[i]} gwei";
        feePlot.Title("Subscribers a 1 ETH publish fee pays for (quotePublish)");
        feePlot.Axes.Bottom.Label.Text = "message payload (KiB)";
        feePlot.Axes.Left.Label.Text = "subscribers";
        feePlot.ShowLegend();
        var feePath = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, Path.GetFileNameWithoutExtension(output) + "-fee.png");
        feePlot.SavePng(feePath, 1000, 600);
        Console.WriteLine($"wrote {output} and {feePath}");
        return 0;
    }

    /// <summary>Gas per delivery by payload size: the deliver() transactions' gas on the subscriber chain over the deliveries they made.</summary>
    private static Dictionary<int, double> Measure(uint gasPerDelivery)
    {
        var accounts = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 1);
        var module = new MulticastModule();
        var cluster = NodeCluster.Create(new ClusterOptions
        {
            Chains = [new ClusterChainOptions { ChainId = 901 }, new ClusterChainOptions { ChainId = 902 }],
            Accounts = accounts,
            GenesisTimestamp = 1_700_000_000,
            SystemGasShares = new Dictionary<string, double> { ["messenger"] = 0.1, [MulticastModule.ModuleName] = 0.9 },
        }, modules: [module]);
        var (home, remote) = (cluster.Chains[0], cluster.Chains[1]);
        TransactionReceipt Send(MemberChain chain, Address? to, byte[] data, UInt256 value = default)
        {
            var tx = TransactionSigner.Sign(new Transaction
            {
                Type = TxType.DynamicFee, ChainId = chain.ChainId, Nonce = chain.GetTransactionCount(accounts[0].Address, BlockSelector.Pending),
                MaxFeePerGas = new UInt256(100_000_000_000), MaxPriorityFeePerGas = new UInt256(1_000_000_000), GasLimit = 25_000_000,
                To = to, Value = value, Data = data,
            }, accounts[0].PrivateKey);
            var receipt = chain.GetReceipt(chain.SendTransaction(tx))!;
            if (!receipt.Success) throw new InvalidOperationException($"the model's setup transaction to {to} reverted");
            return receipt;
        }
        void Drain()
        {
            while (cluster.Chains.Any(module.HasPendingWork))
                foreach (var chain in cluster.Chains)
                    if (module.HasPendingWork(chain)) chain.Mine();
        }
        var channel = Send(home, MulticastPredeploys.Registry, Abi.Call("createChannel(bool,uint32,uint128)", false, (ulong)gasPerDelivery, 0UL))
            .Logs.First(l => l.Address == MulticastPredeploys.Registry).Topics[1];
        var counter = Send(remote, null, CounterCode()).ContractAddress!.Value;
        Send(remote, counter, Abi.Call("subscribeMany(bytes32,uint32,uint32)", channel, 1UL, (ulong)Subscribers));
        Drain();
        var result = new Dictionary<int, double>();
        foreach (var size in Sizes)
        {
            var message = MulticastHeader.Of(MulticastMessageType.Call).Message(new byte[size]);
            double perDelivery = 0;
            for (var round = 0; round < 2; round++)
            {
                var quote = UInt256.FromBigEndian(home.Call(new CallRequest { To = MulticastPredeploys.Multicaster, Data = Abi.Call("quotePublish(bytes32,uint256)", channel, (ulong)size) }, BlockSelector.Latest).ReturnData);
                var head = remote.Head.Number;
                Send(home, MulticastPredeploys.Multicaster, Abi.Call("publish(bytes32,bytes)", channel, AbiValue.Bytes(message)), quote);
                Drain();
                ulong gas = 0;
                for (var n = head + 1; n <= remote.Head.Number; n++)
                    foreach (var tx in remote.Store.GetBlock(n)!.Transactions)
                        if (tx.To == MulticastPredeploys.Multicaster) gas += remote.GetReceipt(tx.Hash)!.GasUsed;
                perDelivery = (double)gas / Subscribers;
            }
            result[size] = perDelivery;
        }
        cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
        return result;
    }

    private static byte[] CounterCode()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("MulticastCounter.json")
            ?? throw new InvalidOperationException("the embedded artifact MulticastCounter.json is missing from the build");
        using var json = JsonDocument.Parse(stream);
        return Hex.Decode(json.RootElement.GetProperty("bytecode").GetString()!);
    }
}
