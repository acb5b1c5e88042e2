using System.Net.Http.Json;
using System.Text.Json;
using Thalamus.Cli.Commands;
using Thalamus.Cli.Configuration;
using Thalamus.Cli.Hosting;
using Xunit;

namespace Thalamus.Cli.Tests;

/// <summary>
/// What <c>thalamus devnet --chains 2 --base-port 0</c> starts, in-process: one JSON-RPC endpoint per
/// chain answering for its own chain id, cluster_chains on every endpoint listing every chain with
/// its URLs, the banner, and a persistent cluster resuming at its heads after a clean stop.
/// </summary>
public sealed class ClusterHostTests
{
    private static async Task<JsonElement> CallAsync(HttpClient http, Uri url, string method, params object[] parameters)
    {
        using var response = await http.PostAsJsonAsync(url, new { jsonrpc = "2.0", id = 1, method, @params = parameters });
        response.EnsureSuccessStatusCode();
        var body = await response.Content.ReadFromJsonAsync<JsonElement>();
        Assert.False(body.TryGetProperty("error", out var error), $"{method} failed: {error}");
        return body.GetProperty("result").Clone();
    }

    private static ulong Quantity(JsonElement e) => Convert.ToUInt64(e.GetString()![2..], 16);

    [Fact]
    public async Task Every_chain_is_served_and_cluster_chains_lists_them_all()
    {
        var settings = ClusterLaunchSettings.Resolve(null, new ClusterOverrides { Chains = 2, BasePort = 0, BaseChainId = 901 });
        await using var host = await ClusterHost.StartAsync(settings);
        Assert.Equal(2, host.Endpoints.Count);
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(30) };

        foreach (var endpoint in host.Endpoints)
        {
            Assert.NotEqual(0, endpoint.Port);
            Assert.Equal(endpoint.Chain.ChainId, Quantity(await CallAsync(http, endpoint.HttpUrl, "eth_chainId")));
            // The dev accounts are funded on every chain.
            var balance = await CallAsync(http, endpoint.HttpUrl, "eth_getBalance", settings.Options.Accounts[0].Address.ToString(), "latest");
            Assert.Equal(settings.Options.AccountBalanceWei.ToHexString(), balance.GetString());
        }

        foreach (var endpoint in host.Endpoints)
        {
            var chains = (await CallAsync(http, endpoint.HttpUrl, "cluster_chains")).EnumerateArray().ToArray();
            Assert.Equal(host.Endpoints.Select(e => e.Chain.ChainId), chains.Select(c => Quantity(c.GetProperty("chainId"))));
            for (var i = 0; i < chains.Length; i++)
            {
                Assert.Equal(host.Endpoints[i].HttpUrl, new Uri(chains[i].GetProperty("rpcUrl").GetString()!));
                Assert.Equal(host.Endpoints[i].WebSocketUrl, new Uri(chains[i].GetProperty("wsUrl").GetString()!));
            }
        }

        using var banner = new StringWriter();
        ClusterRunner.PrintBanner(banner, settings, host);
        var text = banner.ToString();
        foreach (var endpoint in host.Endpoints)
        {
            Assert.Contains(endpoint.HttpUrl.ToString().TrimEnd('/'), text);
            Assert.Contains(endpoint.WebSocketUrl.ToString().TrimEnd('/'), text);
        }
        Assert.Contains("0x4200000000000000000000000000000000000023", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("0x4200000000000000000000000000000000000024", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains("0x4200000000000000000000000000000000000028", text, StringComparison.OrdinalIgnoreCase);
        Assert.Contains(settings.Options.Accounts[0].Address.ToChecksumString(), text);
        Assert.Contains("Storage:  in memory", text);
        Assert.StartsWith("Ready.", text.TrimEnd().Split('\n')[^1]);

        // --json and --endpoints-file: the same facts as one JSON object, with URLs scripts can call.
        using var json = JsonDocument.Parse(ClusterRunner.EndpointsJson(settings, host));
        var root = json.RootElement;
        Assert.Equal(Environment.ProcessId, root.GetProperty("pid").GetInt32());
        var listed = root.GetProperty("chains").EnumerateArray().ToArray();
        Assert.Equal(host.Endpoints.Select(e => e.Chain.ChainId), listed.Select(c => c.GetProperty("chainId").GetUInt64()));
        foreach (var chain in listed)
            Assert.Equal(chain.GetProperty("chainId").GetUInt64(), Quantity(await CallAsync(http, new Uri(chain.GetProperty("http").GetString()!), "eth_chainId")));
        Assert.Equal(settings.Options.Accounts[0].PrivateKeyHex, root.GetProperty("accounts")[0].GetProperty("privateKey").GetString());
        Assert.Equal("0x4200000000000000000000000000000000000024", root.GetProperty("predeploys").GetProperty("CrossChainCall").GetString()!.ToLowerInvariant());

        await host.StopAsync();
    }

    [Fact]
    public async Task A_persistent_cluster_resumes_at_its_heads()
    {
        var dir = Directory.CreateTempSubdirectory("thalamus-devnet-");
        try
        {
            var settings = ClusterLaunchSettings.Resolve(null, new ClusterOverrides { Chains = 2, BasePort = 0, DataDirectory = dir.FullName });
            Assert.Equal(Path.Combine(dir.FullName, "chains.db"), settings.DatabasePath);
            ulong[] heads;
            await using (var first = await ClusterHost.StartAsync(settings))
            {
                Assert.False(first.Cluster.Resumed);
                heads = first.Cluster.Chains.Select(c => c.Head.Number).ToArray();
                await first.StopAsync();
            }
            Assert.True(File.Exists(settings.DatabasePath));

            await using var second = await ClusterHost.StartAsync(settings);
            Assert.True(second.Cluster.Resumed);
            Assert.Equal(heads, second.Cluster.Chains.Select(c => c.Head.Number));
            await second.StopAsync();
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public async Task A_busy_port_fails_the_start_and_releases_what_was_started()
    {
        var occupier = ClusterLaunchSettings.Resolve(null, new ClusterOverrides { Chains = 1, BasePort = 0 });
        await using var first = await ClusterHost.StartAsync(occupier);
        var busyPort = first.Endpoints[0].Port;

        var clashing = ClusterLaunchSettings.Resolve(null, new ClusterOverrides { Chains = 2, BasePort = busyPort - 1 });
        var e = await Assert.ThrowsAnyAsync<Exception>(() => ClusterHost.StartAsync(clashing));
        Assert.True(HostFailure.IsUserFacing(e), $"not reported as a start-up failure: {e}");

        // The chain that did start before the clash was stopped again: its port is free.
        var retry = ClusterLaunchSettings.Resolve(null, new ClusterOverrides { Chains = 1, BasePort = busyPort - 1 });
        await using var again = await ClusterHost.StartAsync(retry);
        Assert.Equal(busyPort - 1, again.Endpoints[0].Port);
    }
}
