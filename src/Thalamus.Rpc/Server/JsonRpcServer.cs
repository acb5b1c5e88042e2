using System.Buffers;
using System.IO.Pipelines;
using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace Thalamus.Rpc;

/// <summary>
/// The JSON-RPC endpoint of one chain on Kestrel: HTTP POST and WebSocket on the same port
/// (like anvil), 127.0.0.1 by default. Oversized bodies get HTTP 413 with a JSON-RPC error
/// body; on an endpoint with <see cref="RpcServerOptions.Authentication"/>, a request without a
/// valid JWT gets HTTP 401 with the reason; anything else gets a JSON-RPC response.
/// </summary>
public sealed class JsonRpcServer : IAsyncDisposable
{
    private readonly RpcDispatcher _dispatcher;
    private readonly RpcServerOptions _options;
    private readonly CancellationTokenSource _stopping = new();
    private WebApplication? _app;
    private DirectHttpFront? _front;
    private int _webSockets;
    private bool _stopped;

    public JsonRpcServer(RpcDispatcher dispatcher)
    {
        ArgumentNullException.ThrowIfNull(dispatcher);
        _dispatcher = dispatcher;
        _options = dispatcher.Options;
    }

    /// <summary>The bound port (the chosen one when <see cref="RpcServerOptions.Port"/> was 0).</summary>
    public int Port { get; private set; }

    public Uri HttpUrl => new($"http://{HostText}:{Port}");

    public Uri WebSocketUrl => new($"ws://{HostText}:{Port}");

