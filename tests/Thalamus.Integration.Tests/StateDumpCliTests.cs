using System.Globalization;
using System.Text.Json;
using Thalamus.Core;
using Thalamus.Crypto;
using Xunit;

namespace Thalamus.Integration.Tests;

/// <summary>
/// <c>thalamus devnet --dump-state</c> / <c>--load-state</c> across two runs, and anvil_dumpState /
/// anvil_loadState between a devnet chain and a real anvil.
/// </summary>
public sealed class StateDumpCliTests : IDisposable
{
    private static readonly IReadOnlyList<DevAccount> Accounts = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 3);
    private const string Target = "0x00000000000000000000000000000000000000aa";
    private static readonly string Word42 = "0x" + new string('0', 62) + "2a";

    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-state-dump-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    [Fact]
    public async Task A_devnet_dumped_at_a_clean_stop_restarts_from_the_dump_with_the_same_state_root_on_every_chain()
    {
        var file = Path.Combine(_directory, "cluster-state.json");
        var roots = new Dictionary<ulong, string>();
        var balances = new Dictionary<ulong, string>();
        await using (var devnet = await ClusterDevnetProcess.StartAsync("--chains", "2", "--base-port", "0", "--dump-state", file))
        {
            foreach (var endpoint in devnet.Endpoints)
            {
                using var rpc = new ClusterJsonRpc(endpoint.HttpUrl);
                // A different change on each chain: a transfer (a block) and a storage write (pending until the next block).
                await rpc.CallAsync("eth_sendTransaction", new { from = Accounts[0].Address.ToString(), to = Accounts[2].Address.ToString(), value = "0x" + (endpoint.ChainId * 1000).ToString("x", CultureInfo.InvariantCulture) });
                await rpc.CallAsync("anvil_setStorageAt", Target, "0x1", Word42);
                await rpc.CallAsync("evm_mine");
                roots[endpoint.ChainId] = (await rpc.CallAsync("eth_getBlockByNumber", "latest", false)).GetProperty("stateRoot").GetString()!;
                balances[endpoint.ChainId] = (await rpc.CallAsync("eth_getBalance", Accounts[2].Address.ToString(), "latest")).GetString()!;
            }
            Assert.Equal(0, await devnet.StopAsync());
            Assert.Contains("written to " + file, devnet.Output, StringComparison.Ordinal);
        }
        Assert.NotEqual(roots.Values.First(), roots.Values.Last());

        await using var restarted = await ClusterDevnetProcess.StartAsync("--chains", "2", "--base-port", "0", "--load-state", file);
        Assert.Equal(roots.Keys.Order(), restarted.Endpoints.Select(e => e.ChainId).Order());
        foreach (var endpoint in restarted.Endpoints)
        {
            using var rpc = new ClusterJsonRpc(endpoint.HttpUrl);
            var genesis = await rpc.CallAsync("eth_getBlockByNumber", "0x0", false);
            Assert.Equal(roots[endpoint.ChainId], genesis.GetProperty("stateRoot").GetString());
            Assert.Equal(balances[endpoint.ChainId], (await rpc.CallAsync("eth_getBalance", Accounts[2].Address.ToString(), "latest")).GetString());
            Assert.Equal(Word42, (await rpc.CallAsync("eth_getStorageAt", Target, "0x1", "latest")).GetString());
        }
    }

    [Fact]
    public async Task A_node_dumped_at_a_clean_stop_restarts_from_the_dump_with_the_same_state_root()
    {
        var file = Path.Combine(_directory, "node-state.json");
        string root;
        await using (var node = await ThalamusNodeProcess.StartAsync("--dump-state", file))
        {
            using var rpc = new ClusterJsonRpc(node.HttpUrl);
            await rpc.CallAsync("eth_sendTransaction", new { from = Accounts[0].Address.ToString(), to = Target, value = "0x2a" });
            await rpc.CallAsync("anvil_setStorageAt", Target, "0x1", Word42);
            await rpc.CallAsync("evm_mine");
            root = (await rpc.CallAsync("eth_getBlockByNumber", "latest", false)).GetProperty("stateRoot").GetString()!;
        }
        // anvil's format: one chain's state object, not a cluster dump.
        using (var written = JsonDocument.Parse(await File.ReadAllTextAsync(file)))
            Assert.True(written.RootElement.GetProperty("accounts").TryGetProperty(Target, out _));

        await using var restarted = await ThalamusNodeProcess.StartAsync("--load-state", file);
        using var again = new ClusterJsonRpc(restarted.HttpUrl);
        Assert.Equal(root, (await again.CallAsync("eth_getBlockByNumber", "0x0", false)).GetProperty("stateRoot").GetString());
        Assert.Equal("0x2a", (await again.CallAsync("eth_getBalance", Target, "latest")).GetString());
    }

    [Fact]
    public async Task A_load_state_file_that_is_no_dump_stops_the_devnet_with_the_reason()
    {
        var file = Path.Combine(_directory, "not-a-dump.json");
        await File.WriteAllTextAsync(file, "{\"hello\": 1}");

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ClusterDevnetProcess.StartAsync("--chains", "1", "--base-port", "0", "--load-state", file));

        Assert.Contains($"--load-state {file}: the state dump has no \"accounts\" object", error.Message, StringComparison.Ordinal);
    }

    [AnvilFact]
    public async Task Anvil_and_a_devnet_chain_load_each_other_s_dumps()
    {
        await using var anvil = await AnvilProcess.StartAsync();
        await using var devnet = await ClusterDevnetProcess.StartAsync("--chains", "1", "--base-port", "0");
        using var anvilRpc = new ClusterJsonRpc(anvil.Url);
        using var thalamus = new ClusterJsonRpc(devnet.Endpoints[0].HttpUrl);
        var slot = "0x" + new string('0', 63) + "7";

        // anvil -> thalamus: a transfer (nonce, balances) and code with storage.
        var transfer = await anvilRpc.CallAsync("eth_sendTransaction", new { from = Accounts[1].Address.ToString(), to = Target, value = "0x1234" });
        Assert.Equal("0x1", (await AnvilProcess.MinedReceipt(anvilRpc, transfer.GetString())).GetProperty("status").GetString());
        await anvilRpc.CallAsync("anvil_setCode", Target, "0x6001600055");
        await anvilRpc.CallAsync("anvil_setStorageAt", Target, slot, Word42);
        var fromAnvil = (await anvilRpc.CallAsync("anvil_dumpState")).GetString();
        Assert.True((await thalamus.CallAsync("anvil_loadState", fromAnvil)).GetBoolean());
        Assert.Equal("0x1234", (await thalamus.CallAsync("eth_getBalance", Target, "latest")).GetString());
        Assert.Equal("0x6001600055", (await thalamus.CallAsync("eth_getCode", Target, "latest")).GetString());
        Assert.Equal(Word42, (await thalamus.CallAsync("eth_getStorageAt", Target, slot, "latest")).GetString());
        Assert.Equal(
            (await anvilRpc.CallAsync("eth_getBalance", Accounts[1].Address.ToString(), "latest")).GetString(),
            (await thalamus.CallAsync("eth_getBalance", Accounts[1].Address.ToString(), "latest")).GetString());
        Assert.Equal("0x1", (await thalamus.CallAsync("eth_getTransactionCount", Accounts[1].Address.ToString(), "latest")).GetString());

        // thalamus -> anvil: the cluster's predeploys and a slot written on thalamus.
        var other = "0x00000000000000000000000000000000000000bb";
        await thalamus.CallAsync("anvil_setStorageAt", other, "0x3", Word42);
        var fromThalamus = (await thalamus.CallAsync("anvil_dumpState")).GetString();
        Assert.True((await anvilRpc.CallAsync("anvil_loadState", fromThalamus)).GetBoolean());
        Assert.Equal(Word42, (await anvilRpc.CallAsync("eth_getStorageAt", other, "0x3", "latest")).GetString());
        var messenger = "0x4200000000000000000000000000000000000023";
        Assert.Equal(
            (await thalamus.CallAsync("eth_getCode", messenger, "latest")).GetString(),
            (await anvilRpc.CallAsync("eth_getCode", messenger, "latest")).GetString());
    }
}
