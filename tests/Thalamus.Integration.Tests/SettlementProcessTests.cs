using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Settlement;
using Xunit;
using Xunit.Abstractions;

namespace Thalamus.Integration.Tests;

/// <summary>
/// Joint settlement across processes: a persistent <c>thalamus devnet --settle</c> (embedded parent) asserts a false
/// batch (fault injected); one <c>thalamus verify</c> process challenges it and is killed with SIGKILL, the node is
/// killed with SIGKILL too, both restart, a second verifier process (the arbiter) re-derives everything from the parent
/// and rules; the false batch is rejected, its bond goes to the challenger, and the node asserts the slots again, which
/// the verifier finds true.
/// </summary>
public sealed partial class SettlementProcessTests(ITestOutputHelper output) : IDisposable
{
    private static readonly IReadOnlyList<DevAccount> Accounts = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 10);
    private readonly string _dataDir = Directory.CreateTempSubdirectory("thalamus-settlement-process-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_dataDir, recursive: true); } catch (IOException) { }
    }

    [Fact]
    public async Task A_verifier_process_challenges_a_false_batch_and_after_kill_9_of_it_and_of_the_node_the_arbiter_rejects_it()
    {
        // The parent keeps its port across the node's restart (the verifiers and this test talk to it).
        var parentPort = AnvilProcess.FreePort();
        string[] arguments = ["--chains", "2", "--base-port", "0", "--data-dir", _dataDir, "--settle", "--parent-port", parentPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--slots-per-batch", "2",
            "--challenge-window", "60s", "--fault-slot", "3"];
        var devnet = await ClusterDevnetProcess.StartAsync(arguments);
        VerifierProcess? challenger = null, arbiter = null;
        try
        {
            var (parentUrl, contractAddress) = ParentLine(devnet.Output);
            using var parent = new JsonRpcParentChain(parentUrl);
            var contract = new SettlementContract(parent, contractAddress);
            using var http = new HttpClient();
            for (var i = 0; i < 8; i++) await Transfer(http, devnet.Endpoints[i % 2].HttpUrl);

            // The faulty batch (slots 3..4) is asserted; the first verifier (a challenger only) challenges it.
            challenger = VerifierProcess.Start(parentUrl, contractAddress, "--challenger-key", Accounts[8].PrivateKeyHex);
            var faulty = await Until(() => Enumerable.Range(0, (int)contract.BatchCount()).Select(i => contract.Batch((ulong)i))
                .FirstOrDefault(b => b.FirstSlot == 3 && b.Status == BatchStatus.Challenged), "the false batch is challenged", challenger, devnet);
            var challengerBalance = parent.BalanceOf(Accounts[8].Address);

            // kill -9 of the challenger and of the node in the middle of the dispute; the node restarts on its data.
            challenger.KillHard();
            await devnet.KillHardAsync();
            devnet = await ClusterDevnetProcess.StartAsync(arguments);
            Assert.Equal(contractAddress, ParentLine(devnet.Output).Contract);

            // A second verifier process, with the arbiter's key, re-derives everything from the parent and rules.
            arbiter = VerifierProcess.Start(parentUrl, contractAddress, "--arbiter-key", Accounts[9].PrivateKeyHex, "--challenger-key", Accounts[8].PrivateKeyHex);
            await Until(() => contract.Batch(faulty.Index).Status == BatchStatus.Rejected ? "rejected" : null, "the arbiter rejects the false batch", arbiter, devnet);
            Assert.Equal(challengerBalance + contract.AssertionBond() + contract.ChallengeBond(), parent.BalanceOf(Accounts[8].Address));

            // The node asserts slots 3.. again, honestly; the verifier follows and agrees.
            await Until(() => RepostHolds().Match(arbiter.Output) is { Success: true } m && ulong.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > faulty.Index ? m.Value : null,
                "the slots asserted again hold", arbiter, devnet);
            Assert.Contains($"batch {faulty.Index} (slots 3..4) is FALSE", challenger.Output);
            Assert.Contains($"ruled on batch {faulty.Index}: the assertion is false", arbiter.Output);
            await AssertRolledBack(devnet, faulty.Index);
        }
        finally
        {
            challenger?.KillHard();
            arbiter?.KillHard();
            await devnet.DisposeAsync();
        }
    }

    [Fact]
    public async Task A_node_killed_by_sigkill_between_two_chains_rewinds_of_a_rollback_finishes_it_at_restart_and_the_verifier_agrees()
    {
        var parentPort = AnvilProcess.FreePort();
        string[] arguments = ["--chains", "2", "--base-port", "0", "--data-dir", _dataDir, "--settle", "--parent-port", parentPort.ToString(System.Globalization.CultureInfo.InvariantCulture), "--slots-per-batch", "2",
            "--challenge-window", "60s", "--fault-slot", "3"];
        // The node kills itself (SIGKILL) right after the first chain of its rollback is rewound.
        var devnet = await ClusterDevnetProcess.StartAsync([.. arguments, "--fault-kill-in-rollback"]);
        VerifierProcess? verifier = null;
        try
        {
            var (parentUrl, contractAddress) = ParentLine(devnet.Output);
            using var parent = new JsonRpcParentChain(parentUrl);
            var contract = new SettlementContract(parent, contractAddress);
            using var http = new HttpClient();
            var (a, b) = (devnet.Endpoints[0], devnet.Endpoints[1]);
            // Slots: 1 A, 2 B, 3 A sends a message to B (B delivers it in the same slot), then 4.. transfers. The false assertion is
            // about slot 3's first block, A's: the rollback discards it and B's delivery block, so two chains are rewound.
            await Transfer(http, a.HttpUrl);
            await Transfer(http, b.HttpUrl);
            await Send(http, a.HttpUrl, Thalamus.Cluster.ClusterPredeploys.Messenger,
                Abi.Call("sendMessage(uint256,address,bytes)", b.ChainId, Accounts[2].Address, AbiValue.Bytes([1, 2, 3])));
            for (var i = 0; i < 4; i++) await Transfer(http, devnet.Endpoints[(i + 1) % 2].HttpUrl);

            verifier = VerifierProcess.Start(parentUrl, contractAddress, "--challenger-key", Accounts[8].PrivateKeyHex, "--arbiter-key", Accounts[9].PrivateKeyHex);
            var rejected = await Until(() => Enumerable.Range(0, (int)contract.BatchCount()).Select(i => contract.Batch((ulong)i))
                .FirstOrDefault(batch => batch.FirstSlot == 3 && batch.Status == BatchStatus.Rejected), "the false batch is rejected", verifier, devnet);

            // The node sees the verdict, stores the rollback's intent, rewinds chain A and dies.
            await Until(() => devnet.HasExited ? "exited" : null, "the node kills itself in the middle of the rollback", verifier, devnet);
            var killed = devnet.Output;
            Assert.Contains($"fault injection: killing the node (SIGKILL) in the middle of a rollback, after chain {a.ChainId} was rewound", killed);
            Assert.DoesNotContain("cluster: rolled back from chain", killed);
            verifier.KillHard();
            await devnet.DisposeAsync();

            // The restart finishes the rollback before anything else; the node asserts the slots again and a verifier agrees.
            devnet = await ClusterDevnetProcess.StartAsync(arguments);
            Assert.Contains($"cluster: completed an interrupted rollback: rolled back from chain {a.ChainId} block", devnet.Output);
            using var rpc = new ClusterJsonRpc(devnet.Endpoints[0].HttpUrl);
            var rollback = (await rpc.CallAsync("cluster_status")).GetProperty("rollback");
            Assert.True(rollback.GetProperty("resumed").GetBoolean());
            Assert.StartsWith($"settlement batch {rejected.Index} (slots 3..4) was proven false", rollback.GetProperty("reason").GetString());
            Assert.Equal([Quantity(a.ChainId), Quantity(b.ChainId)], rollback.GetProperty("discarded").EnumerateArray().Select(d => d.GetProperty("chainId").GetString()));
            // The cluster goes on: new slots fill the batches the node asserts again from slot 3.
            for (var i = 0; i < 4; i++) await Transfer(http, devnet.Endpoints[i % 2].HttpUrl);
            verifier = VerifierProcess.Start(parentUrl, contractAddress, "--challenger-key", Accounts[8].PrivateKeyHex, "--arbiter-key", Accounts[9].PrivateKeyHex);
            await Until(() => RepostHolds().Match(verifier.Output) is { Success: true } m && ulong.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > rejected.Index ? m.Value : null,
                "the slots asserted again hold", verifier, devnet);
            Assert.Equal(1, Regex.Count(devnet.Output, "cluster: (completed an interrupted rollback: )?rolled back from chain"));
        }
        finally
        {
            verifier?.KillHard();
            await devnet.DisposeAsync();
        }
    }

    private static string Quantity(ulong value) => "0x" + value.ToString("x", System.Globalization.CultureInfo.InvariantCulture);

    [AnvilFact]
    public async Task With_anvil_as_the_parent_a_verifier_process_follows_challenges_the_false_batch_and_the_node_re_asserts()
    {
        await using var anvil = await AnvilProcess.StartAsync("--block-time", "1");
        ClusterDevnetProcess? devnet = null;
        VerifierProcess? verifier = null;
        try
        {
            var parentUrl = anvil.Url;
            using var parent = new JsonRpcParentChain(parentUrl);
            await Until(() => parent.ChainId == 31337 ? "up" : null, "anvil answers", null, null);
            devnet = await ClusterDevnetProcess.StartAsync("--chains", "2", "--base-port", "0", "--ephemeral", "--parent-rpc", parentUrl.ToString(),
                "--slots-per-batch", "2", "--challenge-window", "60s", "--fault-slot", "3");
            var contractAddress = Address.Parse(AnyParentRow().Match(devnet.Output).Groups["contract"].Value);
            var contract = new SettlementContract(parent, contractAddress);
            using var http = new HttpClient();
            for (var i = 0; i < 8; i++) await Transfer(http, devnet.Endpoints[i % 2].HttpUrl);

            verifier = VerifierProcess.Start(parentUrl, contractAddress, "--challenger-key", Accounts[8].PrivateKeyHex, "--arbiter-key", Accounts[9].PrivateKeyHex);
            var rejected = await Until(() => Enumerable.Range(0, (int)contract.BatchCount()).Select(i => contract.Batch((ulong)i))
                .FirstOrDefault(b => b.FirstSlot == 3 && b.Status == BatchStatus.Rejected), "the false batch is rejected", verifier, devnet);
            await Until(() => RepostHolds().Match(verifier.Output) is { Success: true } m && ulong.Parse(m.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture) > rejected.Index ? m.Value : null,
                "the slots asserted again hold", verifier, devnet);
            Assert.Contains("batch 0 (slots 1..2) holds", verifier.Output);
            Assert.Contains($"ruled on batch {rejected.Index}: the assertion is false", verifier.Output);
            await AssertRolledBack(devnet, rejected.Index);
        }
        finally
        {
            verifier?.KillHard();
            if (devnet is not null) await devnet.DisposeAsync();
        }
    }

    [AnvilFact]
    public async Task Settlement_deploy_puts_the_contract_on_anvil_for_a_configuration_and_a_devnet_given_its_address_settles_on_it()
    {
        await using var anvil = await AnvilProcess.StartAsync("--block-time", "1");
        ClusterDevnetProcess? devnet = null;
        try
        {
            using var parent = new JsonRpcParentChain(anvil.Url);
            await Until(() => parent.ChainId == 31337 ? "up" : null, "anvil answers", null, null);
            var config = Path.Combine(_dataDir, "cluster.yaml");
            await File.WriteAllTextAsync(config, "genesisTimestamp: 1750000000\nchains:\n  - chainId: 901\n  - chainId: 902\n");
            var loose = Path.Combine(_dataDir, "loose.yaml");
            await File.WriteAllTextAsync(loose, "chains:\n  - chainId: 901\n");

            // Without a fixed genesis timestamp the genesis cannot be committed to ahead of the node: refused with the reason.
            var refused = await Cli("settlement", "deploy", "--parent", anvil.Url.ToString(), "--key", Accounts[7].PrivateKeyHex, "--config", loose);
            Assert.Equal(2, refused.ExitCode);
            Assert.Contains("whose timestamp must be fixed", refused.Output);

            var deployed = await Cli("settlement", "deploy", "--parent", anvil.Url.ToString(), "--key", Accounts[7].PrivateKeyHex, "--config", config);
            Assert.True(deployed.Succeeded, deployed.Output);
            var address = Address.Parse(DeployedAddress().Match(deployed.Output).Value.Trim());
            var contract = new SettlementContract(parent, address);
            Assert.Equal(1UL, contract.NextSlot());

            // The devnet of the same configuration takes it (its genesis commitment matches) and settles on it.
            devnet = await ClusterDevnetProcess.StartAsync("--config", config, "--base-port", "0", "--ephemeral", "--parent-rpc", anvil.Url.ToString(),
                "--settlement", address.ToString(), "--slots-per-batch", "1");
            Assert.Equal(address, Address.Parse(AnyParentRow().Match(devnet.Output).Groups["contract"].Value));
            using var http = new HttpClient();
            await Transfer(http, devnet.Endpoints[0].HttpUrl);
            await Until(() => contract.BatchCount() > 0 ? "posted" : null, "the devnet asserts a batch on the deployed contract", null, devnet);
            Assert.Equal(2UL, contract.NextSlot());
        }
        finally
        {
            if (devnet is not null) await devnet.DisposeAsync();
        }
    }

    /// <summary>The node rolled back from the disputed block of the rejected batch: cluster_status says what and why, and the log line too.</summary>
    private static async Task AssertRolledBack(ClusterDevnetProcess devnet, ulong rejected)
    {
        using var rpc = new ClusterJsonRpc(devnet.Endpoints[0].HttpUrl);
        var rollback = (await rpc.CallAsync("cluster_status")).GetProperty("rollback");
        Assert.Equal(JsonValueKind.Object, rollback.ValueKind);
        Assert.StartsWith($"settlement batch {rejected} (slots 3..4) was proven false", rollback.GetProperty("reason").GetString());
        Assert.Equal(rollback.GetProperty("chainId").GetString(), rollback.GetProperty("discarded")[0].GetProperty("chainId").GetString());
        Assert.Contains("cluster: rolled back from chain", devnet.Output);
    }

    private static Task<ProcessResult> Cli(params string[] arguments)
    {
        var info = ClusterCliLauncher.StartInfo();
        return ExternalProcess.RunAsync(info.FileName, [.. info.ArgumentList, .. arguments], Directory.GetCurrentDirectory(), TimeSpan.FromMinutes(2));
    }

    [GeneratedRegex(@"(?m)^0x[0-9a-fA-F]{40}\s*$")]
    private static partial Regex DeployedAddress();

    private async Task<T> Until<T>(Func<T?> probe, string what, VerifierProcess? verifier, ClusterDevnetProcess? devnet)
    {
        var deadline = Stopwatch.StartNew();
        while (deadline.Elapsed < TimeSpan.FromSeconds(90))
        {
            try
            {
                if (probe() is { } found) return found;
            }
            catch (ParentChainException)
            {
                // The parent is restarting with the node.
            }
            await Task.Delay(200);
        }
        output.WriteLine(devnet?.Output ?? "");
        output.WriteLine(verifier?.Output ?? "");
        throw new TimeoutException($"{what}: not within 90 s");
    }

    private static (Uri Parent, Address Contract) ParentLine(string banner)
    {
        var match = ParentRow().Match(banner);
        Assert.True(match.Success, "the banner names the parent chain: " + banner);
        return (new Uri(match.Groups["url"].Value), Address.Parse(match.Groups["contract"].Value));
    }

    private static async Task Send(HttpClient http, Uri chain, Address to, byte[] data)
    {
        var body = $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendTransaction\",\"params\":[{{\"from\":\"{Accounts[0].Address}\",\"to\":\"{to}\",\"data\":\"{Hex.Encode(data)}\"}}]}}";
        using var response = await http.PostAsync(chain, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("\"error\"", text);
    }

    private static async Task Transfer(HttpClient http, Uri chain)
    {
        var body = $"{{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_sendTransaction\",\"params\":[{{\"from\":\"{Accounts[0].Address}\",\"to\":\"{Accounts[1].Address}\",\"value\":\"0x1\"}}]}}";
        using var response = await http.PostAsync(chain, new StringContent(body, Encoding.UTF8, "application/json"));
        var text = await response.Content.ReadAsStringAsync();
        Assert.DoesNotContain("\"error\"", text);
    }

    [GeneratedRegex(@"Parent:\s+chain \d+ at (?<url>http://\S+) \(embedded\); settlement contract (?<contract>0x[0-9a-fA-F]{40})")]
    private static partial Regex ParentRow();

    [GeneratedRegex(@"Parent:\s+chain \d+ at \S+.*settlement contract (?<contract>0x[0-9a-fA-F]{40})")]
    private static partial Regex AnyParentRow();

    [GeneratedRegex(@"batch (\d+) \(slots 3\.\.4\) holds")]
    private static partial Regex RepostHolds();

    /// <summary>A <c>thalamus verify</c> process and everything it printed.</summary>
    private sealed class VerifierProcess
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private VerifierProcess(Process process) => _process = process;

        public string Output
        {
            get { lock (_output) return _output.ToString(); }
        }

        public static VerifierProcess Start(Uri parent, Address contract, params string[] keys)
        {
            var info = ClusterCliLauncher.StartInfo();
            foreach (var argument in (string[])["verify", "--parent", parent.ToString(), "--settlement", contract.ToString(), "--interval", "200ms", .. keys])
                info.ArgumentList.Add(argument);
            info.RedirectStandardOutput = true;
            info.RedirectStandardError = true;
            info.UseShellExecute = false;
            var process = new Process { StartInfo = info };
            var verifier = new VerifierProcess(process);
            process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (verifier._output) verifier._output.AppendLine(e.Data); };
            process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (verifier._output) verifier._output.AppendLine(e.Data); };
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return verifier;
        }

        /// <summary>SIGKILL (Process.Kill on Linux).</summary>
        public void KillHard()
        {
            try
            {
                if (!_process.HasExited) _process.Kill(entireProcessTree: true);
                _process.WaitForExit();
            }
            catch (InvalidOperationException)
            {
            }
        }
    }
}
