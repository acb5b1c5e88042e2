using System.Net;
using System.Net.Http.Headers;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Thalamus.Rpc.Tests;

/// <summary>
/// An endpoint with a JWT check (the admin endpoint) over real HTTP: no token, a wrong or an
/// expired one gets HTTP 401 with the reason and never reaches the dispatcher; a valid one is served.
/// </summary>
public sealed class AdminServerTests : IAsyncLifetime
{
    private static readonly byte[] Secret = Convert.FromHexString("00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff");
    private const string HaltRequest = """{"jsonrpc":"2.0","id":1,"method":"cluster_haltChain","params":["0x385"]}""";

    private readonly FakeClusterMethods _cluster = new();
    private readonly HttpClient _http = new() { Timeout = TimeSpan.FromSeconds(30) };
    private RpcDispatcher _dispatcher = null!;
    private JsonRpcServer _server = null!;

    public async Task InitializeAsync()
    {
        _dispatcher = new RpcDispatcher(new FakeBackend(), new RpcServerOptions
        {
            Port = 0,
            Methods = _cluster.Registry,
            Access = RpcAccessPolicy.ForAdminEndpoint(),
            Authentication = new JwtAuthenticator(Secret),
            AllowAnyOrigin = false,
        });
        _server = new JsonRpcServer(_dispatcher);
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        _dispatcher.Dispose();
    }

    private async Task<(HttpStatusCode Status, JsonElement Body, HttpResponseMessage Response)> PostAsync(string json, string? token)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, _server.HttpUrl) { Content = new StringContent(json, Encoding.UTF8, "application/json") };
        if (token is not null) request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", token);
        var response = await _http.SendAsync(request);
        using var doc = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
        return (response.StatusCode, doc.RootElement.Clone(), response);
    }

    private async Task AssertUnauthorizedAsync(string? token, string reason)
    {
        var (status, body, response) = await PostAsync(HaltRequest, token);
        using (response)
        {
            Assert.Equal(HttpStatusCode.Unauthorized, status);
            Assert.Equal("Bearer", response.Headers.WwwAuthenticate.Single().Scheme);
        }
        Assert.Contains(reason, body.GetProperty("error").GetProperty("message").GetString());
        Assert.Empty(_cluster.ChainCalls);
    }

    [Fact]
    public Task A_request_without_a_token_gets_401() => AssertUnauthorizedAsync(null, "unauthorized: missing token");

    [Fact]
    public Task A_request_with_a_token_signed_by_another_secret_gets_401() =>
        AssertUnauthorizedAsync(JwtAuthenticator.CreateToken(new byte[32], DateTimeOffset.UtcNow), "unauthorized: invalid token: the signature does not match");

    [Fact]
    public Task A_request_with_an_expired_token_gets_401() =>
        AssertUnauthorizedAsync(JwtAuthenticator.CreateToken(Secret, DateTimeOffset.UtcNow.AddMinutes(-5)), "unauthorized: stale token");

    [Fact]
    public async Task A_request_with_a_valid_token_halts_the_chain()
    {
        var (status, body, response) = await PostAsync(HaltRequest, JwtAuthenticator.CreateToken(Secret, DateTimeOffset.UtcNow));
        response.Dispose();
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.True(body.TryGetProperty("result", out _), body.ToString());
        Assert.Equal([("cluster_haltChain", 901UL)], _cluster.ChainCalls);
        Assert.False(response.Headers.Contains("Access-Control-Allow-Origin"));
    }

    [Fact]
    public async Task A_websocket_handshake_without_a_token_is_refused()
    {
        using var socket = new ClientWebSocket();
        var e = await Assert.ThrowsAsync<WebSocketException>(() => socket.ConnectAsync(_server.WebSocketUrl, CancellationToken.None));
        Assert.Contains("401", e.Message);

        using var authorized = new ClientWebSocket();
        authorized.Options.SetRequestHeader("Authorization", "Bearer " + JwtAuthenticator.CreateToken(Secret, DateTimeOffset.UtcNow));
        await authorized.ConnectAsync(_server.WebSocketUrl, CancellationToken.None);
        Assert.Equal(WebSocketState.Open, authorized.State);
        await authorized.CloseAsync(WebSocketCloseStatus.NormalClosure, null, CancellationToken.None);
    }
}
