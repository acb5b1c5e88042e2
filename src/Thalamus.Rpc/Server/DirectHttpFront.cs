using System.Buffers.Text;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Thalamus.Rpc;

/// <summary>
/// The endpoint's port when <see cref="RpcServerOptions.DirectHttp"/> is on: it serves the common
/// request itself, a JSON-RPC POST over HTTP/1.1 with a Content-Length body, on one thread per
/// connection with blocking socket calls, so that a request wakes only the thread that reads it.
/// (Through Kestrel the received bytes wake the sockets' epoll thread, which wakes a pool worker
/// for the handler: the second wake-up cost an eth_call 0.05–0.1 ms on a busy machine,
/// bench/ethcall/README.md.) Anything else (a WebSocket handshake, another method, a chunked,
/// oversized or Expect: 100-continue body, HTTP/1.0, a malformed or huge header) is relayed byte
/// for byte, with the rest of its connection, to the Kestrel server behind it on a loopback port,
/// which answers exactly as it would directly.
/// </summary>
internal sealed class DirectHttpFront : IDisposable
{
    /// <summary>Headers larger than this go to Kestrel (which refuses them above its own limit).</summary>
    private const int MaxHeaderBytes = 16 * 1024;

    /// <summary>Connections served by their own thread at once; further ones are relayed to Kestrel.</summary>
    private const int MaxDirectConnections = 256;

    private const int InitialBufferBytes = 8 * 1024;

    private static readonly byte[] HeaderEnd = "\r\n\r\n"u8.ToArray();

    private readonly RpcDispatcher _dispatcher;
    private readonly RpcServerOptions _options;
    private readonly IPEndPoint _backend;
    private readonly Socket _listener;
    private readonly ConcurrentDictionary<Socket, byte> _open = new();
    private readonly byte[] _corsHeaders;
    private int _direct;
    private volatile bool _stopped;

    /// <summary>Binds <paramref name="host"/>:<paramref name="port"/> (0: a free port) in front of Kestrel at <paramref name="backend"/>.</summary>
    public DirectHttpFront(IPAddress host, int port, IPEndPoint backend, RpcDispatcher dispatcher)
    {
        _dispatcher = dispatcher;
        _options = dispatcher.Options;
        _backend = backend;
        _corsHeaders = _options.AllowAnyOrigin
            ? "Access-Control-Allow-Origin: *\r\nAccess-Control-Allow-Methods: POST, GET, OPTIONS\r\nAccess-Control-Allow-Headers: *\r\n"u8.ToArray()
            : [];
        _listener = new Socket(host.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // As Kestrel binds [::]: IPv4 clients too.
            if (host.Equals(IPAddress.IPv6Any)) _listener.DualMode = true;
            _listener.Bind(new IPEndPoint(host, port));
            _listener.Listen(512);
        }
        catch
        {
            _listener.Dispose();
            throw;
        }
        Port = ((IPEndPoint)_listener.LocalEndPoint!).Port;
    }

    /// <summary>The bound port.</summary>
    public int Port { get; }

    public void Start() => new Thread(AcceptLoop) { IsBackground = true, Name = "rpc-http-accept" }.Start();

    public void Dispose()
    {
        if (_stopped) return;
        _stopped = true;
        _listener.Dispose();
        foreach (var socket in _open.Keys) socket.Dispose();
    }

    private void AcceptLoop()
    {
        while (!_stopped)
        {
            Socket client;
            try
            {
                client = _listener.Accept();
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                if (_stopped) return;
                // E.g. out of file descriptors: wait a little rather than spin.
                Thread.Sleep(10);
                continue;
            }
            client.NoDelay = true;
            _open[client] = 0;
            if (_stopped)
            {
                Close(client);
                return;
            }
            if (Interlocked.Increment(ref _direct) > MaxDirectConnections)
            {
                Interlocked.Decrement(ref _direct);
                _ = RelayAsync(client, []);
                continue;
            }
            new Thread(() => Serve(client)) { IsBackground = true, Name = "rpc-http" }.Start();
        }
    }

    private void Close(Socket client)
    {
        _open.TryRemove(client, out _);
        client.Dispose();
    }

