using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json;
using Thalamus.Cli.Commands;
using Thalamus.Cli.Configuration;
using Thalamus.Cli.Hosting;
using Thalamus.Rpc;
using Xunit;

namespace Thalamus.Cli.Tests;

/// <summary>
/// Who may call what on a running node-cluster: a cluster.yaml without <c>dev: true</c> run by
/// <c>thalamus node --config</c> serves no dev method and no unlocked account, refuses operator
/// methods on the chains' endpoints and serves them on the admin endpoint only with a valid JWT;
/// the same file under <c>thalamus devnet</c> stays as open as anvil.
/// </summary>
public sealed class ClusterAccessTests : IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("thalamus-access-");
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };

    public void Dispose()
    {
        _http.Dispose();
        _dir.Delete(recursive: true);
    }

    private string SecretPath => Path.Combine(_dir.FullName, "jwtsecret");

    private ClusterLaunchSettings Settings(string extraYaml, bool devByDefault)
    {
        var yaml = "basePort: 0\nchains:\n  - { chainId: 901 }\n  - { chainId: 902 }\n" + extraYaml;
        var file = ClusterConfigReader.Parse(yaml, "cluster.yaml", _dir.FullName);
        return ClusterLaunchSettings.Resolve(file, new ClusterOverrides { DevByDefault = devByDefault });
    }

    private const string AdminYaml = "admin: { port: 0, jwtSecret: ./jwtsecret }\n";

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(Uri url, string method, object[] parameters, string? token = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(new { jsonrpc = "2.0", id = 1, method, @params = parameters }) };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        using var response = await _http.SendAsync(request);
        return (response.StatusCode, (await response.Content.ReadFromJsonAsync<JsonElement>()).Clone());
    }

    private async Task<JsonElement> ResultAsync(Uri url, string method, object[] parameters, string? token = null)
    {
        var (status, body) = await PostAsync(url, method, parameters, token);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.False(body.TryGetProperty("error", out var error), $"{method} failed: {error}");
        return body.GetProperty("result");
    }

    private async Task<(int Code, string Message)> ErrorAsync(Uri url, string method, params object[] parameters)
    {
        var (status, body) = await PostAsync(url, method, parameters);
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.TryGetProperty("error", out var error), $"{method} succeeded: {body}");
        return (error.GetProperty("code").GetInt32(), error.GetProperty("message").GetString()!);
    }

    private static bool Halted(JsonElement status, ulong chainId) =>
        status.GetProperty("chains").EnumerateArray().Single(c => Convert.ToUInt64(c.GetProperty("chainId").GetString()![2..], 16) == chainId).GetProperty("halted").GetBoolean();

    [Fact]
    public async Task A_config_without_dev_true_serves_no_dev_methods_no_unlocked_accounts_and_operator_methods_only_with_a_jwt()
    {
        var settings = Settings(AdminYaml, devByDefault: false); // thalamus node --config
        Assert.False(settings.Dev);
        await using var host = await ClusterHost.StartAsync(settings);
        var chain = host.Endpoints[0].HttpUrl;
        var dev = settings.Options.Accounts[0].Address.ToString();

        // No dev namespaces: geth's answer for a method that is not there.
        Assert.Equal((RpcErrorCodes.MethodNotFound, "the method anvil_setBalance does not exist/is not available"),
            await ErrorAsync(chain, "anvil_setBalance", dev, "0x1"));
        Assert.Equal(RpcErrorCodes.MethodNotFound, (await ErrorAsync(chain, "evm_mine")).Code);
        Assert.Equal(settings.Options.AccountBalanceWei.ToHexString(), (await ResultAsync(chain, "eth_getBalance", [dev, "latest"])).GetString());

        // No unlocked accounts: the dev address is funded, but the node signs nothing for it.
        Assert.Equal(0, (await ResultAsync(chain, "eth_accounts", [])).GetArrayLength());
        var (code, message) = await ErrorAsync(chain, "eth_sendTransaction", new { from = dev, to = settings.Options.Accounts[1].Address.ToString(), value = "0x1" });
        Assert.Equal(RpcErrorCodes.ServerError, code);
        Assert.Contains("this node unlocks no accounts", message);
        Assert.Equal("0x0", (await ResultAsync(chain, "eth_getTransactionCount", [dev, "pending"])).GetString());

        // Operator methods: refused on the chains' endpoints, whatever the token.
        (code, message) = await ErrorAsync(chain, "cluster_haltChain", "0x385");
        Assert.Equal(RpcErrorCodes.MethodNotFound, code);
        Assert.Contains("operator method, served only on the node's admin endpoint with a JWT", message);
        Assert.False(Halted(await ResultAsync(chain, "cluster_status", []), 901));

        // The admin endpoint: a missing, wrong or expired token gets 401; a valid one halts and resumes.
        var admin = host.AdminUrl!;
        Assert.Equal(SecretPath, host.CreatedJwtSecret); // created at first start, as geth does
        var secret = JwtAuthenticator.ReadSecretFile(SecretPath);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(admin, "cluster_haltChain", ["0x385"])).Status);
        Assert.Equal(HttpStatusCode.Unauthorized, (await PostAsync(admin, "cluster_haltChain", ["0x385"], JwtAuthenticator.CreateToken(new byte[32], DateTimeOffset.UtcNow))).Status);
        var (status, body) = await PostAsync(admin, "cluster_haltChain", ["0x385"], JwtAuthenticator.CreateToken(secret, DateTimeOffset.UtcNow.AddMinutes(-2)));
        Assert.Equal(HttpStatusCode.Unauthorized, status);
        Assert.Contains("stale token", body.GetProperty("error").GetProperty("message").GetString());
        Assert.False(Halted(await ResultAsync(chain, "cluster_status", []), 901));

        Assert.True(Halted(await ResultAsync(admin, "cluster_haltChain", ["0x385"], JwtAuthenticator.CreateToken(secret, DateTimeOffset.UtcNow)), 901));
        Assert.True(Halted(await ResultAsync(chain, "cluster_status", []), 901));
        Assert.False(Halted(await ResultAsync(admin, "cluster_resumeChain", ["0x385"], JwtAuthenticator.CreateToken(secret, DateTimeOffset.UtcNow)), 901));

        // The admin endpoint answers for the cluster, not for a chain.
        (status, body) = await PostAsync(admin, "eth_chainId", [], JwtAuthenticator.CreateToken(secret, DateTimeOffset.UtcNow));
        Assert.Equal(RpcErrorCodes.MethodNotFound, body.GetProperty("error").GetProperty("code").GetInt32());

        using var banner = new StringWriter();
        ClusterRunner.PrintBanner(banner, settings, host);
        var text = banner.ToString();
        Assert.Contains("Mode:     production", text);
        Assert.Contains(admin.ToString().TrimEnd('/'), text);
        Assert.DoesNotContain(settings.Options.Accounts[0].PrivateKeyHex, text); // the keys stay with the mnemonic's holder
        await host.StopAsync();
    }

    [Fact]
    public async Task An_existing_secret_file_is_used_and_kept()
    {
        var secret = Convert.FromHexString("0102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f20");
        await File.WriteAllTextAsync(SecretPath, "0x" + Convert.ToHexStringLower(secret) + "\n");
        await using var host = await ClusterHost.StartAsync(Settings(AdminYaml, devByDefault: false));
        Assert.Null(host.CreatedJwtSecret);
        Assert.True(Halted(await ResultAsync(host.AdminUrl!, "cluster_haltChain", ["0x386"], JwtAuthenticator.CreateToken(secret, DateTimeOffset.UtcNow)), 902));
        Assert.Equal("0x" + Convert.ToHexStringLower(secret) + "\n", await File.ReadAllTextAsync(SecretPath));
    }

    [Fact]
    public async Task A_malformed_secret_file_stops_the_start_with_a_clear_reason()
    {
        await File.WriteAllTextAsync(SecretPath, "not hex");
        var e = await Assert.ThrowsAnyAsync<Exception>(() => ClusterHost.StartAsync(Settings(AdminYaml, devByDefault: false)));
        Assert.True(HostFailure.IsUserFacing(e), e.ToString());
        Assert.StartsWith("admin.jwtSecret: " + SecretPath + ": a JWT secret is 32 bytes", HostFailure.Describe(e));
    }

    [Fact]
    public async Task Without_an_admin_endpoint_a_production_node_serves_operator_methods_nowhere()
    {
        await using var host = await ClusterHost.StartAsync(Settings("", devByDefault: false));
        Assert.Null(host.AdminUrl);
        foreach (var endpoint in host.Endpoints)
            Assert.Contains("operator method", (await ErrorAsync(endpoint.HttpUrl, "cluster_haltChain", "0x385")).Message);
    }

    [Fact]
    public async Task Devnet_on_the_same_file_stays_as_open_as_anvil()
    {
        var settings = Settings("", devByDefault: true); // thalamus devnet --config
        Assert.True(settings.Dev);
        await using var host = await ClusterHost.StartAsync(settings);
        var chain = host.Endpoints[0].HttpUrl;
        var dev = settings.Options.Accounts[0].Address.ToString();

        Assert.Equal(settings.Options.Accounts.Count, (await ResultAsync(chain, "eth_accounts", [])).GetArrayLength());
        await ResultAsync(chain, "anvil_setBalance", [dev, "0x2a"]);
        Assert.Equal("0x2a", (await ResultAsync(chain, "eth_getBalance", [dev, "latest"])).GetString());
        var hash = (await ResultAsync(chain, "eth_sendTransaction", [new { from = settings.Options.Accounts[1].Address.ToString(), to = dev, value = "0x1" }])).GetString();
        Assert.StartsWith("0x", hash);
        Assert.True(Halted(await ResultAsync(host.Endpoints[1].HttpUrl, "cluster_haltChain", ["0x385"]), 901));
        Assert.False(Halted(await ResultAsync(chain, "cluster_resumeChain", ["0x385"]), 901));
    }

    [Fact]
    public async Task Dev_true_in_the_file_opens_a_node_config_cluster()
    {
        var settings = Settings("dev: true\n", devByDefault: false);
        Assert.True(settings.Dev);
        await using var host = await ClusterHost.StartAsync(settings);
        Assert.True((await ResultAsync(host.Endpoints[0].HttpUrl, "anvil_getAutomine", [])).GetBoolean());
    }

    [Fact]
    public async Task Dev_false_in_the_file_closes_devnet_too()
    {
        var settings = Settings("dev: false\n", devByDefault: true);
        Assert.False(settings.Dev);
        await using var host = await ClusterHost.StartAsync(settings);
        Assert.Equal(RpcErrorCodes.MethodNotFound, (await ErrorAsync(host.Endpoints[0].HttpUrl, "anvil_getAutomine")).Code);
    }
}
