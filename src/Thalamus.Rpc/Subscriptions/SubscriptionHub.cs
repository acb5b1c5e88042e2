using System.Collections.Concurrent;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using System.Threading.Channels;
using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Rpc;

/// <summary>
/// eth_subscribe delivery. Chain events arrive inside the chain's lock, so they are only queued
/// there; one background pump serialises each header/log/transaction once and hands the
/// notification to every matching WebSocket session's send queue.
/// </summary>
internal sealed class SubscriptionHub : IDisposable
{
    private static ReadOnlySpan<byte> Prefix => "{\"jsonrpc\":\"2.0\",\"method\":\"eth_subscription\",\"params\":{\"subscription\":\""u8;
    private static ReadOnlySpan<byte> Middle => "\",\"result\":"u8;
    private static ReadOnlySpan<byte> Suffix => "}}"u8;

    private readonly RpcDispatcher _dispatcher;
    private readonly ConcurrentDictionary<string, Subscription> _subscriptions = new(StringComparer.Ordinal);
    private readonly Channel<ChainEvent> _events = Channel.CreateUnbounded<ChainEvent>(new UnboundedChannelOptions { SingleReader = true });
    private readonly Task _pump;
    private int _blockSubscriptions;
    private int _pendingSubscriptions;

    public SubscriptionHub(RpcDispatcher dispatcher)
    {
        _dispatcher = dispatcher;
        _pump = Task.Run(PumpAsync);
    }

    public int Count => _subscriptions.Count;

    public string Add(RpcSession session, SubscriptionKind kind, LogFilter? filter, bool fullTransactions)
    {
        var limit = _dispatcher.Options.MaxSubscriptionsPerConnection;
        if (session.SubscriptionCount >= limit)
            throw new RpcException(RpcErrorCodes.LimitExceeded, $"too many subscriptions on this connection (limit {limit})");
        var id = FilterManager.NewId();
        var subscription = new Subscription(id, session, kind, filter, fullTransactions);
        _subscriptions[id] = subscription;
        session.Added(subscription);
        if (kind == SubscriptionKind.PendingTransactions) Interlocked.Increment(ref _pendingSubscriptions);
        else Interlocked.Increment(ref _blockSubscriptions);
        return id;
    }

    public bool Remove(string id, RpcSession session)
    {
        if (!_subscriptions.TryGetValue(id, out var subscription) || subscription.Session != session) return false;
        if (!_subscriptions.TryRemove(id, out _)) return false;
        session.Removed();
        if (subscription.Kind == SubscriptionKind.PendingTransactions) Interlocked.Decrement(ref _pendingSubscriptions);
        else Interlocked.Decrement(ref _blockSubscriptions);
        return true;
    }

    public void RemoveSession(RpcSession session)
    {
        foreach (var subscription in _subscriptions.Values)
            if (subscription.Session == session) Remove(subscription.Id, session);
    }

    public void OnBlockSealed(Block block, IReadOnlyList<TransactionReceipt> receipts)
    {
        if (Volatile.Read(ref _blockSubscriptions) > 0) _events.Writer.TryWrite(new ChainEvent(block, receipts, default));
    }

    public void OnPendingTransaction(Hash256 hash)
    {
        if (Volatile.Read(ref _pendingSubscriptions) > 0) _events.Writer.TryWrite(new ChainEvent(null, null, hash));
    }

    private async Task PumpAsync()
    {
        using var buffer = new PooledBufferWriter();
        using var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        await foreach (var e in _events.Reader.ReadAllAsync().ConfigureAwait(false))
        {
            try
            {
                if (e.Block is not null) DeliverBlock(e.Block, e.Receipts!, buffer, writer);
                else DeliverPending(e.PendingHash, buffer, writer);
            }
            catch (Exception ex)
            {
                _dispatcher.Options.OnInternalError?.Invoke(ex);
            }
        }
    }

    private void DeliverBlock(Block block, IReadOnlyList<TransactionReceipt> receipts, PooledBufferWriter buffer, Utf8JsonWriter writer)
    {
        byte[]? header = null;
        foreach (var s in _subscriptions.Values)
        {
            if (!s.Active || s.Kind != SubscriptionKind.NewHeads) continue;
            header ??= Serialize(buffer, writer, w => EthJsonWriter.WriteHeader(w, block.Header));
            Send(s, header);
        }

        foreach (var receipt in receipts)
            foreach (var log in receipt.Logs) DeliverLog(log, buffer, writer);
        if (block.ClusterSection is not null)
            foreach (var log in _dispatcher.Backend.GetSectionLogs(block)) DeliverLog(log, buffer, writer);
    }

    private void DeliverLog(LogRecord log, PooledBufferWriter buffer, Utf8JsonWriter writer)
    {
        byte[]? json = null;
        foreach (var s in _subscriptions.Values)
        {
            if (!s.Active || s.Kind != SubscriptionKind.Logs || !s.Filter!.Matches(log.Address, log.Topics)) continue;
            json ??= Serialize(buffer, writer, w => EthJsonWriter.WriteLog(w, log));
            Send(s, json);
        }
    }

    private void DeliverPending(Hash256 hash, PooledBufferWriter buffer, Utf8JsonWriter writer)
    {
        byte[]? hashJson = null;
        byte[]? txJson = null;
        foreach (var s in _subscriptions.Values)
        {
            if (!s.Active || s.Kind != SubscriptionKind.PendingTransactions) continue;
            if (s.FullTransactions)
            {
                if (txJson is null)
                {
                    if (_dispatcher.Backend.GetTransaction(hash) is not { } found) continue;
                    txJson = Serialize(buffer, writer, w => EthJsonWriter.WriteTransaction(w, found.Transaction, found.Location, UInt256.Zero));
                }
                Send(s, txJson);
            }
            else
            {
                hashJson ??= Serialize(buffer, writer, w => w.WriteHash(hash));
                Send(s, hashJson);
            }
        }
    }

    private static byte[] Serialize(PooledBufferWriter buffer, Utf8JsonWriter writer, Action<Utf8JsonWriter> write)
    {
        buffer.Clear();
        writer.Reset(buffer);
        write(writer);
        writer.Flush();
        return buffer.ToArray();
    }

    private static void Send(Subscription s, byte[] result)
    {
        var id = s.Id;
        var message = new byte[Prefix.Length + id.Length + Middle.Length + result.Length + Suffix.Length];
        var span = message.AsSpan();
        Prefix.CopyTo(span);
        span = span[Prefix.Length..];
        span = span[Encoding.ASCII.GetBytes(id, span)..];
        Middle.CopyTo(span);
        span = span[Middle.Length..];
        result.CopyTo(span);
        Suffix.CopyTo(span[result.Length..]);
        s.Session.TrySend(message);
    }

    public void Dispose()
    {
        _events.Writer.TryComplete();
        _pump.Wait(TimeSpan.FromSeconds(5));
    }

    private readonly record struct ChainEvent(Block? Block, IReadOnlyList<TransactionReceipt>? Receipts, Hash256 PendingHash);
}
