using System.Net;
using System.Net.WebSockets;
using System.Text;
using System.Text.Json;
using Thalamus.Core;
using Xunit;

namespace Thalamus.Rpc.Tests;

/// <summary>The Kestrel endpoint on a random loopback port, driven by HttpClient and ClientWebSocket.</summary>
public sealed class ServerTests : IAsyncLifetime
{
    private const int BodyLimit = 64 * 1024;
    private readonly TestChain _chain = new(new RpcServerOptions { Port = 0, MaxRequestBytes = BodyLimit });
    private readonly HttpClient _http = new();
    private JsonRpcServer _server = null!;

    public async Task InitializeAsync()
    {
        _server = new JsonRpcServer(_chain.Dispatcher);
        await _server.StartAsync();
    }

    public async Task DisposeAsync()
    {
        _http.Dispose();
        await _server.DisposeAsync();
        _chain.Dispose();
    }

    private static CancellationToken Guard() => new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token;

    private async Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(HttpContent content)
    {
        using var response = await _http.PostAsync(_server.HttpUrl, content, Guard());
        var text = await response.Content.ReadAsStringAsync();
        using var doc = JsonDocument.Parse(text);
        return (response.StatusCode, doc.RootElement.Clone());
    }

    private Task<(HttpStatusCode Status, JsonElement Body)> PostAsync(string json) =>
        PostAsync(new StringContent(json, Encoding.UTF8, "application/json"));

    [Fact]
    public void Listens_on_loopback_only_by_default()
    {
        Assert.Equal(IPAddress.Loopback, new RpcServerOptions().Host);
        Assert.Equal("127.0.0.1", _server.HttpUrl.Host);
        Assert.NotEqual(0, _server.Port);
    }

    [Fact]
    public async Task Http_post_single_and_batch()
    {
        var (status, body) = await PostAsync("""{"jsonrpc":"2.0","id":7,"method":"eth_chainId","params":[]}""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(7, body.GetProperty("id").GetInt32());
        Assert.Equal(new UInt256(TestChain.Id).ToHexString(), body.GetProperty("result").GetString());

        (status, body) = await PostAsync("""[{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber"},{"jsonrpc":"2.0","id":2,"method":"net_version"}]""");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(2, body.GetArrayLength());
    }

    [Fact]
    public async Task Malformed_json_over_http_is_a_json_rpc_error_and_the_connection_stays_usable()
    {
        var (status, body) = await PostAsync("{\"jsonrpc\":");
        Assert.Equal(HttpStatusCode.OK, status);
        Assert.Equal(RpcErrorCodes.ParseError, body.GetProperty("error").GetProperty("code").GetInt32());
        (status, _) = await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}""");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Oversized_body_gets_413_with_a_json_rpc_error()
    {
        var padding = new string(' ', BodyLimit);
        var json = "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"eth_chainId\"" + padding + "}";
        var (status, body) = await PostAsync(json);
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        var error = body.GetProperty("error");
        Assert.Equal(RpcErrorCodes.InvalidRequest, error.GetProperty("code").GetInt32());
        Assert.Contains("too large", error.GetProperty("message").GetString());

        // Without a Content-Length (chunked), the limit still holds.
        (status, body) = await PostAsync(new ChunkedContent(Encoding.UTF8.GetBytes(json)));
        Assert.Equal(HttpStatusCode.RequestEntityTooLarge, status);
        Assert.Contains("too large", body.GetProperty("error").GetProperty("message").GetString());

        (status, _) = await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"eth_chainId"}""");
        Assert.Equal(HttpStatusCode.OK, status);
    }

    [Fact]
    public async Task Get_is_refused_with_a_json_body_and_options_allows_cors()
    {
        using var get = await _http.GetAsync(_server.HttpUrl, Guard());
        Assert.Equal(HttpStatusCode.MethodNotAllowed, get.StatusCode);
        using var doc = JsonDocument.Parse(await get.Content.ReadAsStringAsync());
        Assert.Equal(RpcErrorCodes.InvalidRequest, doc.RootElement.GetProperty("error").GetProperty("code").GetInt32());

        using var options = await _http.SendAsync(new HttpRequestMessage(HttpMethod.Options, _server.HttpUrl), Guard());
        Assert.Equal(HttpStatusCode.NoContent, options.StatusCode);
        Assert.Equal("*", options.Headers.GetValues("Access-Control-Allow-Origin").Single());
    }

    [Fact]
    public async Task Http_subscribe_is_refused()
    {
        var (_, body) = await PostAsync("""{"jsonrpc":"2.0","id":1,"method":"eth_subscribe","params":["newHeads"]}""");
        Assert.Equal(RpcErrorCodes.NotificationsUnsupported, body.GetProperty("error").GetProperty("code").GetInt32());
    }

