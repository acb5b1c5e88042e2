using System.Globalization;
using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Cluster;

/// <summary>
/// Every message of the cluster in send order, by id, and the undelivered ones per destination.
/// Rebuilt from the chains' messenger logs when a cluster resumes, so it is never a second source
/// of truth: the chains are. Not thread-safe: the cluster uses it under its lock.
/// </summary>
internal sealed class MessageIndex
{
    private readonly List<ClusterMessage> _all = [];
    private readonly Dictionary<Hash256, ClusterMessage> _byId = [];
    private readonly Dictionary<ulong, List<ClusterMessage>> _inbox = [];
    private readonly Dictionary<ulong, List<ClusterMessage>> _returns = [];
    private readonly HashSet<ClusterMessage> _changed = new(ReferenceEqualityComparer.Instance);

    public int Count => _all.Count;

    public int PendingCount { get; private set; }

    public ClusterMessage? Get(in Hash256 id) => _byId.GetValueOrDefault(id);

    /// <summary>Adds a sent message; false when its id is known (a replayed log).</summary>
    public bool Add(ClusterMessage message)
    {
        if (!_byId.TryAdd(message.Id, message)) return false;
        message.Sequence = _all.Count;
        _all.Add(message);
        _changed.Add(message);
        if (message.Status == MessageStatus.Pending)
        {
            Inbox(message.DestinationChainId).Add(message);
            PendingCount++;
        }
        else if (message.ReturnPending) Returns(message.SourceChainId).Add(message);
        return true;
    }

    /// <summary>Forgets every message (a rollback rebuilds the index from the chains).</summary>
    public void Clear()
    {
        _all.Clear();
        _byId.Clear();
        _inbox.Clear();
        _returns.Clear();
        _changed.Clear();
        PendingCount = 0;
    }

    /// <summary>The destination's undelivered messages in send order (the list is live; do not keep it).</summary>
    public List<ClusterMessage> Inbox(ulong destinationChainId)
    {
        if (!_inbox.TryGetValue(destinationChainId, out var inbox)) _inbox[destinationChainId] = inbox = [];
        return inbox;
    }

    public int PendingFor(ulong destinationChainId) => _inbox.TryGetValue(destinationChainId, out var inbox) ? inbox.Count : 0;

    /// <summary>The source chain's messages waiting to be returned to their senders, in send order (the list is live; do not keep it).</summary>
    public List<ClusterMessage> Returns(ulong sourceChainId)
    {
        if (!_returns.TryGetValue(sourceChainId, out var returns)) _returns[sourceChainId] = returns = [];
        return returns;
    }

    /// <summary>Whether the chain's next block has messenger system transactions to run: deliveries or returns.</summary>
    public bool HasWorkFor(ulong chainId) =>
        PendingFor(chainId) > 0 || (_returns.TryGetValue(chainId, out var returns) && returns.Count > 0);

    /// <summary>Fails an undeliverable message (its destination left the cluster) with <paramref name="reason"/> and queues its return on its source chain.</summary>
    public void MarkReturnPending(ClusterMessage message, long atMs, byte[] reason)
    {
        MarkDelivered(message, MessageStatus.Failed, 0, Hash256.Zero, atMs, reason);
        if (message.ReturnPending) return;
        message.ReturnPending = true;
        Returns(message.SourceChainId).Add(message);
    }

    /// <summary>Records the MessageReturned log of the message's source chain.</summary>
    public void MarkReturned(ClusterMessage message, ulong blockNumber, in Hash256 transactionHash, bool hookOk)
    {
        if (message.Status == MessageStatus.Pending)
        {
            Inbox(message.DestinationChainId).Remove(message);
            PendingCount--;
        }
        if (message.ReturnPending) Returns(message.SourceChainId).Remove(message);
        message.ReturnPending = false;
        message.Status = MessageStatus.Returned;
        message.InFlight = null;
        message.ReturnedBlockNumber = blockNumber;
        message.ReturnTransactionHash = transactionHash;
        message.ReturnHookOk = hookOk;
        _changed.Add(message);
    }

    /// <summary>Records a delivery (MessageRelayed or MessageFailed on the destination, or a successful retry).</summary>
    public void MarkDelivered(ClusterMessage message, MessageStatus status, ulong blockNumber, in Hash256 transactionHash, long atMs, byte[]? revertData)
    {
        if (message.Status == MessageStatus.Pending)
        {
            Inbox(message.DestinationChainId).Remove(message);
            PendingCount--;
        }
        message.Status = status;
        message.InFlight = null;
        _changed.Add(message);
        // A retry keeps the first delivery's place and time; the status and revert data follow the latest outcome.
        message.DeliveredBlockNumber ??= blockNumber;
        message.DeliveryTransactionHash ??= transactionHash;
        message.DeliveredAtMs ??= atMs;
        message.RevertData = status == MessageStatus.Failed ? revertData : null;
        if (message.ReturnPending && status != MessageStatus.Failed)
        {
            message.ReturnPending = false;
            Returns(message.SourceChainId).Remove(message);
        }
    }

    /// <summary>The messages added or delivered since the last call, in send order (what a slot stores).</summary>
    public List<ClusterMessage> TakeChanged()
    {
        var changed = _changed.OrderBy(m => m.Sequence).ToList();
        _changed.Clear();
        return changed;
    }

    /// <summary>A page of messages matching the filters, from <paramref name="cursor"/> (a sequence number) on.</summary>
    public (List<ClusterMessage> Page, string? NextCursor) Query(Address? sender, ulong? source, ulong? destination,
        MessageStatus? status, string? cursor, int limit)
    {
        var start = 0;
        if (cursor is not null && (!int.TryParse(cursor, NumberStyles.None, CultureInfo.InvariantCulture, out start) || start < 0 || start > _all.Count))
            throw new ChainException($"invalid cursor '{cursor}'", ChainException.InvalidParamsCode);
        var page = new List<ClusterMessage>(Math.Min(limit, 256));
        for (var i = start; i < _all.Count; i++)
        {
            var m = _all[i];
            if (sender is { } s && m.Sender != s) continue;
            if (source is { } src && m.SourceChainId != src) continue;
            if (destination is { } dst && m.DestinationChainId != dst) continue;
            if (status is { } st && m.Status != st) continue;
            if (page.Count == limit) return (page, i.ToString(CultureInfo.InvariantCulture));
            page.Add(m);
        }
        return (page, null);
    }
}
