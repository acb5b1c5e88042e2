using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Cluster;

// Messages: the index follows the messenger's events in every sealed block; a destination's next
// block starts with the relayer's deliveries of everything waiting for it.
public sealed partial class NodeCluster
{
    /// <summary>
    /// The relayer's deliveries for the member's next block, one at a time: first every message admitted
    /// for this block or an earlier one (they fit by construction: admission reserved their gas limits),
    /// then later admissions, pulled forward while the block's delivery budget lasts by the gas the
    /// deliveries really used. Null when nothing waits.
    /// </summary>
    private Func<ulong, PooledTransaction?>? PrepareDeliveries(ClusterMember member, BlockHeader parent)
    {
        var inbox = _messages.Inbox(member.ChainId);
        if (inbox.Count == 0) return null;
        var block = parent.Number + 1;
        var order = new List<ClusterMessage>(inbox.Count);
        foreach (var message in inbox)
            if (message.InFlight is null && (message.AdmittedForBlock ?? 0) <= block) order.Add(message);
        foreach (var message in inbox)
            if (message.InFlight is null && message.AdmittedForBlock > block) order.Add(message);
        if (order.Count == 0) return null;
        var gasLimit = Options.DeliveryGasLimit;
        var budget = DeliveryBudgetOf(member);
        var baseFee = BaseFeeCalculator.Next(parent, member.Chain.Profile);
        var nonce = member.Chain.LiveState.GetNonce(ClusterPredeploys.Relayer);
        var next = 0;
        return gasUsed =>
        {
            if (next == order.Count) return null;
            var message = order[next];
            if (message.AdmittedForBlock > block && gasUsed + gasLimit > budget) return null;
            next++;
            var unsigned = new Transaction
            {
                Type = TxType.DynamicFee,
                ChainId = member.ChainId,
                Nonce = nonce++,
                MaxPriorityFeePerGas = UInt256.Zero,
                MaxFeePerGas = baseFee,
                GasLimit = gasLimit,
                To = ClusterPredeploys.Messenger,
                Data = MessengerLogs.EncodeRelay(message),
            };
            var signed = TransactionSigner.Sign(unsigned, ClusterPredeploys.RelayerKey);
            message.InFlight = signed.Hash;
            member.InFlight.Add(message);
            return new PooledTransaction(signed, ClusterPredeploys.Relayer, 0);
        };
    }

    /// <summary>Follows the messenger's events of a sealed block: new messages, deliveries and retries.</summary>
    private void IndexBlock(ClusterMember member, BuiltBlock built)
    {
        var nowMs = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds();
        var number = built.Block.Number;
        foreach (var receipt in built.Receipts)
        {
            foreach (var log in receipt.Logs)
            {
                if (!MessengerLogs.IsMessengerLog(log)) continue;
                ApplyMessengerLog(member, log, nowMs, number, receipt.TransactionHash);
            }
        }
        // Messenger events of synchronous calls the block received (a sendMessage or retry made inside one) live in its section.
        foreach (var log in member.Chain.SectionLogRecords(built.Block))
            if (MessengerLogs.IsMessengerLog(log)) ApplyMessengerLog(member, log, nowMs, number, log.TransactionHash);
        foreach (var message in member.InFlight)
            if (message.InFlight is not null)
            {
                // Included but neither relayed nor failed (cannot happen with the predeployed messenger): try again next block.
                message.InFlight = null;
                Error?.Invoke(new InvalidOperationException($"chain {member.ChainId}: the delivery of message {message.Id} left no outcome"));
            }
        member.InFlight.Clear();
    }

