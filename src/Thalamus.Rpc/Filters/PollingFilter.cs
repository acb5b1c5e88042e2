using Thalamus.Core;

namespace Thalamus.Rpc;

/// <summary>An installed eth_newFilter / eth_newBlockFilter / eth_newPendingTransactionFilter.</summary>
internal sealed class PollingFilter
{
    private readonly Queue<Hash256>? _pendingHashes;

    public PollingFilter(string id, PollingFilterKind kind, LogFilterRequest? criteria, ulong lastSeenBlock, DateTime now)
    {
        Id = id;
        Kind = kind;
        Criteria = criteria;
        LastSeenBlock = lastSeenBlock;
        LastPolled = now;
        if (kind == PollingFilterKind.PendingTransactions) _pendingHashes = new Queue<Hash256>();
    }

    public string Id { get; }
    public PollingFilterKind Kind { get; }
    public LogFilterRequest? Criteria { get; }

    /// <summary>The newest block whose changes were already returned.</summary>
    public ulong LastSeenBlock { get; set; }

    public DateTime LastPolled { get; set; }

    /// <summary>Guards the mutable state (polls of one filter may race).</summary>
    public object Gate { get; } = new();

    public void AddPending(Hash256 hash, int backlog)
    {
        lock (Gate)
        {
            if (_pendingHashes is null) return;
            if (_pendingHashes.Count >= backlog) _pendingHashes.Dequeue();
            _pendingHashes.Enqueue(hash);
        }
    }

    public Hash256[] TakePending()
    {
        lock (Gate)
        {
            if (_pendingHashes is null) return [];
            var hashes = _pendingHashes.ToArray();
            _pendingHashes.Clear();
            return hashes;
        }
    }
}