    private string HostText => _options.Host.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{_options.Host}]" : _options.Host.ToString();

    public async Task StartAsync(CancellationToken cancellationToken = default)
    {
        if (_app is not null) throw new InvalidOperationException("the server is already started");
        // Plain POSTs served in front of Kestrel (DirectHttpFront), which then listens on loopback only.
        var direct = _options.DirectHttp && _options.Authentication is null;
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.Logging.ClearProviders();
        builder.WebHost.UseKestrelCore();
        // Per request, Kestrel's default hands the received bytes from the socket's completion to an
        // IO queue and then to the thread pool for the handler, and the reply back to the IO queue:
        // on the empty eth_call most of the node's CPU was those hand-offs and workers parking and
        // waking (bench/ethcall/README.md). Inline: parsing, the handler and the send run on the
        // thread-pool thread that received the completion. The socket completion itself still goes
        // from the epoll thread to the thread pool (DOTNET_SYSTEM_NET_SOCKETS_INLINE_COMPLETIONS is
        // not set), so a long eth_call or an automined block holds one worker, never the thread
        // that serves the other connections' sockets.
        // And one receive per request instead of a zero-byte wait and then the read (a 4 KiB buffer
        // per idle connection is nothing for a node's handful of clients).
        builder.WebHost.UseSockets(sockets =>
        {
            sockets.UnsafePreferInlineScheduling = true;
            sockets.WaitForDataBeforeAllocatingBuffer = false;
        });
        builder.WebHost.ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            if (direct) kestrel.Listen(IPAddress.Loopback, 0);
            else kestrel.Listen(_options.Host, _options.Port);
            // We enforce the body limit ourselves, to answer with a JSON-RPC error rather than a reset.
            kestrel.Limits.MaxRequestBodySize = null;
            kestrel.Limits.MaxRequestHeadersTotalSize = 64 * 1024;
        });
        var app = builder.Build();
        app.UseWebSockets(new WebSocketOptions { KeepAliveInterval = TimeSpan.FromSeconds(30) });
        app.Run(HandleAsync);
        await app.StartAsync(cancellationToken).ConfigureAwait(false);
        _app = app;
        var addresses = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>();
        var bound = addresses?.Addresses.FirstOrDefault() ?? throw new InvalidOperationException("Kestrel reported no bound address");
        Port = new Uri(bound).Port;
        if (!direct) return;
        try
        {
            _front = new DirectHttpFront(_options.Host, _options.Port, new IPEndPoint(IPAddress.Loopback, Port), _dispatcher);
        }
        catch
        {
            await app.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await app.DisposeAsync().ConfigureAwait(false);
            _app = null;
            throw;
        }
        _front.Start();
        Port = _front.Port;
    }

    public async Task StopAsync()
    {
        if (_app is null || _stopped) return;
        _stopped = true;
        _stopping.Cancel();
        _front?.Dispose();
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(5));
        await _app.StopAsync(timeout.Token).ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        if (_app is not null) await _app.DisposeAsync().ConfigureAwait(false);
        _app = null;
        _stopping.Dispose();
    }

    private async Task HandleAsync(HttpContext context)
    {
        var response = context.Response;
        // The admin endpoint: no token, no service (HTTP requests and WebSocket handshakes alike).
        if (_options.Authentication is { } authentication && authentication.Refuse(context.Request.Headers.Authorization) is { } refusal)
        {
            response.Headers.WWWAuthenticate = "Bearer";
            await WriteErrorAsync(response, StatusCodes.Status401Unauthorized, RpcErrorCodes.InvalidRequest, "unauthorized: " + refusal).ConfigureAwait(false);
            return;
        }
        if (_options.AllowAnyOrigin)
        {
            response.Headers.AccessControlAllowOrigin = "*";
            response.Headers.AccessControlAllowMethods = "POST, GET, OPTIONS";
            response.Headers.AccessControlAllowHeaders = "*";
        }
        if (context.WebSockets.IsWebSocketRequest)
        {
            await RunWebSocketAsync(context).ConfigureAwait(false);
            return;
        }
        var method = context.Request.Method;
        if (HttpMethods.IsOptions(method))
        {
            response.StatusCode = StatusCodes.Status204NoContent;
            return;
        }
        if (!HttpMethods.IsPost(method))
        {
            await WriteErrorAsync(response, StatusCodes.Status405MethodNotAllowed, RpcErrorCodes.InvalidRequest,
                "send JSON-RPC requests with HTTP POST, or connect a WebSocket").ConfigureAwait(false);
            return;
        }
        var limit = _options.MaxRequestBytes;
        if (context.Request.ContentLength is { } declared && declared > limit)
        {
            await WriteErrorAsync(response, StatusCodes.Status413PayloadTooLarge, RpcErrorCodes.InvalidRequest,
                $"request too large: {declared} bytes, the limit is {limit}").ConfigureAwait(false);
            return;
        }

        var reader = context.Request.BodyReader;
        ReadResult read;
        while (true)
        {
            read = await reader.ReadAsync(context.RequestAborted).ConfigureAwait(false);
            if (read.Buffer.Length > limit)
            {
                reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
                await WriteErrorAsync(response, StatusCodes.Status413PayloadTooLarge, RpcErrorCodes.InvalidRequest,
                    $"request too large: more than {limit} bytes").ConfigureAwait(false);
                return;
            }
            if (read.IsCompleted || read.IsCanceled) break;
            reader.AdvanceTo(read.Buffer.Start, read.Buffer.End);
        }

        var body = read.Buffer;
        using var output = new PooledBufferWriter(4096);
        if (body.IsSingleSegment)
        {
            _dispatcher.Process(body.FirstSpan, output);
        }
        else
        {
            var length = (int)body.Length;
            var copy = ArrayPool<byte>.Shared.Rent(length);
            try
            {
                body.CopyTo(copy);
                _dispatcher.Process(copy.AsSpan(0, length), output);
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(copy);
            }
        }
        reader.AdvanceTo(body.End);

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = "application/json";
        response.ContentLength = output.WrittenCount;
        if (output.WrittenCount <= InlineResponseBytes)
        {
            // Headers and body leave in the one flush Kestrel makes when the handler returns.
            response.BodyWriter.Write(output.WrittenSpan);
            return;
        }
        await response.BodyWriter.WriteAsync(output.WrittenMemory, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>Responses up to this size are copied into Kestrel's output without an extra flush; larger ones are written with back-pressure.</summary>
    private const int InlineResponseBytes = 64 * 1024;

    private async Task RunWebSocketAsync(HttpContext context)
    {
        if (Interlocked.Increment(ref _webSockets) > _options.MaxWebSocketConnections)
        {
            Interlocked.Decrement(ref _webSockets);
            await WriteErrorAsync(context.Response, StatusCodes.Status503ServiceUnavailable, RpcErrorCodes.LimitExceeded,
                $"too many WebSocket connections (limit {_options.MaxWebSocketConnections})").ConfigureAwait(false);
            return;
        }
        try
        {
            using var socket = await context.WebSockets.AcceptWebSocketAsync(new WebSocketAcceptContext
            {
                DangerousEnableCompression = false,
            }).ConfigureAwait(false);
            var session = new WebSocketSession(socket, _dispatcher);
            await session.RunAsync(_stopping.Token).ConfigureAwait(false);
        }
        finally
        {
            Interlocked.Decrement(ref _webSockets);
        }
    }

    private static async Task WriteErrorAsync(HttpResponse response, int status, int code, string message)
    {
        using var output = new PooledBufferWriter(512);
        RpcDispatcher.WriteTransportError(output, code, message);
        response.StatusCode = status;
        response.ContentType = "application/json";
        response.ContentLength = output.WrittenCount;
        await response.BodyWriter.WriteAsync(output.WrittenMemory).ConfigureAwait(false);
    }
}