    [Fact]
    public async Task Websocket_subscriptions_deliver_new_heads_and_matching_logs()
    {
        var emitter = _chain.Deploy(Bytecode.LogEmitter);
        var other = _chain.Deploy(Bytecode.LogEmitter);
        using var socket = await ConnectAsync();
        var heads = (await RequestAsync(socket, 1, "eth_subscribe", "[\"newHeads\"]")).GetProperty("result").GetString();
        var logs = (await RequestAsync(socket, 2, "eth_subscribe", $"[\"logs\", {{\"address\":\"{emitter}\"}}]")).GetProperty("result").GetString();
        Assert.NotEqual(heads, logs);

        // A log from another contract must not arrive; the one from the emitter must.
        _chain.Send(0, other, data: [0x01]);
        var receipt = _chain.Send(0, emitter, data: [0xbe, 0xef]);
        var blockNumber = receipt.GetProperty("blockNumber").GetString();

        var sawHead = false;
        JsonElement? sawLog = null;
        while (!sawHead || sawLog is null)
        {
            var message = await ReceiveAsync(socket);
            Assert.Equal("eth_subscription", message.GetProperty("method").GetString());
            var parameters = message.GetProperty("params");
            var result = parameters.GetProperty("result");
            var subscription = parameters.GetProperty("subscription").GetString();
            if (subscription == heads)
            {
                if (result.GetProperty("number").GetString() == blockNumber)
                {
                    Assert.Equal(receipt.GetProperty("blockHash").GetString(), result.GetProperty("hash").GetString());
                    sawHead = true;
                }
            }
            else
            {
                Assert.Equal(logs, subscription);
                Assert.Equal(emitter, Address.Parse(result.GetProperty("address").GetString()!));
                sawLog = result;
            }
        }
        Assert.Equal("0xbeef", sawLog.Value.GetProperty("data").GetString());
        Assert.Equal(receipt.GetProperty("transactionHash").GetString(), sawLog.Value.GetProperty("transactionHash").GetString());

        Assert.True((await RequestAsync(socket, 3, "eth_unsubscribe", $"[\"{heads}\"]")).GetProperty("result").GetBoolean());
        Assert.False((await RequestAsync(socket, 4, "eth_unsubscribe", $"[\"{heads}\"]")).GetProperty("result").GetBoolean());
    }

    [Fact]
    public async Task Websocket_pending_transactions_subscription()
    {
        using var socket = await ConnectAsync();
        var id = (await RequestAsync(socket, 1, "eth_subscribe", "[\"newPendingTransactions\"]")).GetProperty("result").GetString();
        var receipt = _chain.Send(1, TestChain.AddressOf(2), value: 3);
        var message = await ReceiveAsync(socket);
        Assert.Equal(id, message.GetProperty("params").GetProperty("subscription").GetString());
        Assert.Equal(receipt.GetProperty("transactionHash").GetString(), message.GetProperty("params").GetProperty("result").GetString());
    }

    [Fact]
    public async Task Websocket_survives_bad_and_oversized_messages()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, "{oops");
        Assert.Equal(RpcErrorCodes.ParseError, (await ReceiveAsync(socket)).GetProperty("error").GetProperty("code").GetInt32());

        await SendAsync(socket, "[" + new string(' ', BodyLimit + 10) + "]");
        var tooLarge = (await ReceiveAsync(socket)).GetProperty("error");
        Assert.Equal(RpcErrorCodes.InvalidRequest, tooLarge.GetProperty("code").GetInt32());
        Assert.Contains("too large", tooLarge.GetProperty("message").GetString());

        var ok = await RequestAsync(socket, 5, "eth_chainId", "[]");
        Assert.Equal(new UInt256(TestChain.Id).ToHexString(), ok.GetProperty("result").GetString());
        await socket.CloseAsync(WebSocketCloseStatus.NormalClosure, null, Guard());
        Assert.Equal(WebSocketState.Closed, socket.State);
    }

    [Fact]
    public async Task Websocket_batch_is_answered_as_one_message()
    {
        using var socket = await ConnectAsync();
        await SendAsync(socket, """[{"jsonrpc":"2.0","id":1,"method":"eth_chainId"},{"jsonrpc":"2.0","id":2,"method":"eth_accounts"}]""");
        var response = await ReceiveAsync(socket);
        Assert.Equal(2, response.GetArrayLength());
        Assert.Equal(TestChain.Accounts.Count, response[1].GetProperty("result").GetArrayLength());
    }

    private async Task<ClientWebSocket> ConnectAsync()
    {
        var socket = new ClientWebSocket();
        await socket.ConnectAsync(_server.WebSocketUrl, Guard());
        return socket;
    }

    private static Task SendAsync(ClientWebSocket socket, string text) =>
        socket.SendAsync(Encoding.UTF8.GetBytes(text), WebSocketMessageType.Text, true, Guard());

    private static async Task<JsonElement> ReceiveAsync(ClientWebSocket socket)
    {
        var buffer = new byte[1 << 16];
        using var message = new MemoryStream();
        WebSocketReceiveResult result;
        do
        {
            result = await socket.ReceiveAsync(buffer, Guard());
            Assert.NotEqual(WebSocketMessageType.Close, result.MessageType);
            message.Write(buffer, 0, result.Count);
        }
        while (!result.EndOfMessage);
        using var doc = JsonDocument.Parse(message.ToArray());
        return doc.RootElement.Clone();
    }

    /// <summary>Sends a request and returns its response, skipping notifications that arrive first.</summary>
    private static async Task<JsonElement> RequestAsync(ClientWebSocket socket, int id, string method, string parameters)
    {
        await SendAsync(socket, $$"""{"jsonrpc":"2.0","id":{{id}},"method":"{{method}}","params":{{parameters}}}""");
        while (true)
        {
            var message = await ReceiveAsync(socket);
            if (message.ValueKind == JsonValueKind.Object && message.TryGetProperty("id", out var got) && got.ValueKind == JsonValueKind.Number && got.GetInt32() == id)
                return message;
        }
    }

    /// <summary>Content with no length, so HttpClient sends it chunked.</summary>
    private sealed class ChunkedContent(byte[] bytes) : HttpContent
    {
        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(bytes).AsTask();

        protected override bool TryComputeLength(out long length)
        {
            length = 0;
            return false;
        }
    }
}
