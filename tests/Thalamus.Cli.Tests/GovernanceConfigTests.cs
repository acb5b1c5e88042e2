using System.Net.Http.Json;
using System.Text.Json;
using Thalamus.Cli.Configuration;
using Thalamus.Cli.Hosting;
using Thalamus.Governance;
using Xunit;

namespace Thalamus.Cli.Tests;

/// <summary>
/// cluster.yaml <c>governance:</c>: the Agora's session calendar, its votes and the timelock delay are read, refused at the
/// key when the governance genesis would refuse them, and reach the governance module a command-line cluster runs.
/// </summary>
public sealed class GovernanceConfigTests
{
    private const uint Day = 24 * 3600;

    private static ClusterConfigFile File(string yaml) => ClusterConfigReader.Parse(yaml, "c.yaml", "/base", "/base/c.yaml");

    private static GovernanceModule ModuleOf(ClusterLaunchSettings settings) =>
        ProtocolModules.Create(settings).OfType<GovernanceModule>().Single();

    [Fact]
    public void Governance_settings_are_read_and_reach_the_governance_module()
    {
        var settings = ClusterLaunchSettings.Resolve(File("""
            governance:
              sessionSeconds: 86_400
              sessionProposalSeconds: 43200
              votingDelaySeconds: 60
              votingPeriodSeconds: 3600
              timelockDelaySeconds: 120
            """), new ClusterOverrides());

        var options = ModuleOf(settings).Options;
        Assert.Equal(Day, options.SessionSeconds);
        Assert.Equal(Day / 2, options.SessionProposalSeconds);
        Assert.Equal(60u, options.VotingDelaySeconds);
        Assert.Equal(3600u, options.VotingPeriodSeconds);
        Assert.Equal(120u, options.TimelockDelaySeconds);
        Assert.True(options.Enabled);
        Assert.Equal(901UL, options.HomeChainId);
    }

    [Fact]
    public void Without_a_governance_section_the_module_takes_the_governance_defaults_and_enabled_false_turns_it_off()
    {
        var defaults = ModuleOf(ClusterLaunchSettings.Resolve(File("delta: 1s\n"), new ClusterOverrides())).Options;
        Assert.Equal(GovernanceOptions.DefaultSessionSeconds, defaults.SessionSeconds);
        Assert.Equal(GovernanceOptions.DefaultSessionProposalSeconds, defaults.SessionProposalSeconds);
        Assert.Equal(GovernanceOptions.DefaultVotingDelaySeconds, defaults.VotingDelaySeconds);
        Assert.Equal(GovernanceOptions.DefaultVotingPeriodSeconds, defaults.VotingPeriodSeconds);
        Assert.Equal(GovernanceOptions.DefaultTimelockDelaySeconds, defaults.TimelockDelaySeconds);
        Assert.True(defaults.Enabled);

        // Only the keys written change: the others keep their defaults.
        var partial = ModuleOf(ClusterLaunchSettings.Resolve(File("governance: { timelockDelaySeconds: 0 }\n"), new ClusterOverrides())).Options;
        Assert.Equal(0u, partial.TimelockDelaySeconds);
        Assert.Equal(GovernanceOptions.DefaultSessionSeconds, partial.SessionSeconds);

        var off = ModuleOf(ClusterLaunchSettings.Resolve(File("governance: { enabled: false }\n"), new ClusterOverrides())).Options;
        Assert.False(off.Enabled);
        // Without the key, fewer than 5 accounts (no Gerousia to seat) still means fixed rules.
        Assert.False(ModuleOf(ClusterLaunchSettings.Resolve(File("accounts: { count: 3 }\n"), new ClusterOverrides())).Options.Enabled);
    }

