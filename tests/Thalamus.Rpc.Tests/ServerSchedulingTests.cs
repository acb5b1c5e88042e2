using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Thalamus.Rpc.Tests;

/// <summary>
/// The HTTP endpoint runs handlers inline on the thread that received the request
/// (Kestrel's inline scheduling): a request held in the backend must still leave other
/// connections served, and one connection's pipelined requests must be answered in order.
/// </summary>
public sealed class ServerSchedulingTests
{
    private static CancellationToken Guard() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    [Fact]
    public async Task A_call_held_in_the_backend_does_not_hold_up_other_connections_and_is_answered_when_released()
    {
        using var entered = new SemaphoreSlim(0);
        using var release = new ManualResetEventSlim();
        var backend = new FakeBackend
        {
            BeforeCall = () =>
            {
                entered.Release();
                release.Wait(TimeSpan.FromSeconds(60));
            },
        };
        using var dispatcher = new RpcDispatcher(backend, new RpcServerOptions { Port = 0 });
        await using var server = new JsonRpcServer(dispatcher);
        await server.StartAsync();
        using var held = new HttpClient();
        using var other = new HttpClient();

        var call = held.PostAsync(server.HttpUrl,
            Json("""{"jsonrpc":"2.0","id":1,"method":"eth_call","params":[{"to":"0x00000000000000000000000000000000000000aa","data":"0xc0ffee"},"latest"]}"""), Guard());
        Assert.True(await entered.WaitAsync(TimeSpan.FromSeconds(60)), "the eth_call never reached the backend");

        // While the call is inside the backend, requests on other connections are answered.
        for (var i = 0; i < 10; i++)
        {
            using var response = await other.PostAsync(server.HttpUrl, Json($$"""{"jsonrpc":"2.0","id":{{100 + i}},"method":"eth_chainId","params":[]}"""), Guard());
            using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync());
            Assert.Equal(100 + i, answer.RootElement.GetProperty("id").GetInt32());
            Assert.Equal("0x7a69", answer.RootElement.GetProperty("result").GetString());
        }
        Assert.False(call.IsCompleted, "the held eth_call answered before the backend let it go");

        release.Set();
        using var released = await call;
        using var result = JsonDocument.Parse(await released.Content.ReadAsStringAsync());
        Assert.Equal("0xc0ffee", result.RootElement.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Pipelined_requests_on_one_connection_are_answered_in_the_order_sent()
    {
        using var dispatcher = new RpcDispatcher(new FakeBackend(), new RpcServerOptions { Port = 0 });
        await using var server = new JsonRpcServer(dispatcher);
        await server.StartAsync();
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new System.Net.IPEndPoint(System.Net.IPAddress.Loopback, server.Port), Guard());

        // Twenty requests in one write, each eth_call echoing its own data, then read every answer.
        const int count = 20;
        var requests = new StringBuilder();
        for (var i = 0; i < count; i++)
        {
            var body = $$"""{"jsonrpc":"2.0","id":{{i}},"method":"eth_call","params":[{"to":"0x00000000000000000000000000000000000000aa","data":"0x{{i:x4}}"},"latest"]}""";
            requests.Append($"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}");
        }
        await socket.SendAsync(Encoding.UTF8.GetBytes(requests.ToString()), SocketFlags.None, Guard());

        var received = new MemoryStream();
        var buffer = new byte[8192];
        var answers = new List<JsonElement>();
        while (answers.Count < count)
        {
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, Guard());
            Assert.True(read > 0, $"the server closed the connection after {answers.Count} answers");
            received.Write(buffer, 0, read);
            answers = ParseResponses(received.ToArray());
        }
        for (var i = 0; i < count; i++)
        {
            Assert.Equal(i, answers[i].GetProperty("id").GetInt32());
            Assert.Equal($"0x{i:x4}", answers[i].GetProperty("result").GetString());
        }
    }

    /// <summary>The complete HTTP/1.1 responses (with Content-Length) in <paramref name="bytes"/>, their JSON bodies in order.</summary>
    private static List<JsonElement> ParseResponses(byte[] bytes)
    {
        var bodies = new List<JsonElement>();
        var text = Encoding.UTF8.GetString(bytes);
        var at = 0;
        while (true)
        {
            var headEnd = text.IndexOf("\r\n\r\n", at, StringComparison.Ordinal);
            if (headEnd < 0) return bodies;
            var head = text[at..headEnd];
            Assert.StartsWith("HTTP/1.1 200", head, StringComparison.Ordinal);
            var lengthLine = head.Split("\r\n").Single(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
            var length = int.Parse(lengthLine["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
            var bodyStart = headEnd + 4;
            if (bodyStart + length > text.Length) return bodies;
            using var doc = JsonDocument.Parse(text.Substring(bodyStart, length));
            bodies.Add(doc.RootElement.Clone());
            at = bodyStart + length;
        }
    }
}
