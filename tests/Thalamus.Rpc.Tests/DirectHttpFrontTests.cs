using System.Net;
using System.Net.Http.Headers;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;
using Xunit;

namespace Thalamus.Rpc.Tests;

/// <summary>
/// With <see cref="RpcServerOptions.DirectHttp"/> plain POSTs are served in front of Kestrel and
/// everything else is relayed to it: every kind of request must still be answered, in order, on
/// the connection it came on, as Kestrel alone answers it.
/// </summary>
public sealed class DirectHttpFrontTests
{
    private static CancellationToken Guard() => new CancellationTokenSource(TimeSpan.FromSeconds(60)).Token;

    private static string Call(int id) =>
        $$"""{"jsonrpc":"2.0","id":{{id}},"method":"eth_call","params":[{"to":"0x00000000000000000000000000000000000000aa","data":"0x{{id:x4}}"},"latest"]}""";

    private static string Post(string body, string extraHeaders = "", string version = "HTTP/1.1") =>
        $"POST / {version}\r\nHost: localhost\r\nContent-Type: application/json\r\n{extraHeaders}Content-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";

    private static string Chunked(string body) =>
        $"POST / HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json\r\nTransfer-Encoding: chunked\r\n\r\n{Encoding.UTF8.GetByteCount(body):x}\r\n{body}\r\n0\r\n\r\n";

    private static async Task<(JsonRpcServer Server, RpcDispatcher Dispatcher)> StartAsync(bool direct)
    {
        var dispatcher = new RpcDispatcher(new FakeBackend(), new RpcServerOptions { Port = 0, DirectHttp = direct });
        var server = new JsonRpcServer(dispatcher);
        await server.StartAsync();
        return (server, dispatcher);
    }