    [Theory]
    [InlineData("governance: { sessionSeconds: 86400 }", "c.yaml:1:31: governance: the Agora's proposal window (1209600 s) + voting delay (1 s) + voting period (604800 s) must be positive and fit a session (86400 s)")]
    [InlineData("governance: { sessionSeconds: 86400, sessionProposalSeconds: 43200, votingPeriodSeconds: 43200 }", "c.yaml:1:31: governance: the Agora's proposal window (43200 s) + voting delay (1 s) + voting period (43200 s) must be positive and fit a session (86400 s)")]
    [InlineData("governance: { votingPeriodSeconds: 0 }", "c.yaml:1:36: governance.votingPeriodSeconds: 0 is out of range (1 to 4,294,967,295)")]
    [InlineData("governance: { sessionProposalSeconds: 0 }", "c.yaml:1:39: governance.sessionProposalSeconds: 0 is out of range (1 to 4,294,967,295)")]
    [InlineData("governance: { sessionSeconds: 5000000000 }", "c.yaml:1:31: governance.sessionSeconds: 5000000000 is out of range (1 to 4,294,967,295)")]
    [InlineData("governance: { votingDelaySeconds: -5 }", "c.yaml:1:35: governance.votingDelaySeconds: '-5' is not a whole number (it cannot be negative)")]
    [InlineData("governance: { sessionSeconds: 28d }", "c.yaml:1:31: governance.sessionSeconds: '28d' is not a whole number")]
    [InlineData("governance: { sessionDays: 28 }", "c.yaml:1:15: unknown governance setting 'sessionDays'; known: enabled, sessionSeconds, sessionProposalSeconds, votingDelaySeconds, votingPeriodSeconds, timelockDelaySeconds")]
    [InlineData("governance: { SessionSeconds: 86400 }", "c.yaml:1:15: unknown governance setting 'SessionSeconds' (did you mean 'sessionSeconds'?)")]
    [InlineData("governance: { enabled: yes }", "c.yaml:1:24: governance.enabled: expected true or false, found 'yes'")]
    [InlineData("governance: 86400", "c.yaml:1:13: governance: expected a mapping such as { sessionSeconds: 86400")]
    [InlineData("accounts: { count: 4 }\ngovernance: { enabled: true }", "c.yaml:2:24: governance.enabled: true needs at least 5 accounts to seat the Gerousia; accounts.count is 4")]
    public void A_malformed_or_inconsistent_governance_setting_is_refused_with_its_location_and_reason(string yaml, string expected)
    {
        var error = Assert.Throws<ClusterConfigException>(() => File(yaml + "\n"));
        Assert.StartsWith(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Governance_enabled_with_fewer_accounts_on_the_command_line_is_refused_where_the_file_enables_it()
    {
        var file = File("governance:\n  enabled: true\n");
        var error = Assert.Throws<ClusterConfigException>(() => ClusterLaunchSettings.Resolve(file, new ClusterOverrides { AccountCount = 2 }));
        Assert.Equal("c.yaml:2:12: governance.enabled: true needs at least 5 accounts to seat the Gerousia; there are 2", error.Message);
    }

    [Fact]
    public async Task A_devnet_from_a_yaml_with_a_one_day_session_reports_that_calendar_in_governance_status()
    {
        var settings = ClusterLaunchSettings.Resolve(File("""
            basePort: 0
            chains: [{ chainId: 901 }]
            governance: { sessionSeconds: 86400, sessionProposalSeconds: 21600, votingPeriodSeconds: 3600 }
            """), new ClusterOverrides());
        await using var host = await ClusterHost.StartAsync(settings);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        var url = host.Endpoints[0].HttpUrl;
        var genesis = Quantity((await Rpc(http, url, "eth_getBlockByNumber", "0x0", false)).GetProperty("timestamp"));

        var first = (await Rpc(http, url, "governance_status")).GetProperty("session");
        Assert.Equal(1UL, Quantity(first.GetProperty("number")));
        Assert.Equal(genesis, Quantity(first.GetProperty("start")));
        Assert.Equal(genesis + 21600, Quantity(first.GetProperty("proposalsUntil")));
        Assert.Equal(genesis + Day, Quantity(first.GetProperty("end")));

        // A day later the Agora is in its second session, which starts where the first ended.
        var head = Quantity((await Rpc(http, url, "eth_getBlockByNumber", "latest", false)).GetProperty("timestamp"));
        await Rpc(http, url, "evm_setNextBlockTimestamp", head + Day);
        await Rpc(http, url, "evm_mine");
        var second = (await Rpc(http, url, "governance_status")).GetProperty("session");
        Assert.Equal(2UL, Quantity(second.GetProperty("number")));
        Assert.Equal(genesis + Day, Quantity(second.GetProperty("start")));
        Assert.Equal(genesis + 2 * Day, Quantity(second.GetProperty("end")));
        await host.StopAsync();
    }

    [Fact]
    public void Every_governance_setting_is_documented_in_cluster_config()
    {
        var doc = System.IO.File.ReadAllText(Path.Combine(ClusterConfigReaderTests.RepositoryRoot(), "docs", "cluster-config.md"));
        foreach (var key in ClusterConfigReader.GovernanceKeys)
            Assert.Contains($"`governance.{key}`", doc);
    }

    private static ulong Quantity(JsonElement value) => Convert.ToUInt64(value.GetString(), 16);

    private static async Task<JsonElement> Rpc(HttpClient http, Uri url, string method, params object[] parameters)
    {
        using var response = await http.PostAsJsonAsync(url, new { jsonrpc = "2.0", id = 1, method, @params = parameters });
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(body.TryGetProperty("error", out var error), $"{method} failed: {error}");
        return body.GetProperty("result").Clone();
    }
}
