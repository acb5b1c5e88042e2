using System.CommandLine;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Thalamus.Cli.Commands;
using Thalamus.Cli.Configuration;
using Thalamus.Cli.Hosting;
using Thalamus.Core;
using Thalamus.Crypto;
using Xunit;
using G = Thalamus.Governance.GovernanceContracts;

namespace Thalamus.Cli.Tests;

/// <summary>
/// <c>thalamus gov</c> against an in-process devnet (<c>thalamus devnet --chains 2</c>): a security parameter proposed with
/// <c>--parameter</c>, voted, refused at execution until three Gerousia members <c>approve --change</c> it, then executed and
/// carried; <c>--upgrade</c> builds the change id ClusterDecisions computes; bad input is a clear error with exit code 2.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed partial class GovCommandTests
{
    private const ulong Day = 24 * 3600;

    private static (int ExitCode, string Out, string Error) Gov(params string[] args)
    {
        var (previousOut, previousError) = (Console.Out, Console.Error);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var exitCode = new RootCommand { GovCommand.Create() }.Parse(["gov", .. args]).Invoke();
            return (exitCode, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }
    }

    private static string Ok(params string[] args)
    {
        var (exitCode, output, error) = Gov(args);
        Assert.True(exitCode == 0, $"gov {string.Join(' ', args)} exited {exitCode}: {error}");
        return output;
    }

    private static async Task<JsonElement> Rpc(HttpClient http, Uri url, string method, params object[] parameters)
    {
        using var response = await http.PostAsJsonAsync(url, new { jsonrpc = "2.0", id = 1, method, @params = parameters });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(body.TryGetProperty("error", out var error), $"{method} failed: {error}");
        return body.GetProperty("result").Clone();
    }

    /// <summary>The home chain's next block <paramref name="seconds"/> after its head, and that block.</summary>
    private static async Task Travel(HttpClient http, Uri url, ulong seconds)
    {
        var head = await Rpc(http, url, "eth_getBlockByNumber", "latest", false);
        var time = Convert.ToUInt64(head.GetProperty("timestamp").GetString(), 16);
        await Rpc(http, url, "evm_setNextBlockTimestamp", time + seconds);
        await Rpc(http, url, "evm_mine");
    }

    private static async Task<byte[]> Call(HttpClient http, Uri url, Address to, byte[] data) =>
        Hex.Decode((await Rpc(http, url, "eth_call", new { to = to.ToString(), data = Hex.Encode(data) }, "latest")).GetString()!);

    [GeneratedRegex(@"^proposal (\d+)", RegexOptions.Multiline)]
    private static partial Regex ProposalLine();

    [GeneratedRegex(@"change (0x[0-9a-f]{64})")]
    private static partial Regex ChangeLine();

    [Fact]
    public async Task A_parameter_proposed_from_the_cli_executes_only_after_three_gerousia_members_approve_its_change()
    {
        var settings = ClusterLaunchSettings.Resolve(null, new ClusterOverrides { Chains = 2, BasePort = 0, BaseChainId = 901 });
        await using var host = await ClusterHost.StartAsync(settings);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var url = host.Endpoints[0].HttpUrl;
        var rpc = $"--rpc={url}";
        Ok("stake", rpc, "--account", "0", "--amount", "4000000");
        Ok("stake", rpc, "--account", "1", "--amount", "2000000");
        await Travel(http, url, 5);
        Assert.Contains("Agora session 1:", Ok("status", rpc));
        Assert.Contains("proposals admitted until", Ok("status", rpc));

        string[] decision = ["--parameter", "gasLimit:902", "--value", "25000000", "--salt", "3"];
        var proposed = Ok(["propose", rpc, .. decision]);
        var id = ProposalLine().Match(proposed).Groups[1].Value;
        var change = ChangeLine().Match(proposed).Groups[1].Value;
        // The change id the CLI printed is the one ClusterDecisions computes for this parameter.
        var key = Keccak256.Compute("gasLimit:902"u8);
        Assert.Equal(change, Hex.Encode(await Call(http, url, G.Decisions, Abi.Call("parameterChangeId(bytes32,uint256,uint256)", key, 25_000_000UL, 3UL))));
        await Travel(http, url, 2);
        Ok("vote", rpc, "--account", "0", "--proposal", id);
        Ok("vote", rpc, "--account", "1", "--proposal", id);
        await Travel(http, url, 7 * Day + 1);
        Assert.Contains("queued", Ok(["execute", rpc, .. decision]));
        await Travel(http, url, 2 * Day + 1);

        // Without the Gerousia nothing executes: the CLI says why before sending (the contract would revert DecisionsNeedsGerousia).
        var (refusedCode, _, refusal) = Gov(["execute", rpc, .. decision]);
        Assert.Equal(2, refusedCode);
        Assert.Contains($"change {change} has 0 of the 3 Gerousia approvals it needs", refusal);
        var (outsiderCode, _, outsider) = Gov("approve", rpc, "--account", "7", "--change", change);
        Assert.Equal(2, outsiderCode);
        Assert.Contains("is not a member of the Gerousia", outsider);
        Assert.Contains("needs more members' approvals", Ok("approve", rpc, "--account", "0", "--change", change));
        Ok("approve", rpc, "--account", "1", "--change", change);
        Assert.Contains("has 2 of the 3 Gerousia approvals", Gov(["execute", rpc, .. decision]).Error);
        Assert.Contains("the Gerousia has approved it", Ok("approve", rpc, "--account", "2", "--change", change));

        Assert.Contains("executed", Ok(["execute", rpc, .. decision]));
        var carried = Assert.Single((await Rpc(http, url, "governance_decisions")).EnumerateArray());
        Assert.Equal("parameter", carried.GetProperty("kind").GetString());
        Assert.Equal("carried", carried.GetProperty("status").GetString());
        Assert.Equal(key.ToString(), carried.GetProperty("key").GetString());
        Assert.Equal(change, carried.GetProperty("change").GetString());

        // --upgrade --artifact: the change id printed is ClusterDecisions' upgradeChangeId of the artifact's runtime code.
        var upgrade = Ok("propose", rpc, "--upgrade", G.Hermes.ToString(), "--artifact", "Hermes", "--salt", "1", "--dry-run");
        var calldata = Hex.Decode(Regex.Match(upgrade, "calldata (0x[0-9a-f]*)").Groups[1].Value);
        Assert.True(Abi.Selector("approveUpgrade(address,bytes,uint256)").Matches(calldata));
        var code = new AbiReader(calldata.AsSpan(4)).BytesSpan(1).ToArray();
        Assert.NotEmpty(code);
        var expected = await Call(http, url, G.Decisions, Abi.Call("upgradeChangeId(address,bytes32,uint256)", G.Hermes, Keccak256.Compute(code), 1UL));
        Assert.Equal(Hex.Encode(expected), ChangeLine().Match(upgrade).Groups[1].Value);
        await host.StopAsync();
    }

    [Theory]
    [InlineData("give exactly one decision", "--upgrade", "0x4200000000000000000000000000000000000070", "--parameter", "gasLimit", "--value", "1")]
    [InlineData("--upgrade needs the new code", "--upgrade", "0x4200000000000000000000000000000000000070")]
    [InlineData("--code-file /nonexistent/code.hex: no such file", "--upgrade", "0x4200000000000000000000000000000000000070", "--code-file", "/nonexistent/code.hex")]
    [InlineData("contracts/artifacts/NoSuchContract.json was found neither", "--upgrade", "0x4200000000000000000000000000000000000070", "--artifact", "NoSuchContract")]
    [InlineData("--upgrade must be a 0x address", "--upgrade", "0x42", "--artifact", "Hermes")]
    [InlineData("--parameter needs --value", "--parameter", "gasLimit")]
    [InlineData("--salt must be a decimal number", "--parameter", "gasLimit", "--value", "1", "--salt", "x1")]
    [InlineData("a 0x key has 32 bytes, not 2", "--parameter", "0x1234", "--value", "1")]
    [InlineData("--code-file and --artifact go with --upgrade", "--remove", "902", "--artifact", "Hermes")]
    public void Bad_decision_options_are_a_clear_error_before_anything_is_sent(string reason, params string[] options)
    {
        var (exitCode, _, error) = Gov(["propose", "--rpc", "http://127.0.0.1:1", .. options]);
        Assert.Equal(2, exitCode);
        Assert.Contains(reason, error);
    }

    [Fact]
    public void A_change_id_that_is_not_32_bytes_is_refused()
    {
        var (exitCode, _, error) = Gov("approve", "--rpc", "http://127.0.0.1:1", "--change", "0x1234");
        Assert.Equal(2, exitCode);
        Assert.Contains("--change must be a 0x change id of 32 bytes", error);
    }

    [Fact]
    public void A_dry_run_prints_the_proposal_of_a_code_file_upgrade_and_sends_nothing()
    {
        var file = Path.GetTempFileName();
        try
        {
            File.WriteAllText(file, "0x6001600055\n");
            var output = Ok("propose", "--rpc", "http://127.0.0.1:1", "--upgrade", G.Hermes.ToString(), "--code-file", file, "--salt", "9", "--dry-run");
            Assert.Contains($"target {G.Decisions}", output);
            var calldata = Hex.Decode(Regex.Match(output, "calldata (0x[0-9a-f]*)").Groups[1].Value);
            var call = new AbiReader(calldata.AsSpan(4));
            Assert.Equal((G.Hermes, "6001600055", 9UL), (call.Address(0), Convert.ToHexStringLower(call.BytesSpan(1)), call.UInt64(2)));
            var codeHash = Keccak256.Compute(Convert.FromHexString("6001600055"));
            Assert.Contains($"description upgrade {G.Hermes} to code {codeHash} (salt 9)", output);
            // keccak256(abi.encode("upgrade", target, codeHash, salt)), as ClusterDecisions.upgradeChangeId (checked against the contract above).
            Assert.Contains($"change {GovCommand.UpgradeChangeId(G.Hermes, codeHash, new UInt256(9))}", output);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