    private static async Task<Socket> ConnectAsync(JsonRpcServer server)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(new IPEndPoint(IPAddress.Loopback, server.Port), Guard());
        return socket;
    }

    private sealed record Response(int Status, Dictionary<string, string> Headers, string Body);

    /// <summary>Reads until <paramref name="count"/> complete responses (or the connection closes: then fewer).</summary>
    private static async Task<List<Response>> ReadResponsesAsync(Socket socket, int count, List<byte>? received = null)
    {
        received ??= [];
        var buffer = new byte[8192];
        while (true)
        {
            var responses = ParseResponses(received.ToArray());
            if (responses.Count >= count) return responses;
            var read = await socket.ReceiveAsync(buffer, SocketFlags.None, Guard());
            if (read == 0) return responses;
            received.AddRange(buffer.AsSpan(0, read).ToArray());
        }
    }

    private static List<Response> ParseResponses(byte[] bytes)
    {
        var responses = new List<Response>();
        var text = Encoding.UTF8.GetString(bytes);
        var at = 0;
        while (true)
        {
            var headEnd = text.IndexOf("\r\n\r\n", at, StringComparison.Ordinal);
            if (headEnd < 0) return responses;
            var lines = text[at..headEnd].Split("\r\n");
            var status = int.Parse(lines[0].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture);
            var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
            foreach (var line in lines.Skip(1)) headers[line[..line.IndexOf(':')]] = line[(line.IndexOf(':') + 1)..].Trim();
            var length = headers.TryGetValue("Content-Length", out var declared) ? int.Parse(declared, System.Globalization.CultureInfo.InvariantCulture) : 0;
            var bodyStart = headEnd + 4;
            if (bodyStart + length > text.Length) return responses;
            if (status != 100) responses.Add(new Response(status, headers, text.Substring(bodyStart, length)));
            at = bodyStart + length;
        }
    }

    private static void AssertAnswers(Response response, int id)
    {
        Assert.Equal(200, response.Status);
        Assert.Equal("application/json", response.Headers["Content-Type"]);
        using var answer = JsonDocument.Parse(response.Body);
        Assert.Equal(id, answer.RootElement.GetProperty("id").GetInt32());
        Assert.Equal($"0x{id:x4}", answer.RootElement.GetProperty("result").GetString());
    }

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public async Task Plain_chunked_and_refused_requests_on_one_connection_are_all_answered_in_order(bool direct)
    {
        var (server, dispatcher) = await StartAsync(direct);
        await using var _ = server;
        using var __ = dispatcher;
        using var socket = await ConnectAsync(server);

        // A plain POST, then one the front relays (chunked), then plain ones again, then a GET.
        await socket.SendAsync(Encoding.UTF8.GetBytes(Post(Call(1))), SocketFlags.None, Guard());
        var first = await ReadResponsesAsync(socket, 1);
        AssertAnswers(Assert.Single(first), 1);
        Assert.Equal("*", first[0].Headers["Access-Control-Allow-Origin"]);

        var rest = Chunked(Call(2)) + Post(Call(3)) + Post(Call(4)) + "GET / HTTP/1.1\r\nHost: localhost\r\n\r\n";
        await socket.SendAsync(Encoding.UTF8.GetBytes(rest), SocketFlags.None, Guard());
        var answers = await ReadResponsesAsync(socket, 4);
        Assert.Equal(4, answers.Count);
        AssertAnswers(answers[0], 2);
        AssertAnswers(answers[1], 3);
        AssertAnswers(answers[2], 4);
        Assert.Equal(405, answers[3].Status);
        Assert.Contains("HTTP POST", answers[3].Body);
    }

    [Fact]
    public async Task A_post_asking_to_close_is_answered_and_then_the_connection_is_closed()
    {
        var (server, dispatcher) = await StartAsync(direct: true);
        await using var _ = server;
        using var __ = dispatcher;
        using var socket = await ConnectAsync(server);

        await socket.SendAsync(Encoding.UTF8.GetBytes(Post(Call(5), "Connection: close\r\n")), SocketFlags.None, Guard());
        var received = new List<byte>();
        var answers = await ReadResponsesAsync(socket, 2, received); // asks for more than come: returns at the close
        AssertAnswers(Assert.Single(answers), 5);
        Assert.Equal("close", answers[0].Headers["Connection"]);
    }

    [Fact]
    public async Task A_request_arriving_in_pieces_is_answered_once_it_is_complete()
    {
        var (server, dispatcher) = await StartAsync(direct: true);
        await using var _ = server;
        using var __ = dispatcher;
        using var socket = await ConnectAsync(server);

        // The header byte by byte across the blank line, the body in two writes, with a second
        // request's start glued to the end of the first.
        var bytes = Encoding.UTF8.GetBytes(Post(Call(6)) + Post(Call(7)));
        var firstLength = Encoding.UTF8.GetByteCount(Post(Call(6)));
        var headerLength = Encoding.UTF8.GetString(bytes).IndexOf("\r\n\r\n", StringComparison.Ordinal) + 4;
        for (var i = 0; i < headerLength; i++)
        {
            await socket.SendAsync(bytes.AsMemory(i, 1), SocketFlags.None, Guard());
            await Task.Yield();
        }
        await socket.SendAsync(bytes.AsMemory(headerLength, 10), SocketFlags.None, Guard());
        await socket.SendAsync(bytes.AsMemory(headerLength + 10, firstLength - headerLength - 10 + 5), SocketFlags.None, Guard());
        AssertAnswers(Assert.Single(await ReadResponsesAsync(socket, 1)), 6);
        await socket.SendAsync(bytes.AsMemory(firstLength + 5), SocketFlags.None, Guard());
        var received = new List<byte>();
        AssertAnswers(Assert.Single(await ReadResponsesAsync(socket, 1, received)), 7);
    }

    [Fact]
    public async Task Http_1_0_and_expect_continue_posts_are_answered_through_kestrel()
    {
        var (server, dispatcher) = await StartAsync(direct: true);
        await using var _ = server;
        using var __ = dispatcher;

        using (var socket = await ConnectAsync(server))
        {
            await socket.SendAsync(Encoding.UTF8.GetBytes(Post(Call(8), version: "HTTP/1.0")), SocketFlags.None, Guard());
            AssertAnswers(Assert.Single(await ReadResponsesAsync(socket, 2)), 8);
        }

        using var client = new HttpClient();
        client.DefaultRequestHeaders.ExpectContinue = true;
        using var content = new StringContent(Call(9), Encoding.UTF8, new MediaTypeHeaderValue("application/json"));
        using var response = await client.PostAsync(server.HttpUrl, content, Guard());
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        using var answer = JsonDocument.Parse(await response.Content.ReadAsStringAsync(Guard()));
        Assert.Equal("0x0009", answer.RootElement.GetProperty("result").GetString());
    }

    [Fact]
    public async Task A_declared_body_over_the_limit_is_refused_by_kestrel_with_413()
    {
        var dispatcher = new RpcDispatcher(new FakeBackend(), new RpcServerOptions { Port = 0, MaxRequestBytes = 100 });
        using var __ = dispatcher;
        await using var server = new JsonRpcServer(dispatcher);
        await server.StartAsync();
        using var socket = await ConnectAsync(server);

        var body = Call(10) + new string(' ', 200);
        await socket.SendAsync(Encoding.UTF8.GetBytes(Post(body)), SocketFlags.None, Guard());
        var answer = Assert.Single(await ReadResponsesAsync(socket, 1));
        Assert.Equal(413, answer.Status);
        Assert.Contains("request too large", answer.Body);
    }
}
