using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Rpc;

/// <summary>
/// Polling filters (what ethers.js and web3.js use for events over HTTP). Log and block filters
/// keep only the last block they reported and query the chain on each poll, so they cost
/// nothing between polls; pending-transaction filters buffer hashes. A filter not polled within
/// <see cref="RpcServerOptions.FilterTimeout"/> is removed, like geth.
/// </summary>
internal sealed class FilterManager : IDisposable
{
    private readonly RpcDispatcher _dispatcher;
    private readonly ConcurrentDictionary<string, PollingFilter> _filters = new(StringComparer.Ordinal);
    private readonly Timer _sweeper;
    private int _pendingFilterCount;

    public FilterManager(RpcDispatcher dispatcher)
    {
        _dispatcher = dispatcher;
        var period = TimeSpan.FromTicks(Math.Max(TimeSpan.FromSeconds(1).Ticks, dispatcher.Options.FilterTimeout.Ticks / 4));
        _sweeper = new Timer(_ => Sweep(), null, period, period);
    }

    public int Count => _filters.Count;

    private RpcServerOptions Options => _dispatcher.Options;

    private IEthereumBackend Backend => _dispatcher.Backend;

    public string AddLogFilter(LogFilterRequest criteria)
    {
        // Validate the range now, so a bad filter fails at install time.
        criteria.Resolve(Backend.Head.Number, ulong.MaxValue);
        return Add(PollingFilterKind.Logs, criteria);
    }

    public string AddBlockFilter() => Add(PollingFilterKind.Blocks, null);

    public string AddPendingTransactionFilter()
    {
        var id = Add(PollingFilterKind.PendingTransactions, null);
        Interlocked.Increment(ref _pendingFilterCount);
        return id;
    }

    public bool Remove(string id)
    {
        if (!_filters.TryRemove(id, out var removed)) return false;
        if (removed.Kind == PollingFilterKind.PendingTransactions) Interlocked.Decrement(ref _pendingFilterCount);
        return true;
    }

    public void OnPendingTransaction(Hash256 hash)
    {
        if (Volatile.Read(ref _pendingFilterCount) == 0) return;
        foreach (var filter in _filters.Values)
            if (filter.Kind == PollingFilterKind.PendingTransactions) filter.AddPending(hash, Options.MaxFilterBacklog);
    }

    /// <summary>eth_getFilterChanges: what happened since the last poll.</summary>
    public void WriteChanges(string id, Utf8JsonWriter w)
    {
        var filter = Get(id);
        filter.LastPolled = DateTime.UtcNow;
        switch (filter.Kind)
        {
            case PollingFilterKind.PendingTransactions:
            {
                w.WriteStartArray();
                foreach (var hash in filter.TakePending()) w.WriteHash(hash);
                w.WriteEndArray();
                return;
            }
            case PollingFilterKind.Blocks:
            {
                List<Hash256> hashes = [];
                lock (filter.Gate)
                {
                    var head = Backend.Head.Number;
                    if (head < filter.LastSeenBlock) filter.LastSeenBlock = head; // evm_revert rewound the chain
                    var from = filter.LastSeenBlock + 1;
                    if (head >= from && head - from >= Options.MaxLogBlockRange) from = head - Options.MaxLogBlockRange + 1;
                    for (var n = from; n <= head; n++)
                        if (Backend.GetHeader(BlockSelector.FromNumber(n)) is { } header) hashes.Add(header.Hash);
                    filter.LastSeenBlock = head;
                }
                w.WriteStartArray();
                foreach (var hash in hashes) w.WriteHash(hash);
                w.WriteEndArray();
                return;
            }
            default:
            {
                List<LogRecord> logs;
                lock (filter.Gate)
                {
                    var head = Backend.Head.Number;
                    if (head < filter.LastSeenBlock) filter.LastSeenBlock = head;
                    var criteria = filter.Criteria!;
                    logs = [];
                    if (head > filter.LastSeenBlock)
                    {
                        var from = Math.Max(filter.LastSeenBlock + 1, LogFilterRequest.ResolveNumber(criteria.FromBlock, head));
                        var to = Math.Min(head, LogFilterRequest.ResolveNumber(criteria.ToBlock, head));
                        if (criteria.BlockHash is null && from <= to)
                        {
                            if (to - from >= Options.MaxLogBlockRange) from = to - Options.MaxLogBlockRange + 1;
                            logs = _dispatcher.QueryLogs(new LogFilter { FromBlock = from, ToBlock = to, Addresses = criteria.Addresses, Topics = criteria.Topics });
                        }
                        filter.LastSeenBlock = head;
                    }
                }
                w.WriteStartArray();
                foreach (var log in logs) EthJsonWriter.WriteLog(w, log);
                w.WriteEndArray();
                return;
            }
        }
    }

    /// <summary>eth_getFilterLogs: every log the filter's criteria match.</summary>
    public void WriteAllLogs(string id, Utf8JsonWriter w)
    {
        var filter = Get(id);
        filter.LastPolled = DateTime.UtcNow;
        if (filter.Kind != PollingFilterKind.Logs) throw RpcException.ServerError("filter not found: it is not a log filter");
        var logs = _dispatcher.QueryLogs(filter.Criteria!.Resolve(Backend.Head.Number, Options.MaxLogBlockRange));
        w.WriteStartArray();
        foreach (var log in logs) EthJsonWriter.WriteLog(w, log);
        w.WriteEndArray();
    }

    private PollingFilter Get(string id) =>
        _filters.TryGetValue(id, out var filter) ? filter : throw RpcException.ServerError("filter not found");

    private string Add(PollingFilterKind kind, LogFilterRequest? criteria)
    {
        if (_filters.Count >= Options.MaxFilters)
        {
            Sweep();
            if (_filters.Count >= Options.MaxFilters)
                throw new RpcException(RpcErrorCodes.LimitExceeded, $"too many installed filters (limit {Options.MaxFilters}); uninstall some with eth_uninstallFilter");
        }
        var id = NewId();
        _filters[id] = new PollingFilter(id, kind, criteria, Backend.Head.Number, DateTime.UtcNow);
        return id;
    }

    private void Sweep()
    {
        var cutoff = DateTime.UtcNow - Options.FilterTimeout;
        foreach (var filter in _filters.Values)
            if (filter.LastPolled < cutoff) Remove(filter.Id);
    }

    /// <summary>A 128-bit random id, as geth makes them.</summary>
    internal static string NewId()
    {
        Span<byte> bytes = stackalloc byte[16];
        RandomNumberGenerator.Fill(bytes);
        return Hex.Encode(bytes);
    }

    public void Dispose() => _sweeper.Dispose();
}
