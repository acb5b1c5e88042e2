using System.Diagnostics;
using System.Globalization;
using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Rtc;

namespace Thalamus.Benchmarks;

/// <summary>
/// `-- rtc [--runs N]`: remote transaction calls (docs/rtc.md). Gas of an atomic RTC of k calls (k = 1, 4, 16)
/// against its peers in the same run: the same k calls as k plain transactions on one chain, and as an
/// atomic RTC whose calls are all on the origin chain (the gateway without cross-chain calls). Then RTC
/// latency (blocks and ms, p50/p99): atomic and async inside the cluster, on automining chains and on
/// chains sealing every 100 ms.
/// </summary>
internal static class RtcBenchmark
{
    private static readonly IReadOnlyList<DevAccount> Accounts = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 4);
    private const string SendRtc =
        "sendRtc(((uint256,address,bytes,uint8,address,uint256,uint256,address,uint64,bool)[],(uint16,uint16,uint16,uint32)[],bool,uint64))";

    public static int Run(string[] args)
    {
        var runs = 200;
        for (var i = 0; i < args.Length; i++)
            if (args[i] == "--runs" && i + 1 < args.Length) runs = int.Parse(args[++i], CultureInfo.InvariantCulture);
        Gas().GetAwaiter().GetResult();
        Latency("automine", TimeSpan.Zero, runs).GetAwaiter().GetResult();
        Latency("100 ms blocks", TimeSpan.FromMilliseconds(100), Math.Max(1, runs / 4)).GetAwaiter().GetResult();
        External(Math.Max(1, runs / 4)).GetAwaiter().GetResult();
        return 0;
    }

    private static NodeCluster Create(TimeSpan blockTime, out RtcModule module)
    {
        module = new RtcModule();
        return NodeCluster.Create(new ClusterOptions
        {
            Chains = Enumerable.Range(0, 3).Select(i => new ClusterChainOptions { ChainId = 901 + (ulong)i, BlockTime = blockTime }).ToList(),
            Accounts = Accounts,
            GenesisTimestamp = 1_700_000_000,
        }, null, [module]);
    }

    private static async Task Gas()
    {
        await using var cluster = Create(TimeSpan.Zero, out _);
        var (a, b, c) = (cluster.Chains[0], cluster.Chains[1], cluster.Chains[2]);
        var vaults = cluster.Chains.Select(chain => Receipt(chain, 0, null, ClusterBenchKit.Artifact("RtcVault"), 2_000_000).ContractAddress!.Value).ToArray();
        var user = Accounts[1].Address;
        var deposit = Abi.Call("add(address,uint256)", user, 1UL);
        // Every vault has a deposit already, so every measured deposit updates a non-zero slot.
        foreach (var (chain, i) in cluster.Chains.Select((ch, i) => (ch, i))) Receipt(chain, 1, vaults[i], deposit);

        Console.WriteLine("RTC gas (gasUsed of the sending transaction; each call is RtcVault.add(user, 1))");
        Console.WriteLine($"{"k",3}  {"k plain txs on A",17}  {"atomic RTC, k on A",19}  {"atomic RTC A->B",16}  {"atomic RTC A->B,C",18}  {"per call A->B",14}");
        foreach (var k in new[] { 1, 4, 16 })
        {
            ulong plain = 0;
            for (var i = 0; i < k; i++) plain += Receipt(a, 1, vaults[0], deposit).GasUsed;
            var local = Rtc(a, Enumerable.Repeat(Call(a.ChainId, vaults[0], deposit), k));
            var toB = Rtc(a, Enumerable.Repeat(Call(b.ChainId, vaults[1], deposit), k));
            var spread = Rtc(a, Enumerable.Range(0, k).Select(i => i % 2 == 0 ? Call(b.ChainId, vaults[1], deposit) : Call(c.ChainId, vaults[2], deposit)));
            Console.WriteLine($"{k,3}  {plain,17:N0}  {local,19:N0}  {toB,16:N0}  {spread,18:N0}  {toB / (ulong)k,14:N0}");
        }
        Console.WriteLine();
    }

    private static async Task Latency(string label, TimeSpan blockTime, int runs)
    {
        await using var cluster = Create(blockTime, out var module);
        if (blockTime > TimeSpan.Zero) cluster.Start(); // the interval scheduler
        var (a, b) = (cluster.Chains[0], cluster.Chains[1]);
        var vaultB = WaitReceipt(b, Send(b, 0, null, ClusterBenchKit.Artifact("RtcVault"), 2_000_000)).ContractAddress!.Value;
        var deposit = Abi.Call("deposit(address,uint256)", Accounts[1].Address, 1UL);
        var atomicMs = new List<double>();
        var asyncMs = new List<double>();
        var asyncBlocks = new List<double>();
        for (var run = 0; run < runs; run++)
        {
            var watch = Stopwatch.StartNew();
            var atomic = WaitReceipt(a, Send(a, 1, RtcPredeploys.Gateway, Encode(true, [Call(b.ChainId, vaultB, deposit)]), 1_000_000));
            atomicMs.Add(watch.Elapsed.TotalMilliseconds);
            if (Indexed(module, IdOf(atomic)).Status != RtcStatus.Ack) throw new InvalidOperationException("an atomic RTC was not acknowledged");

            watch.Restart();
            var sent = WaitReceipt(a, Send(a, 1, RtcPredeploys.Gateway, Encode(false, [Call(b.ChainId, vaultB, deposit)]), 1_000_000));
            var id = IdOf(sent);
            RtcRecord record;
            while ((record = Indexed(module, id)).Status == RtcStatus.Pending) Thread.Sleep(1);
            asyncMs.Add(watch.Elapsed.TotalMilliseconds);
            if (record.Status != RtcStatus.Ack) throw new InvalidOperationException("an async RTC was not acknowledged");
            asyncBlocks.Add(record.SettledBlockNumber!.Value - record.SentBlockNumber!.Value);
        }
        Console.WriteLine($"RTC latency, {label}, {runs} runs (submit to ACK on the origin; 3 chains, calls on B from A)");
        Console.WriteLine($"  atomic: 0 blocks (ACK in its own transaction); ms p50 {P(atomicMs, 50):F2}  p99 {P(atomicMs, 99):F2}");
        Console.WriteLine($"  async:  origin blocks sent->ACK p50 {P(asyncBlocks, 50):F0}  p99 {P(asyncBlocks, 99):F0}; ms p50 {P(asyncMs, 50):F2}  p99 {P(asyncMs, 99):F2}");
        Console.WriteLine();
    }

    /// <summary>
    /// An async RTC from an automining cluster chain to a real anvil (automining) through the node's relayer
    /// (polling every 20 ms), and its ACK back: submit to ACK on the origin, and the origin blocks in between.
    /// </summary>
    private static async Task External(int runs)
    {
        var anvilPath = AnvilPath();
        if (anvilPath is null)
        {
            Console.WriteLine("RTC latency, external: skipped (anvil is not installed: npm ci in bench/load)");
            return;
        }
        var port = FreePort();
        using var anvil = Process.Start(new ProcessStartInfo(anvilPath, ["--host", "127.0.0.1", "--port", port.ToString(CultureInfo.InvariantCulture), "--quiet"]))!;
        try
        {
            var url = new Uri($"http://127.0.0.1:{port}");
            using var http = new HttpClient();
            async Task<System.Text.Json.JsonElement> Rpc(string method, params object[] parameters)
            {
                for (var attempt = 0; ; attempt++)
                {
                    try
                    {
                        using var response = await http.PostAsync(url, new StringContent(System.Text.Json.JsonSerializer.Serialize(new { jsonrpc = "2.0", id = 1, method, @params = parameters }),
                            System.Text.Encoding.UTF8, "application/json"));
                        using var json = System.Text.Json.JsonDocument.Parse(await response.Content.ReadAsStringAsync());
                        return json.RootElement.GetProperty("result").Clone();
                    }
                    catch (HttpRequestException) when (attempt < 100)
                    {
                        await Task.Delay(100); // anvil is starting
                    }
                }
            }
            async Task<Address> Deploy(byte[] code)
            {
                var from = (await Rpc("eth_accounts"))[0].GetString()!;
                var hash = (await Rpc("eth_sendTransaction", new { from, data = Hex.Encode(code), gas = "0x1c9c380" })).GetString()!;
                System.Text.Json.JsonElement receipt;
                while ((receipt = await Rpc("eth_getTransactionReceipt", hash)).ValueKind != System.Text.Json.JsonValueKind.Object) await Task.Delay(10);
                return Address.Parse(receipt.GetProperty("contractAddress").GetString()!);
            }
            var key = Keccak256.Compute("thalamus.bench.relayer"u8).Bytes.ToArray();
            var relayer = Secp256k1.PrivateKeyToAddress(key);
            await Rpc("eth_chainId"); // waits until anvil listens
            await Rpc("anvil_setBalance", relayer.ToString(), "0x56bc75e2d63100000");
            var gateway = await Deploy([.. ClusterBenchKit.Artifact("Thalamus"), .. Abi.Encode(AbiValue.Array(relayer))]);
            var vault = await Deploy(ClusterBenchKit.Artifact("RtcVault"));
            const ulong external = 31337;

            var module = new RtcModule(new RtcOptions
            {
                External = [new ExternalChainOptions { ChainId = external, Rpc = url, Gateway = gateway, Relayers = [new RelayerOptions { Name = "bench", PrivateKey = key }] }],
                PollInterval = TimeSpan.FromMilliseconds(20),
            });
            await using var cluster = NodeCluster.Create(new ClusterOptions
            {
                Chains = [new ClusterChainOptions { ChainId = 901 }],
                Accounts = Accounts,
            }, null, [module]);
            await using var _ = module;
            var a = cluster.Chains[0];
            var deposit = Abi.Call("add(address,uint256)", Accounts[1].Address, 1UL);
            var ms = new List<double>();
            var blocks = new List<double>();
            for (var run = 0; run < runs; run++)
            {
                var watch = Stopwatch.StartNew();
                var rtc = Abi.Call(SendRtc, AbiValue.Tuple(AbiValue.Array(Call(external, vault, deposit)), AbiValue.Array(), false, a.Head.Timestamp + 600));
                var id = IdOf(WaitReceipt(a, Send(a, 1, RtcPredeploys.Gateway, rtc, 1_000_000)));
                RtcRecord record;
                while ((record = Indexed(module, id)).Status == RtcStatus.Pending) Thread.Sleep(1);
                ms.Add(watch.Elapsed.TotalMilliseconds);
                if (record.Status != RtcStatus.Ack) throw new InvalidOperationException("an external RTC was not acknowledged");
                blocks.Add(record.SettledBlockNumber!.Value - record.SentBlockNumber!.Value);
            }
            Console.WriteLine($"RTC latency, external, {runs} runs (submit to ACK on the origin; automining 901 -> anvil 31337 -> 901, one relayer polling every 20 ms)");
            Console.WriteLine($"  external: origin blocks sent->ACK p50 {P(blocks, 50):F0}  p99 {P(blocks, 99):F0}; ms p50 {P(ms, 50):F2}  p99 {P(ms, 99):F2}");
            Console.WriteLine();
        }
        finally
        {
            anvil.Kill(entireProcessTree: true);
            await anvil.WaitForExitAsync();
        }
    }

    private static string? AnvilPath()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "bench", "load", "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");
            if (File.Exists(path)) return path;
        }
        return null;
    }

    private static int FreePort()
    {
        using var listener = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        listener.Start();
        return ((System.Net.IPEndPoint)listener.LocalEndpoint).Port;
    }

    /// <summary>The index follows sealed blocks on the sealing thread: a receipt may be readable a moment before.</summary>
    private static RtcRecord Indexed(RtcModule module, Hash256 id)
    {
        RtcRecord? record;
        while ((record = module.GetRtc(id)) is null) Thread.Sleep(1);
        return record;
    }

    private static double P(List<double> sample, double percentile) => ClusterStatistics.Percentile(sample, percentile);

    private static AbiValue Call(ulong chainId, Address target, byte[] data) =>
        AbiValue.Tuple(chainId, target, AbiValue.Bytes(data), 0UL, Address.Zero, 0UL, 0UL, Address.Zero, 0UL, false);

    private static byte[] Encode(bool atomic, IEnumerable<AbiValue> calls) =>
        Abi.Call(SendRtc, AbiValue.Tuple(AbiValue.Array([.. calls]), AbiValue.Array(), atomic, 0UL));

    private static ulong Rtc(MemberChain origin, IEnumerable<AbiValue> calls)
    {
        var receipt = Receipt(origin, 1, RtcPredeploys.Gateway, Encode(true, calls), 20_000_000);
        return receipt.GasUsed;
    }

    private static Hash256 IdOf(TransactionReceipt receipt) =>
        receipt.Logs.First(l => l.Address == RtcPredeploys.Gateway && l.Topics[0] == RtcSentTopic).Topics[1];

    private static readonly Hash256 RtcSentTopic = Abi.EventTopic("RtcSent(bytes32,address,uint256,bool,uint64,uint256[])");

    private static TransactionReceipt Receipt(MemberChain chain, int account, Address? to, byte[] data, ulong gas = 1_000_000)
    {
        var receipt = chain.GetReceipt(Send(chain, account, to, data, gas)) ?? throw new InvalidOperationException("not mined");
        if (!receipt.Success) throw new InvalidOperationException($"a benchmark transaction to {to} failed");
        return receipt;
    }

    private static TransactionReceipt WaitReceipt(MemberChain chain, Hash256 hash)
    {
        TransactionReceipt? receipt;
        while ((receipt = chain.GetReceipt(hash)) is null) Thread.Sleep(1);
        if (!receipt.Success) throw new InvalidOperationException("a benchmark transaction failed");
        return receipt;
    }

    private static Hash256 Send(MemberChain chain, int account, Address? to, byte[] data, ulong gas)
    {
        var key = Accounts[account];
        var tx = TransactionSigner.Sign(new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = chain.ChainId,
            Nonce = chain.GetTransactionCount(key.Address, BlockSelector.Pending),
            MaxFeePerGas = new UInt256(100_000_000_000),
            MaxPriorityFeePerGas = new UInt256(1_000_000_000),
            GasLimit = gas,
            To = to,
            Data = data,
        }, key.PrivateKey);
        return chain.SendTransaction(tx);
    }
}
