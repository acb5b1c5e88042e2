using Xunit;
using Xunit.Abstractions;

namespace Thalamus.Integration.Tests;

/// <summary>
/// ethers.js 6 (from npm) driving a real <c>thalamus node</c> process: each fact runs one file of
/// js/test with node's built-in test runner against the node and passes if every case there passes.
/// The files share one node and run in order (later files see earlier files' blocks).
/// </summary>
[TestCaseOrderer("Thalamus.Integration.Tests.DeclarationOrderer", "Thalamus.Integration.Tests")]
public sealed class EthersClientTests(ThalamusNodeFixture fixture, ITestOutputHelper output) : IClassFixture<ThalamusNodeFixture>
{
    private static readonly TimeSpan FileTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The test files, in the order the facts below run them.</summary>
    internal static readonly string[] Files =
    [
        "basics.test.mjs",
        "erc20.test.mjs",
        "erc721.test.mjs",
        "reverts.test.mjs",
        "txerrors.test.mjs",
        "subscriptions.test.mjs",
        "protocol.test.mjs",
    ];

    [NodeFact, DeclarationOrder(1)]
    public Task Network_dev_accounts_blocks_and_dev_methods() => RunFileAsync("basics.test.mjs");

    [NodeFact, DeclarationOrder(2)]
    public Task Erc20_deploy_transfer_approve_events_and_gas() => RunFileAsync("erc20.test.mjs");

    [NodeFact, DeclarationOrder(3)]
    public Task Erc721_mint_and_transfer() => RunFileAsync("erc721.test.mjs");

    [NodeFact, DeclarationOrder(4)]
    public Task Revert_reasons_are_decoded_by_ethers() => RunFileAsync("reverts.test.mjs");

    [NodeFact, DeclarationOrder(5)]
    public Task Nonce_gap_nonce_too_low_and_insufficient_funds() => RunFileAsync("txerrors.test.mjs");

    [NodeFact, DeclarationOrder(6)]
    public Task WebSocket_subscriptions_deliver_events() => RunFileAsync("subscriptions.test.mjs");

    [NodeFact, DeclarationOrder(7)]
    public Task Protocol_errors_are_json_rpc_errors() => RunFileAsync("protocol.test.mjs");

    [Fact]
    public void Every_test_file_has_a_fact()
    {
        string[] present = Directory.GetFiles(Path.Combine(RepositoryPaths.ClientTestsDirectory, "test"), "*.test.mjs")
            .Select(Path.GetFileName).OfType<string>()
            .Where(f => !f.StartsWith("cluster", StringComparison.Ordinal)) // ClusterEthersTests runs those against a devnet
            .Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(present, Files.Order(StringComparer.Ordinal).ToArray());
    }

    private async Task RunFileAsync(string file)
    {
        NodeJs.RequirePackages(RepositoryPaths.ClientTestsDirectory);
        var node = await fixture.GetAsync();
        var environment = new Dictionary<string, string>
        {
            ["THALAMUS_RPC_URL"] = node.HttpUrl.ToString().TrimEnd('/'),
            ["THALAMUS_WS_URL"] = node.WebSocketUrl.ToString().TrimEnd('/'),
            ["NO_COLOR"] = "1",
        };
        var result = await NodeJs.RunAsync(
            ["--test", "--test-concurrency=1", "--test-timeout=60000", "--test-reporter=spec", Path.Combine("test", file)],
            RepositoryPaths.ClientTestsDirectory, FileTimeout, environment);
        output.WriteLine($"$ node --test test/{file}   (THALAMUS_RPC_URL={environment["THALAMUS_RPC_URL"]})");
        output.WriteLine(result.Output);
        Assert.True(result.Succeeded,
            $"ethers.js tests in {file} failed (exit {result.ExitCode}).{Environment.NewLine}{result.Output}{Environment.NewLine}--- node output ---{Environment.NewLine}{Tail(node.Output, 4000)}");
    }

    private static string Tail(string text, int length) => text.Length <= length ? text : "…" + text[^length..];
}
