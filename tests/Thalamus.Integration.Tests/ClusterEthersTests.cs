using Xunit;
using Xunit.Abstractions;

namespace Thalamus.Integration.Tests;

/// <summary>
/// ethers.js 6 driving a real <c>thalamus devnet</c> (three automining member chains, Delta 1 s):
/// each fact runs one js/test/cluster*.test.mjs file with node's test runner and passes if every
/// case there passes. The files share one devnet and run in order; the halt file runs late
/// because it stops a chain (and resumes it before it ends), the governance file last because it
/// moves every chain's clock forward by days.
/// </summary>
[TestCaseOrderer("Thalamus.Integration.Tests.DeclarationOrderer", "Thalamus.Integration.Tests")]
public sealed class ClusterEthersTests(ClusterDevnetFixture fixture, ITestOutputHelper output) : IClassFixture<ClusterDevnetFixture>
{
    private static readonly TimeSpan FileTimeout = TimeSpan.FromMinutes(3);

    /// <summary>The cluster test files, in the order the facts below run them.</summary>
    internal static readonly string[] Files =
    [
        "cluster-messages.test.mjs",
        "cluster-token.test.mjs",
        "cluster-sync.test.mjs",
        "cluster-ddpn.test.mjs",
        "cluster-rtc.test.mjs",
        "cluster-rtc-sample.test.mjs",
        "cluster-multicast.test.mjs",
        "cluster-halt.test.mjs",
        "cluster-governance.test.mjs",
    ];

    [NodeFact, DeclarationOrder(1)]
    public Task Message_from_A_to_B_is_delivered_in_Bs_next_block() => RunFileAsync("cluster-messages.test.mjs");

    [NodeFact, DeclarationOrder(2)]
    public Task Cluster_token_moves_between_chains_and_supply_is_conserved() => RunFileAsync("cluster-token.test.mjs");

    [NodeFact, DeclarationOrder(3)]
    public Task Synchronous_calls_read_and_write_across_chains_and_revert_together() => RunFileAsync("cluster-sync.test.mjs");

    [NodeFact, DeclarationOrder(4)]
    public Task Ddpn_program_in_chunks_runs_on_one_chain_and_finishes_on_another() => RunFileAsync("cluster-ddpn.test.mjs");

    [NodeFact, DeclarationOrder(5)]
    public Task Remote_transaction_calls_run_atomically_or_async_over_the_Thalamus_gateway_and_OpenZeppelin_recipients_work_over_it() => RunFileAsync("cluster-rtc.test.mjs");

    [NodeFact, DeclarationOrder(6)]
    public Task The_ethers_rtc_sample_quotes_names_resolves_sends_by_name_and_sees_the_ack() => RunFileAsync("cluster-rtc-sample.test.mjs");

    [NodeFact, DeclarationOrder(7)]
    public Task Multicast_publish_reaches_subscribers_on_every_chain_once_with_receipts() => RunFileAsync("cluster-multicast.test.mjs");

    [NodeFact, DeclarationOrder(8)]
    public Task Halted_chain_holds_the_others_at_T_plus_Delta_until_resumed() => RunFileAsync("cluster-halt.test.mjs");

    [NodeFact, DeclarationOrder(9)]
    public Task Athena_staked_passes_an_agora_grant_with_time_travel_and_hermes_moves_to_another_chain_and_back() => RunFileAsync("cluster-governance.test.mjs");

    [Fact]
    public void Every_cluster_test_file_has_a_fact()
    {
        string[] present = Directory.GetFiles(Path.Combine(RepositoryPaths.ClientTestsDirectory, "test"), "cluster*.test.mjs")
            .Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal).ToArray();
        Assert.Equal(present, Files.Order(StringComparer.Ordinal).ToArray());
    }

    private async Task RunFileAsync(string file)
    {
        NodeJs.RequirePackages(RepositoryPaths.ClientTestsDirectory);
        var devnet = await fixture.GetAsync();
        var environment = new Dictionary<string, string>
        {
            // The first chain's endpoint; the tests find the others through cluster_chains.
            ["THALAMUS_CLUSTER_RPC_URL"] = devnet.Endpoints[0].Url,
            ["THALAMUS_CLUSTER_RPC_URLS"] = string.Join(",", devnet.Endpoints.Select(e => e.Url)),
            ["NO_COLOR"] = "1",
        };
        var result = await NodeJs.RunAsync(
            ["--test", "--test-concurrency=1", "--test-timeout=60000", "--test-reporter=spec", Path.Combine("test", file)],
            RepositoryPaths.ClientTestsDirectory, FileTimeout, environment);
        output.WriteLine($"$ node --test test/{file}   (THALAMUS_CLUSTER_RPC_URLS={environment["THALAMUS_CLUSTER_RPC_URLS"]})");
        output.WriteLine(result.Output);
        Assert.True(result.Succeeded,
            $"ethers.js cluster tests in {file} failed (exit {result.ExitCode}).{Environment.NewLine}{result.Output}{Environment.NewLine}--- devnet output ---{Environment.NewLine}{Tail(devnet.Output, 4000)}");
    }

    private static string Tail(string text, int length) => text.Length <= length ? text : "…" + text[^length..];
}