    /// <summary>One connection's requests, one after the other, until it closes or needs Kestrel.</summary>
    private void Serve(Socket client)
    {
        var relayed = false;
        try
        {
            var buffer = new byte[InitialBufferBytes];
            int start = 0, end = 0;
            while (!_stopped)
            {
                // The header: up to the blank line.
                int headerLength;
                while ((headerLength = buffer.AsSpan(start, end - start).IndexOf(HeaderEnd)) < 0)
                {
                    if (end - start >= MaxHeaderBytes)
                    {
                        relayed = true;
                        _ = RelayAsync(client, buffer.AsSpan(start, end - start).ToArray());
                        return;
                    }
                    (buffer, start, end) = Room(buffer, start, end, InitialBufferBytes);
                    var received = client.Receive(buffer, end, buffer.Length - end, SocketFlags.None);
                    if (received == 0) return;
                    end += received;
                }
                if (!TryReadHeader(buffer.AsSpan(start, headerLength), out var bodyLength, out var keepAlive))
                {
                    relayed = true;
                    _ = RelayAsync(client, buffer.AsSpan(start, end - start).ToArray());
                    return;
                }

                // The body: exactly Content-Length bytes.
                var bodyStart = start + headerLength + HeaderEnd.Length;
                while (end - bodyStart < bodyLength)
                {
                    var needed = bodyStart + bodyLength - start;
                    (buffer, start, end) = Room(buffer, start, end, needed - (end - start));
                    bodyStart = start + headerLength + HeaderEnd.Length;
                    var received = client.Receive(buffer, end, buffer.Length - end, SocketFlags.None);
                    if (received == 0) return;
                    end += received;
                }

                Respond(client, buffer.AsSpan(bodyStart, bodyLength), keepAlive);
                start = bodyStart + bodyLength;
                if (start == end)
                {
                    start = end = 0;
                    // A large request leaves a large buffer: give it back.
                    if (buffer.Length > 16 * InitialBufferBytes) buffer = new byte[InitialBufferBytes];
                }
                if (!keepAlive)
                {
                    client.Shutdown(SocketShutdown.Send);
                    return;
                }
            }
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            // The client went away (or the server stops).
        }
        catch (Exception e)
        {
            // The dispatcher answers its own errors; anything else ends this connection, never the process.
            _options.OnInternalError?.Invoke(e);
        }
        finally
        {
            Interlocked.Decrement(ref _direct);
            if (!relayed) Close(client);
        }
    }

    /// <summary>The buffer with at least <paramref name="free"/> bytes after the data (moved to the front, or grown).</summary>
    private static (byte[] Buffer, int Start, int End) Room(byte[] buffer, int start, int end, int free)
    {
        var length = end - start;
        if (buffer.Length - end >= free) return (buffer, start, end);
        var target = buffer.Length - length >= free ? buffer : new byte[Math.Max(buffer.Length * 2, length + free)];
        Buffer.BlockCopy(buffer, start, target, 0, length);
        return (target, 0, length);
    }

    private void Respond(Socket client, ReadOnlySpan<byte> body, bool keepAlive)
    {
        using var output = new PooledBufferWriter(4096);
        _dispatcher.Process(body, output);
        var written = output.WrittenSpan;
        Span<byte> digits = stackalloc byte[12];
        Utf8Formatter.TryFormat(written.Length, digits, out var digitCount);
        var header = new byte[128 + _corsHeaders.Length];
        var position = 0;
        Append(header, ref position, "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: "u8);
        Append(header, ref position, digits[..digitCount]);
        Append(header, ref position, "\r\n"u8);
        Append(header, ref position, _corsHeaders);
        if (!keepAlive) Append(header, ref position, "Connection: close\r\n"u8);
        Append(header, ref position, "\r\n"u8);
        if (written.Length <= 64 * 1024)
        {
            // Header and body in one send (one segment on the wire for the usual small answer).
            var combined = new byte[position + written.Length];
            header.AsSpan(0, position).CopyTo(combined);
            written.CopyTo(combined.AsSpan(position));
            SendAll(client, combined);
        }
        else
        {
            SendAll(client, header.AsSpan(0, position));
            SendAll(client, written);
        }
    }

    private static void Append(byte[] target, ref int position, ReadOnlySpan<byte> text)
    {
        text.CopyTo(target.AsSpan(position));
        position += text.Length;
    }

    private static void SendAll(Socket client, ReadOnlySpan<byte> data)
    {
        while (!data.IsEmpty) data = data[client.Send(data, SocketFlags.None)..];
    }

