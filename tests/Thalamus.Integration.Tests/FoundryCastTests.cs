using System.Globalization;
using System.Text.Json;
using Xunit;
using Xunit.Abstractions;

namespace Thalamus.Integration.Tests;

/// <summary>
/// Foundry's <c>cast</c> 1.7.1, unchanged, against a running <c>thalamus devnet</c> (three automining
/// member chains): sends, calls, receipts, logs, <c>cast run</c> traces, storage, nonce and balance at
/// past blocks, impersonated sends and <c>cast rpc</c>. Each fact uses its own dev account.
/// </summary>
public sealed class FoundryCastTests(ClusterDevnetFixture fixture, ITestOutputHelper output) : IClassFixture<ClusterDevnetFixture>
{
    // The anvil/Hardhat test mnemonic's accounts 5 to 8 (the devnet funds them on every chain).
    private const string Key5 = "0x8b3a350cf5c34c9194ca85829a2df0ec3153be0318b5e2d3348e872092edffba";
    private const string Key6 = "0x92db14e403b83dfe3df233f83dfa3a0d7096f21ca9b0d6d6b8d88b2b4ec1564e";
    private const string Key7 = "0x4bbbf85ce3377467afe5d46f804f221813b2bb87f24d81f60f1fcdbf7cbf4356";
    private const string Address8 = "0x23618e81E3f5cdF7f54C3d65f7FBc0aBf5B21E8f";
    private const string Stranger = "0x000000000000000000000000000000000000dEaD";
    private const string CrossChainCall = "0x4200000000000000000000000000000000000024";

    private async Task<string> Cast(params string[] arguments)
    {
        var result = await FoundryCast.RunAsync(arguments);
        output.WriteLine($"$ cast {string.Join(' ', arguments)}{Environment.NewLine}{result.Output}");
        Assert.True(result.Succeeded, $"cast {string.Join(' ', arguments)} failed (exit {result.ExitCode}):{Environment.NewLine}{result.Output}");
        return result.Output.Trim();
    }

    private async Task<string> Url(int chain) => (await fixture.GetAsync()).Endpoints[chain].Url;

