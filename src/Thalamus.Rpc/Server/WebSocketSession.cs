using System.Net.WebSockets;
using System.Threading.Channels;

namespace Thalamus.Rpc;

/// <summary>
/// One WebSocket connection: reads whole messages, answers them through the dispatcher, and
/// sends responses and subscription notifications from a single queue (one writer, in order).
/// A message over the size limit is drained and answered with an error; the connection stays up.
/// A client that stops reading until its queue overflows is disconnected.
/// </summary>
internal sealed class WebSocketSession : RpcSession
{
    private readonly WebSocket _socket;
    private readonly RpcDispatcher _dispatcher;
    private readonly Channel<byte[]> _outbox;
    // Never disposed: the subscription pump may still call TrySend after the session ended.
    private readonly CancellationTokenSource _closing = new();
    private int _queued;

    public WebSocketSession(WebSocket socket, RpcDispatcher dispatcher)
    {
        _socket = socket;
        _dispatcher = dispatcher;
        _outbox = Channel.CreateUnbounded<byte[]>(new UnboundedChannelOptions { SingleReader = true });
    }

    public override bool TrySend(byte[] message)
    {
        if (Interlocked.Increment(ref _queued) > _dispatcher.Options.MaxQueuedMessagesPerConnection)
        {
            Interlocked.Decrement(ref _queued);
            _outbox.Writer.TryComplete();
            _closing.Cancel();
            return false;
        }
        if (_outbox.Writer.TryWrite(message)) return true;
        Interlocked.Decrement(ref _queued);
        return false;
    }

    public async Task RunAsync(CancellationToken serverStopping)
    {
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(serverStopping, _closing.Token);
        var token = linked.Token;
        var sender = SendLoopAsync(token);
        var limit = _dispatcher.Options.MaxRequestBytes;
        using var input = new PooledBufferWriter(16 * 1024);
        using var output = new PooledBufferWriter(16 * 1024);
        var closedByClient = false;
        try
        {
            while (_socket.State == WebSocketState.Open && !token.IsCancellationRequested)
            {
                input.Clear();
                long total = 0;
                ValueWebSocketReceiveResult result;
                do
                {
                    // Past the limit, keep reading into the same space to drain the message.
                    if (total > limit) input.Clear();
                    result = await _socket.ReceiveAsync(input.GetMemory(16 * 1024), token).ConfigureAwait(false);
                    if (result.MessageType == WebSocketMessageType.Close)
                    {
                        closedByClient = true;
                        break;
                    }
                    input.Advance(result.Count);
                    total += result.Count;
                }
                while (!result.EndOfMessage);
                if (closedByClient) break;

                output.Clear();
                if (total > limit)
                    RpcDispatcher.WriteTransportError(output, RpcErrorCodes.InvalidRequest, $"request too large: {total} bytes, the limit is {limit}");
                else
                    _dispatcher.Process(input.WrittenSpan, output, this);
                if (output.WrittenCount > 0 && !TrySend(output.ToArray())) break;
                ActivateSubscriptions();
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (WebSocketException)
        {
        }
        finally
        {
            _dispatcher.Subscriptions.RemoveSession(this);
            _outbox.Writer.TryComplete();
            try
            {
                await sender.ConfigureAwait(false);
            }
            catch (Exception)
            {
                // The connection is gone either way.
            }
            await CloseAsync(closedByClient).ConfigureAwait(false);
        }
    }

    private async Task SendLoopAsync(CancellationToken token)
    {
        await foreach (var message in _outbox.Reader.ReadAllAsync(token).ConfigureAwait(false))
        {
            Interlocked.Decrement(ref _queued);
            await _socket.SendAsync(message, WebSocketMessageType.Text, true, token).ConfigureAwait(false);
        }
    }

    private async Task CloseAsync(bool closedByClient)
    {
        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            if (_closing.IsCancellationRequested && _socket.State == WebSocketState.Open)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.PolicyViolation, "client too slow: send queue overflow", timeout.Token).ConfigureAwait(false);
            else if (closedByClient && _socket.State == WebSocketState.CloseReceived)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.NormalClosure, null, timeout.Token).ConfigureAwait(false);
            else if (_socket.State == WebSocketState.Open)
                await _socket.CloseOutputAsync(WebSocketCloseStatus.EndpointUnavailable, "server stopping", timeout.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is WebSocketException or OperationCanceledException or ObjectDisposedException)
        {
        }
    }
}