    /// <summary>
    /// True for a request this front serves: POST, HTTP/1.1, a Host, one plain Content-Length
    /// within the limit, and no Transfer-Encoding, Expect, Upgrade or Connection other than
    /// keep-alive or close. <paramref name="keepAlive"/>: the client did not ask to close.
    /// </summary>
    private bool TryReadHeader(ReadOnlySpan<byte> header, out int bodyLength, out bool keepAlive)
    {
        bodyLength = -1;
        keepAlive = true;
        var lineEnd = header.IndexOf("\r\n"u8);
        var requestLine = lineEnd < 0 ? header : header[..lineEnd];
        if (!requestLine.StartsWith("POST "u8) || !requestLine.EndsWith(" HTTP/1.1"u8)) return false;
        var target = requestLine["POST ".Length..^" HTTP/1.1".Length];
        if (target.IsEmpty || target.IndexOfAny((byte)' ', (byte)'\t') >= 0) return false;
        var hasHost = false;
        var rest = lineEnd < 0 ? [] : header[(lineEnd + 2)..];
        while (!rest.IsEmpty)
        {
            var next = rest.IndexOf("\r\n"u8);
            var line = next < 0 ? rest : rest[..next];
            rest = next < 0 ? [] : rest[(next + 2)..];
            var colon = line.IndexOf((byte)':');
            // No name, a folded line or a space before the colon: Kestrel decides (400).
            if (colon <= 0 || line[0] is (byte)' ' or (byte)'\t' || line[colon - 1] is (byte)' ' or (byte)'\t') return false;
            var name = line[..colon];
            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (Ascii.EqualsIgnoreCase(name, "content-length"u8))
            {
                if (bodyLength >= 0 || value.IsEmpty || value.Length > 9 || value.IndexOfAnyExceptInRange((byte)'0', (byte)'9') >= 0) return false;
                bodyLength = int.Parse(value);
                if (bodyLength > _options.MaxRequestBytes) return false;
            }
            else if (Ascii.EqualsIgnoreCase(name, "host"u8))
            {
                if (hasHost) return false;
                hasHost = true;
            }
            else if (Ascii.EqualsIgnoreCase(name, "connection"u8))
            {
                if (Ascii.EqualsIgnoreCase(value, "close"u8)) keepAlive = false;
                else if (!Ascii.EqualsIgnoreCase(value, "keep-alive"u8)) return false;
            }
            else if (Ascii.EqualsIgnoreCase(name, "transfer-encoding"u8) || Ascii.EqualsIgnoreCase(name, "expect"u8)
                || Ascii.EqualsIgnoreCase(name, "upgrade"u8))
            {
                return false;
            }
        }
        return hasHost && bodyLength >= 0;
    }

    /// <summary>Hands the connection to Kestrel: <paramref name="received"/> first, then both directions until either side closes.</summary>
    private async Task RelayAsync(Socket client, byte[] received)
    {
        var backend = new Socket(_backend.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await backend.ConnectAsync(_backend).ConfigureAwait(false);
            if (received.Length > 0) await backend.SendAsync(received, SocketFlags.None).ConfigureAwait(false);
            await using var fromClient = new NetworkStream(client, ownsSocket: false);
            await using var fromBackend = new NetworkStream(backend, ownsSocket: false);
            var up = PumpAsync(fromClient, fromBackend, backend);
            var down = PumpAsync(fromBackend, fromClient, client);
            await Task.WhenAll(up, down).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            // Either side went away.
        }
        finally
        {
            backend.Dispose();
            Close(client);
        }
    }

    /// <summary>Copies until <paramref name="from"/> ends, then ends the sending side of <paramref name="toSocket"/>.</summary>
    private static async Task PumpAsync(NetworkStream from, NetworkStream to, Socket toSocket)
    {
        try
        {
            await from.CopyToAsync(to).ConfigureAwait(false);
        }
        catch (Exception e) when (e is SocketException or ObjectDisposedException or IOException)
        {
            // The other pump ends too once its socket is shut down or closed.
        }
        finally
        {
            try
            {
                toSocket.Shutdown(SocketShutdown.Send);
            }
            catch (Exception e) when (e is SocketException or ObjectDisposedException)
            {
                // Already closed.
            }
        }
    }
}
