using System.Text.Json;
using Thalamus.Core;
using Thalamus.Dlx;
using Xunit;

namespace Thalamus.Integration.Tests;

/// <summary>
/// <c>thalamus ddpn submit</c> against a running devnet of 3 chains, its output redirected (so the progress comes as plain lines):
/// the parallel schedule runs the program's segments on the chains at once and joins them, the offer is paid in the payment token
/// (a plain OpenZeppelin ERC-20 put at the Hermes address, 0x…70) through the escrow and every token comes back to the wei.
/// </summary>
public sealed class DdpnCliTests
{
    private const string Escrow = "0x4200000000000000000000000000000000000052";
    private const string PaymentToken = "0x4200000000000000000000000000000000000070";
    private const string DevAccount = "0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266";
    private static readonly UInt256 Funds = UInt256.Parse("1000000000000000000000");

    private static string Word(UInt256 value) => "0x" + Convert.ToHexStringLower(value.ToBigEndian());

    private static async Task<UInt256> BalanceOf(ClusterJsonRpc rpc, string who)
    {
        var data = Hex.Encode(Abi.Call("balanceOf(address)", Address.Parse(who)));
        return UInt256.Parse((await rpc.CallAsync("eth_call", new { to = PaymentToken, data }, "latest")).GetString()!);
    }

    [Fact]
    public async Task Submit_with_the_parallel_schedule_prints_the_joined_output_shows_progress_and_returns_the_unused_escrow()
    {
        await using var devnet = await ClusterDevnetProcess.StartAsync(ClusterDevnetFixture.Arguments);
        var first = devnet.Endpoints.OrderBy(e => e.ChainId).First();
        using var rpc = new ClusterJsonRpc(first.HttpUrl);
        // The stand-in payment token: TestToken's runtime code at the Hermes address, the dev account's balance in its slot (OZ ERC20: _balances at slot 0).
        using (var artifact = JsonDocument.Parse(File.ReadAllText(Path.Combine(RepositoryPaths.ContractsDirectory, "artifacts", "TestToken.json"))))
            await rpc.CallAsync("anvil_setCode", PaymentToken, artifact.RootElement.GetProperty("deployedBytecode").GetString());
        var balanceSlot = Keccak256.Compute(Abi.Encode(Address.Parse(DevAccount), 0UL));
        await rpc.CallAsync("anvil_setStorageAt", PaymentToken, balanceSlot.ToString(), Word(Funds));
        await rpc.CallAsync("evm_mine");
        Assert.Equal(Funds, await BalanceOf(rpc, DevAccount));

        var program = Path.Combine(RepositoryPaths.Root, "samples", "dlx", "parallel_primes.s");
        var local = DlxParallelExecutor.Run(DlxAssembler.Assemble(File.ReadAllText(program)), []);
        Assert.True(local.Succeeded, local.Error);
        var cli = ClusterCliLauncher.StartInfo();
        var result = await ExternalProcess.RunAsync(cli.FileName, [.. cli.ArgumentList, "ddpn", "submit", program, "--schedule", "parallel", "--alpha", "0.9", "--rpc", first.Url],
            RepositoryPaths.Root, TimeSpan.FromMinutes(3));
        Assert.True(result.Succeeded, result.Output);
        Assert.Contains(System.Text.Encoding.UTF8.GetString(local.Output), result.Output, StringComparison.Ordinal);
        Assert.Contains("output equals the local run", result.Output, StringComparison.Ordinal);
        Assert.Contains($"segments {local.Segments.Count + 1}/{local.Segments.Count + 1}, chains {string.Join(",", devnet.Endpoints.Select(e => e.ChainId).Order())}", result.Output, StringComparison.Ordinal);
        Assert.Contains("held in escrow", result.Output, StringComparison.Ordinal);
        Assert.Contains("closed", result.Output, StringComparison.Ordinal);

        // The close is applied with the chain's next block and paid in the one after: the escrow ends empty, the client (also the strategist here) whole.
        for (var i = 0; i < 4 && await BalanceOf(rpc, Escrow) != UInt256.Zero; i++) await rpc.CallAsync("evm_mine");
        Assert.Equal(UInt256.Zero, await BalanceOf(rpc, Escrow));
        Assert.Equal(Funds, await BalanceOf(rpc, DevAccount));
        var offer = System.Text.RegularExpressions.Regex.Match(result.Output, "offer (0x[0-9a-f]{64}) posted").Groups[1].Value;
        var record = await rpc.CallAsync("ddpn_getOffer", first.ChainId, offer);
        Assert.Equal("closed", record.GetProperty("status").GetString());
        Assert.Equal(DevAccount, record.GetProperty("bestStrategist").GetString(), ignoreCase: true);
        Assert.Equal(first.ChainId, Convert.ToUInt64(record.GetProperty("paymentChainId").GetString(), 16));
    }
}