    private static string Bytecode(string contract)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.ContractsDirectory, "artifacts", contract + ".json")));
        return json.RootElement.GetProperty("bytecode").GetString()!;
    }

    /// <summary><c>cast send --json</c>: the receipt.</summary>
    private async Task<JsonElement> Send(params string[] arguments)
    {
        using var receipt = JsonDocument.Parse(await Cast(["send", .. arguments, "--json"]));
        var root = receipt.RootElement.Clone();
        Assert.Equal("0x1", root.GetProperty("status").GetString());
        return root;
    }

    private async Task<string> Deploy(string url, string key, string contract) =>
        (await Send("--rpc-url", url, "--private-key", key, "--create", Bytecode(contract))).GetProperty("contractAddress").GetString()!;

    private static ulong Number(JsonElement receipt) => ulong.Parse(receipt.GetProperty("blockNumber").GetString()![2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture);

    [CastFact]
    public async Task Cast_sends_calls_and_reads_receipts_and_logs()
    {
        var url = await Url(0);
        Assert.Equal((await fixture.GetAsync()).Endpoints[0].ChainId.ToString(CultureInfo.InvariantCulture), await Cast("chain-id", "--rpc-url", url));
        var counter = await Deploy(url, Key5, "RemoteCounter");
        var receipt = await Send("--rpc-url", url, "--private-key", Key5, counter, "increment(uint256)", "3");
        var hash = receipt.GetProperty("transactionHash").GetString()!;

        Assert.Equal("3", await Cast("call", counter, "value()(uint256)", "--rpc-url", url));
        Assert.Equal("true", await Cast("receipt", hash, "status", "--rpc-url", url));
        var logs = await Cast("logs", "Incremented(address,uint256,uint256,uint256)", "--address", counter, "--from-block", "0", "--rpc-url", url, "--json");
        using var parsed = JsonDocument.Parse(logs);
        var log = Assert.Single(parsed.RootElement.EnumerateArray());
        Assert.Equal(hash, log.GetProperty("transactionHash").GetString());
        Assert.Equal(counter, log.GetProperty("address").GetString(), ignoreCase: true);
    }

    [CastFact]
    public async Task Cast_reads_storage_nonce_and_balance_at_past_blocks()
    {
        var url = await Url(0);
        var counter = await Deploy(url, Key6, "RemoteCounter");
        var first = await Send("--rpc-url", url, "--private-key", Key6, counter, "increment(uint256)", "2");
        var second = await Send("--rpc-url", url, "--private-key", Key6, counter, "increment(uint256)", "5", "--value", "0");
        var sender = first.GetProperty("from").GetString()!;
        var (before, after) = (Number(first).ToString(CultureInfo.InvariantCulture), Number(second).ToString(CultureInfo.InvariantCulture));

        Assert.Equal("0x0000000000000000000000000000000000000000000000000000000000000002", await Cast("storage", counter, "0", "--block", before, "--rpc-url", url));
        Assert.Equal("0x0000000000000000000000000000000000000000000000000000000000000007", await Cast("storage", counter, "0", "--block", after, "--rpc-url", url));
        var nonceBefore = ulong.Parse(await Cast("nonce", sender, "--block", before, "--rpc-url", url), CultureInfo.InvariantCulture);
        Assert.Equal(nonceBefore + 1, ulong.Parse(await Cast("nonce", sender, "--block", after, "--rpc-url", url), CultureInfo.InvariantCulture));
        var balanceBefore = System.Numerics.BigInteger.Parse(await Cast("balance", sender, "--block", before, "--rpc-url", url), CultureInfo.InvariantCulture);
        var balanceAfter = System.Numerics.BigInteger.Parse(await Cast("balance", sender, "--block", after, "--rpc-url", url), CultureInfo.InvariantCulture);
        Assert.True(balanceAfter < balanceBefore, $"the second transaction's fee must show: {balanceBefore} -> {balanceAfter}");
    }

    [CastFact]
    public async Task Cast_run_replays_a_transaction_and_prints_its_trace()
    {
        var url = await Url(1);
        var counter = await Deploy(url, Key7, "RemoteCounter");
        var receipt = await Send("--rpc-url", url, "--private-key", Key7, counter, "increment(uint256)", "4");
        var run = await Cast("run", receipt.GetProperty("transactionHash").GetString()!, "--rpc-url", url);
        Assert.Contains("Transaction successfully executed.", run);
        Assert.Contains("← [Return] 0x0000000000000000000000000000000000000000000000000000000000000004", run);
        Assert.Contains("emit topic 0:", run);
    }

    [CastFact]
    public async Task Cast_sends_from_an_impersonated_account_with_send_unlocked()
    {
        var url = await Url(0);
        Assert.Equal("null", await Cast("rpc", "anvil_impersonateAccount", Stranger, "--rpc-url", url));
        // Funded by a transfer (not anvil_setBalance), so the parent block's state that cast run forks has the ether, as on anvil.
        await Send("--rpc-url", url, "--private-key", Key5, Stranger, "--value", "1ether");
        var receipt = await Send("--rpc-url", url, "--unlocked", "--from", Stranger, Address8, "--value", "1000");
        Assert.Equal(Stranger, receipt.GetProperty("from").GetString(), ignoreCase: true);
        var hash = receipt.GetProperty("transactionHash").GetString()!;
        Assert.Equal(Stranger, await Cast("tx", hash, "from", "--rpc-url", url), ignoreCase: true);
        Assert.Contains("Transaction successfully executed.", await Cast("run", hash, "--rpc-url", url));

        Assert.Equal("null", await Cast("rpc", "anvil_stopImpersonatingAccount", Stranger, "--rpc-url", url));
        var refused = await FoundryCast.RunAsync("send", "--rpc-url", url, "--unlocked", "--from", Stranger, Address8, "--value", "1");
        Assert.False(refused.Succeeded);
        Assert.Contains("the node holds no key for it", refused.Output);
    }

    [CastFact]
    public async Task Cast_rpc_reaches_the_dev_pool_and_simulation_methods()
    {
        var url = await Url(2);
        using var info = JsonDocument.Parse(await Cast("rpc", "anvil_nodeInfo", "--rpc-url", url));
        Assert.Equal("cancun", info.RootElement.GetProperty("hardFork").GetString());
        using var pool = JsonDocument.Parse(await Cast("rpc", "txpool_status", "--rpc-url", url));
        Assert.Equal("0x0", pool.RootElement.GetProperty("pending").GetString());
        var simulation = $$"""{"blockStateCalls":[{"calls":[{"from":"{{Address8}}","to":"{{Stranger}}","value":"0x1"}]}]}""";
        using var simulated = JsonDocument.Parse(await Cast("rpc", "eth_simulateV1", simulation, "latest", "--rpc-url", url));
        Assert.Equal("0x1", simulated.RootElement[0].GetProperty("calls")[0].GetProperty("status").GetString());
        var unknown = await FoundryCast.RunAsync("rpc", "anvil_noSuchMethod", "--rpc-url", url);
        Assert.False(unknown.Succeeded);
        Assert.Contains("the method anvil_noSuchMethod does not exist/is not available", unknown.Output);
    }

    /// <summary>
    /// cast run re-executes in its own EVM (revm) on a fork of one chain read through eth_getCode and
    /// eth_getStorageAt: the native CrossChainCall at 0x…24 has no bytecode there and the destination
    /// chain's state is out of reach, so its replay diverges. The node's callTracer shows the tree
    /// across both chains, and cast rpc prints it.
    /// </summary>
    [CastFact]
    public async Task A_synchronous_cross_chain_call_tree_shows_through_debug_traceTransaction_where_cast_run_cannot_follow()
    {
        var devnet = await fixture.GetAsync();
        var (a, b) = (devnet.Endpoints[0], devnet.Endpoints[1]);
        var caller = await Deploy(a.Url, Key7, "SyncCaller");
        var counter = await Deploy(b.Url, Key7, "RemoteCounter");
        var receipt = await Send("--rpc-url", a.Url, "--private-key", Key7, caller, "incrementRemote(uint256,address,uint256)",
            b.ChainId.ToString(CultureInfo.InvariantCulture), counter, "6");
        var hash = receipt.GetProperty("transactionHash").GetString()!;
        Assert.Equal("6", await Cast("call", counter, "value()(uint256)", "--rpc-url", b.Url));

        using var trace = JsonDocument.Parse(await Cast("rpc", "debug_traceTransaction", hash, """{"tracer":"callTracer"}""", "--rpc-url", a.Url));
        var top = trace.RootElement;
        Assert.Equal(caller, top.GetProperty("to").GetString(), ignoreCase: true);
        var crossCall = Assert.Single(top.GetProperty("calls").EnumerateArray());
        Assert.Equal(CrossChainCall, crossCall.GetProperty("to").GetString(), ignoreCase: true);
        var remote = Assert.Single(crossCall.GetProperty("calls").EnumerateArray());
        Assert.Equal("0x" + b.ChainId.ToString("x", CultureInfo.InvariantCulture), remote.GetProperty("chainId").GetString());
        Assert.Equal(counter, remote.GetProperty("to").GetString(), ignoreCase: true);
        Assert.Equal("0x0000000000000000000000000000000000000000000000000000000000000006", remote.GetProperty("output").GetString());

        // cast run cannot execute the native contract: it reports the call to an account without code.
        var run = await FoundryCast.RunAsync("run", hash, "--rpc-url", a.Url);
        output.WriteLine(run.Output);
        Assert.Contains("call to non-contract address " + CrossChainCall, run.Output);
    }
}
