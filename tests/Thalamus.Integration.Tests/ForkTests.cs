using System.Globalization;
using System.Text.Json;
using Thalamus.Core;
using Thalamus.Crypto;
using Xunit;

namespace Thalamus.Integration.Tests;

/// <summary>
/// <c>thalamus devnet --fork 31337=URL</c> against a real anvil started by the test, with an ERC-20
/// (contracts/artifacts/TestToken.json) deployed on it before the fork.
/// </summary>
public sealed class ForkTests
{
    private static readonly IReadOnlyList<DevAccount> Accounts = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 3);
    private static readonly UInt256 Supply = UInt256.Parse("1000000000000000000000000");
    private const ulong AnvilChainId = 31337;
    private const string CrossChainCallAddress = "0x4200000000000000000000000000000000000024";

    private static string Data(byte[] bytes) => Hex.Encode(bytes);

    private static async Task<UInt256> BalanceOf(ClusterJsonRpc rpc, string token, Address holder) =>
        UInt256.Parse((await rpc.CallAsync("eth_call", new { to = token, data = Data(Abi.Call("balanceOf(address)", holder)) }, "latest")).GetString()!);

    private static Task<JsonElement> Receipt(ClusterJsonRpc rpc, JsonElement hash) => AnvilProcess.MinedReceipt(rpc, hash.GetString());

    private static async Task<string> DeployToken(ClusterJsonRpc anvil)
    {
        using var artifact = JsonDocument.Parse(await File.ReadAllTextAsync(Path.Combine(RepositoryPaths.ContractsDirectory, "artifacts", "TestToken.json")));
        var creation = Hex.Decode(artifact.RootElement.GetProperty("bytecode").GetString()!);
        byte[] code = [.. creation, .. Abi.Encode(Supply)];
        var hash = await anvil.CallAsync("eth_sendTransaction", new { from = Accounts[0].Address.ToString(), data = Data(code), gas = "0x2dc6c0" });
        var receipt = await Receipt(anvil, hash);
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        return receipt.GetProperty("contractAddress").GetString()!;
    }

    [AnvilFact]
    public async Task A_devnet_forking_anvil_reads_an_erc20_through_the_fork_transfers_on_it_and_serves_its_cache_after_the_remote_stops()
    {
        await using var anvil = await AnvilProcess.StartAsync();
        using var remote = new ClusterJsonRpc(anvil.Url);
        var token = await DeployToken(remote);
        var remoteHead = (await remote.CallAsync("eth_blockNumber")).GetString();

        await using var devnet = await ClusterDevnetProcess.StartAsync("--chains", "1", "--base-port", "0", "--fork", $"{AnvilChainId}={anvil.Url}");
        var forkEndpoint = devnet.Endpoints.Single(e => e.ChainId == AnvilChainId);
        using var fork = new ClusterJsonRpc(forkEndpoint.HttpUrl);

        // The fork is the remote's chain, continuing its numbering, with the remote's token state.
        Assert.Equal("0x7a69", (await fork.CallAsync("eth_chainId")).GetString());
        Assert.Equal(remoteHead, (await fork.CallAsync("eth_blockNumber")).GetString());
        Assert.Equal(Supply, await BalanceOf(fork, token, Accounts[0].Address));
        Assert.Equal("0x1", (await fork.CallAsync("eth_getTransactionCount", Accounts[0].Address.ToString(), "latest")).GetString());
        // ... with the cluster's predeploys overlaid on it.
        Assert.NotEqual("0x", (await fork.CallAsync("eth_getCode", "0x4200000000000000000000000000000000000023", "latest")).GetString());

        // A transfer on the fork: a block after the remote's, the remote unchanged.
        var transfer = Data(Abi.Call("transfer(address,uint256)", Accounts[2].Address, new UInt256(1000)));
        var hash = await fork.CallAsync("eth_sendTransaction", new { from = Accounts[0].Address.ToString(), to = token, data = transfer });
        var receipt = await Receipt(fork, hash);
        Assert.Equal("0x1", receipt.GetProperty("status").GetString());
        Assert.Equal(ulong.Parse(remoteHead![2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture) + 1,
            ulong.Parse(receipt.GetProperty("blockNumber").GetString()![2..], NumberStyles.HexNumber, CultureInfo.InvariantCulture));
        Assert.Equal(new UInt256(1000), await BalanceOf(fork, token, Accounts[2].Address));
        Assert.Equal(Supply - new UInt256(1000), await BalanceOf(fork, token, Accounts[0].Address));
        Assert.Equal(UInt256.Zero, await BalanceOf(remote, token, Accounts[2].Address));
        Assert.Equal(Supply, await BalanceOf(remote, token, Accounts[0].Address));
        Assert.Equal(remoteHead, (await remote.CallAsync("eth_blockNumber")).GetString());

        // A synchronous cross-chain read from the other member sees the fork's token state.
        using var other = new ClusterJsonRpc(devnet.Endpoints.Single(e => e.ChainId != AnvilChainId).HttpUrl);
        var crossCall = Abi.Call("crossCall(uint256,address,bytes)", AnvilChainId, Address.Parse(token), AbiValue.Bytes(Abi.Call("balanceOf(address)", Accounts[2].Address)));
        var crossRead = (await other.CallAsync("eth_call", new { to = CrossChainCallAddress, data = Data(crossCall) }, "latest")).GetString()!;
        Assert.Contains(Hex.Encode(new UInt256(1000).ToBigEndian(), prefix: false), crossRead, StringComparison.Ordinal);

        // The remote goes away: what the fork read or wrote is still served, anything else fails clearly.
        await anvil.StopAsync();
        Assert.Equal(new UInt256(1000), await BalanceOf(fork, token, Accounts[2].Address));
        Assert.Equal(Supply - new UInt256(1000), await BalanceOf(fork, token, Accounts[0].Address));
        var unread = "0x00000000000000000000000000000000000000e1";
        var error = await Assert.ThrowsAsync<ClusterRpcException>(() => fork.CallAsync("eth_getBalance", unread, "latest"));
        Assert.Contains("-32000", error.Message, StringComparison.Ordinal);
        Assert.Contains($"fork {anvil.Url}", error.Message, StringComparison.Ordinal);
        Assert.Contains("unreachable", error.Message, StringComparison.Ordinal);
        var payment = await Assert.ThrowsAsync<ClusterRpcException>(() => fork.CallAsync("eth_sendTransaction", new { from = Accounts[0].Address.ToString(), to = unread, value = "0x1", gas = "0x5208" }));
        Assert.Contains("unreachable", payment.Message, StringComparison.Ordinal);
        Assert.Equal("0x0", (await fork.CallAsync("txpool_status")).GetProperty("pending").GetString());
        // The node is alive: the fork and the other chain keep answering, and a second transfer of cached state works.
        var again = await fork.CallAsync("eth_sendTransaction", new { from = Accounts[0].Address.ToString(), to = token, data = transfer });
        Assert.Equal("0x1", (await Receipt(fork, again)).GetProperty("status").GetString());
        Assert.Equal(new UInt256(2000), await BalanceOf(fork, token, Accounts[2].Address));
        Assert.Equal("0x0", (await other.CallAsync("eth_blockNumber")).GetString());
        Assert.False(devnet.HasExited);
    }

    [Fact]
    public async Task A_fork_url_that_does_not_answer_stops_the_devnet_with_a_clear_error()
    {
        var url = $"http://127.0.0.1:{AnvilProcess.FreePort()}";

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => ClusterDevnetProcess.StartAsync("--chains", "1", "--base-port", "0", "--fork", $"{AnvilChainId}={url}"));

        Assert.Contains($"error: cannot fork chain {AnvilChainId} from {url}/: fork {url}/ is unreachable: eth_chainId:", error.Message, StringComparison.Ordinal);
        Assert.Contains("Exit code 2", error.Message, StringComparison.Ordinal);
    }
}