    private void ApplyMessengerLog(ClusterMember member, LogRecord log, long nowMs, ulong blockNumber, in Hash256 transactionHash)
    {
        var topic = log.Topics[0];
        if (topic == MessengerLogs.MessageSent)
        {
            if (MessengerLogs.ReadSent(log, member.ChainId, nowMs, _slot, _slotDepth > 0 ? _slotTimeMs : null) is not { } message
                || !_messages.Add(message)) return;
            AssignDeliveryBlock(message);
            if (FindMember(message.DestinationChainId) is null)
                _messages.MarkDelivered(message, MessageStatus.Failed, 0, Hash256.Zero, nowMs,
                    Abi.EncodeError($"ClusterMessenger: chain {message.DestinationChainId} is not a member of this cluster"));
        }
        else if (topic == MessengerLogs.MessageRelayed || topic == MessengerLogs.MessageFailed)
        {
            if (_messages.Get(log.Topics[1]) is not { } message) return;
            var failed = topic == MessengerLogs.MessageFailed;
            if (message.Status == MessageStatus.Pending && _slotDepth > 0) message.DeliveredSlotMs = _slotTimeMs;
            _messages.MarkDelivered(message, failed ? MessageStatus.Failed : MessageStatus.Relayed, blockNumber, transactionHash, nowMs,
                failed ? MessengerLogs.ReadRevertData(log) : null);
        }
    }

    /// <summary>Reads every chain's messenger events from genesis: sends first, then outcomes, so order across chains does not matter.</summary>
    private void RebuildMessageIndex()
    {
        _rebuilding = true;
        try
        {
            ReadMessengerEvents();
        }
        finally
        {
            _rebuilding = false;
        }
        // What still waits is admitted again, in send order, at the earliest blocks with room.
        foreach (var message in _messages.Query(null, null, null, MessageStatus.Pending, null, int.MaxValue).Page) AssignDeliveryBlock(message);
    }

    private void ReadMessengerEvents()
    {
        var outcomes = new List<(ClusterMember Member, LogRecord Log, long AtMs)>();
        foreach (var member in _members)
        {
            var store = member.Chain.Store;
            if (store.HeadNumber is not { } head || head == 0) continue;
            var timestamps = new Dictionary<ulong, long>();
            long TimeOf(ulong number)
            {
                if (!timestamps.TryGetValue(number, out var ms))
                    timestamps[number] = ms = (long)(store.GetHeader(number)?.Timestamp ?? 0) * 1000;
                return ms;
            }
            var filter = new LogFilter { FromBlock = 1, ToBlock = head, Addresses = [ClusterPredeploys.Messenger] };
            // Only a block with a cluster section has extra data (its hash): read the headers, load just those blocks.
            var logs = store.GetLogs(filter).Concat(
                Enumerable.Range(1, (int)Math.Min(head, int.MaxValue))
                    .Where(n => store.GetHeader((ulong)n) is { ExtraData.Length: > 0 })
                    .SelectMany(n => store.GetBlock((ulong)n) is { } block ? member.Chain.SectionLogRecords(block) : []));
            foreach (var log in logs)
            {
                if (!MessengerLogs.IsMessengerLog(log)) continue;
                if (log.Topics[0] == MessengerLogs.MessageSent) ApplyMessengerLog(member, log, TimeOf(log.BlockNumber), log.BlockNumber, log.TransactionHash);
                else outcomes.Add((member, log, TimeOf(log.BlockNumber)));
            }
        }
        foreach (var (member, log, atMs) in outcomes) ApplyMessengerLog(member, log, atMs, log.BlockNumber, log.TransactionHash);
    }

    internal ClusterMessage? GetMessage(in Hash256 id)
    {
        lock (SyncRoot) return _messages.Get(id);
    }

    internal (List<ClusterMessage> Page, string? NextCursor) QueryMessages(Address? sender, ulong? source, ulong? destination,
        MessageStatus? status, string? cursor, int limit)
    {
        lock (SyncRoot) return _messages.Query(sender, source, destination, status, cursor, limit);
    }

    /// <summary>Messages sent and not delivered yet.</summary>
    public int PendingMessageCount
    {
        get
        {
            lock (SyncRoot) return _messages.PendingCount;
        }
    }

    /// <summary>Every message in send order (benchmarks and tests).</summary>
    public IReadOnlyList<ClusterMessage> AllMessages()
    {
        lock (SyncRoot) return _messages.Query(null, null, null, null, null, int.MaxValue).Page;
    }
}
