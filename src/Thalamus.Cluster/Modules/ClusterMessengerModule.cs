using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Modules;

namespace Thalamus.Cluster;

/// <summary>
/// The ClusterMessenger on the seam: its deliveries are the system transactions a destination's next
/// block starts with; its index follows the messenger's events of every sealed block and is stored,
/// with a checkpoint (each chain's indexed head), in the slot's transaction, so a restart reads it back
/// and walks only the blocks after the checkpoint.
/// </summary>
internal sealed class ClusterMessengerModule(NodeCluster cluster) : IClusterModule
{
    public const string ModuleName = "messenger";

    private static readonly byte[] CheckpointKey = "checkpoint"u8.ToArray();

    private readonly MessageIndex _messages = cluster.Messages;

    public string Name => ModuleName;

    /// <summary>Blocks whose headers the index read at start (zero when its checkpoint was current).</summary>
    internal int BlocksReadAtStart { get; private set; }

    public void Attach(IClusterHost host)
    {
        var rows = host.ReadState(ModuleName);
        var checkpoint = new Dictionary<ulong, ulong>();
        foreach (var (key, value) in rows)
        {
            if (key.AsSpan().SequenceEqual(CheckpointKey)) checkpoint = MessageRecords.DecodeCheckpoint(value);
            else _messages.Add(MessageRecords.Decode(value));
        }
        // What was read back is stored already; what the walk after the checkpoint finds is stored by the next slot.
        _messages.TakeChanged();
        cluster.Rebuilding = true;
        try
        {
            RebuildMessageIndex(checkpoint);
        }
        finally
        {
            cluster.Rebuilding = false;
        }
        // What still waits is admitted again, in send order, at the earliest blocks with room.
        foreach (var message in _messages.Query(null, null, null, MessageStatus.Pending, null, int.MaxValue).Page) cluster.AssignDeliveryBlock(message);
    }

    /// <summary>
    /// The relayer's deliveries for the member's next block, one at a time: first every message admitted
    /// for this block or an earlier one (they fit by construction: admission reserved their gas limits),
    /// then later admissions, pulled forward while the block's delivery budget lasts by the gas the
    /// deliveries really used. Null when nothing waits. Not a list like the other modules' system
    /// transactions: how many run depends on what the earlier ones used. Between the two come the returns
    /// of messages this chain sent to a chain that left the cluster (at least one per block, more while the budget lasts).
    /// </summary>
    internal Func<ulong, PooledTransaction?>? PrepareDeliveries(ClusterMember member, BlockHeader parent)
    {
        var inbox = _messages.Inbox(member.ChainId);
        var returns = _messages.Returns(member.ChainId);
        if (inbox.Count == 0 && returns.Count == 0) return null;
        var block = parent.Number + 1;
        var order = new List<(ClusterMessage Message, bool Return)>(inbox.Count + returns.Count);
        foreach (var message in inbox)
            if (message.InFlight is null && (message.AdmittedForBlock ?? 0) <= block) order.Add((message, false));
        foreach (var message in returns)
            if (message.InFlight is null) order.Add((message, true));
        foreach (var message in inbox)
            if (message.InFlight is null && message.AdmittedForBlock > block) order.Add((message, false));
        if (order.Count == 0) return null;
        var gasLimit = cluster.Options.DeliveryGasLimit;
        var budget = cluster.DeliveryBudgetOf(member);
        var baseFee = BaseFeeCalculator.Next(parent, member.Chain.Profile);
        var nonce = ClusterPredeploys.RelayerAccount.NonceOn(member.Chain);
        var next = 0;
        var returned = 0;
        return gasUsed =>
        {
            if (next == order.Count) return null;
            var (message, isReturn) = order[next];
            if (isReturn ? returned > 0 && gasUsed + gasLimit > budget : message.AdmittedForBlock > block && gasUsed + gasLimit > budget) return null;
            next++;
            if (isReturn) returned++;
            var data = isReturn ? MessengerLogs.EncodeReturn(message) : MessengerLogs.EncodeRelay(message);
            var transaction = ClusterPredeploys.RelayerAccount.Sign(member.ChainId, nonce++, ClusterPredeploys.Messenger, data, gasLimit, baseFee);
            message.InFlight = transaction.Hash;
            member.InFlight.Add(message);
            return transaction;
        };
    }

    /// <summary>Follows the messenger's events of a sealed block: new messages, deliveries and retries.</summary>
    public void BlockSealed(SealedBlock block)
    {
        var member = cluster.MemberOf(block.Chain);
        var built = block.Built;
        var nowMs = cluster.NowMs;
        var number = built.Block.Number;
        foreach (var receipt in built.Receipts)
        {
            foreach (var log in receipt.Logs)
            {
                if (!MessengerLogs.IsMessengerLog(log)) continue;
                ApplyMessengerLog(member, log, nowMs, number, receipt.TransactionHash, block.Slot);
            }
        }
        // Messenger events of synchronous calls the block received (a sendMessage or retry made inside one) live in its section.
        foreach (var log in block.SectionLogs)
            if (MessengerLogs.IsMessengerLog(log)) ApplyMessengerLog(member, log, nowMs, number, log.TransactionHash, block.Slot);
        foreach (var message in member.InFlight)
            if (message.InFlight is not null)
            {
                // Included but neither relayed nor failed (cannot happen with the predeployed messenger): try again next block.
                message.InFlight = null;
                cluster.ReportError(new InvalidOperationException($"chain {member.ChainId}: the delivery of message {message.Id} left no outcome"));
            }
        member.InFlight.Clear();
    }

    public void BlockFailed(MemberChain chain)
    {
        var member = cluster.MemberOf(chain);
        foreach (var message in member.InFlight) message.InFlight = null;
        member.InFlight.Clear();
    }

    /// <summary>Stores the messages that changed in the slot and the checkpoint, in the slot's transaction.</summary>
    public void SlotCommitted(CommittedSlot slot)
    {
        var changed = _messages.TakeChanged();
        if (!slot.State.IsPersistent || (changed.Count == 0 && slot.Blocks.Count == 0)) return;
        foreach (var message in changed) slot.State.Put(ModuleName, MessageRecords.Key(message), MessageRecords.Encode(message));
        slot.State.Put(ModuleName, CheckpointKey, MessageRecords.EncodeCheckpoint(cluster.Members.Select(m => (m.ChainId, m.Chain.Head.Number))));
    }

    /// <summary>
    /// Chains were rolled back: the index is rebuilt from the chains as they now are (messages sent by discarded blocks are
    /// gone, those a discarded block delivered wait again) and its rows are rewritten with the rollback.
    /// </summary>
    public void RolledBack(ClusterRollback rollback)
    {
        var stored = rollback.State.IsPersistent ? cluster.StoredModuleKeys(ModuleName) : [];
        // Returns the node queued (a removal is not on the chains), pending or made by a discarded block, are queued
        // again unless a kept block made them.
        var returning = _messages.Query(null, null, null, null, null, int.MaxValue).Page
            .Where(m => m.ReturnPending || m.Status == MessageStatus.Returned).Select(m => (m.Id, m.RevertData ?? [])).ToList();
        _messages.Clear();
        cluster.Rebuilding = true;
        try
        {
            RebuildMessageIndex(new Dictionary<ulong, ulong>());
        }
        finally
        {
            cluster.Rebuilding = false;
        }
        foreach (var (id, reason) in returning)
            if (_messages.Get(id) is { Status: not MessageStatus.Returned } message && cluster.FindMember(message.DestinationChainId) is null)
                _messages.MarkReturnPending(message, message.DeliveredAtMs ?? cluster.NowMs, reason);
        var changed = _messages.TakeChanged();
        foreach (var message in _messages.Query(null, null, null, MessageStatus.Pending, null, int.MaxValue).Page) cluster.AssignDeliveryBlock(message);
        if (!rollback.State.IsPersistent) return;
        var kept = new HashSet<string>(changed.Select(m => Convert.ToHexString(MessageRecords.Key(m))), StringComparer.Ordinal);
        foreach (var key in stored)
            if (!key.AsSpan().SequenceEqual(CheckpointKey) && !kept.Contains(Convert.ToHexString(key))) rollback.State.Put(ModuleName, key, null);
        foreach (var message in changed) rollback.State.Put(ModuleName, MessageRecords.Key(message), MessageRecords.Encode(message));
        rollback.State.Put(ModuleName, CheckpointKey, MessageRecords.EncodeCheckpoint(cluster.Members.Select(m => (m.ChainId, m.Chain.Head.Number))));
    }

    private void ApplyMessengerLog(ClusterMember member, LogRecord log, long nowMs, ulong blockNumber, in Hash256 transactionHash, ulong slot)
    {
        var topic = log.Topics[0];
        if (topic == MessengerLogs.MessageSent)
        {
            if (MessengerLogs.ReadSent(log, member.ChainId, nowMs, slot, cluster.OpenSlotTimeMs) is not { } message || !_messages.Add(message)) return;
            cluster.AssignDeliveryBlock(message);
            if (cluster.FindMember(message.DestinationChainId) is null)
                _messages.MarkDelivered(message, MessageStatus.Failed, 0, Hash256.Zero, nowMs,
                    Abi.EncodeError($"ClusterMessenger: chain {message.DestinationChainId} is not a member of this cluster"));
        }
        else if (topic == MessengerLogs.MessageRelayed || topic == MessengerLogs.MessageFailed)
        {
            if (_messages.Get(log.Topics[1]) is not { } message) return;
            var failed = topic == MessengerLogs.MessageFailed;
            if (message.Status == MessageStatus.Pending && cluster.OpenSlotTimeMs is { } slotMs) message.DeliveredSlotMs = slotMs;
            _messages.MarkDelivered(message, failed ? MessageStatus.Failed : MessageStatus.Relayed, blockNumber, transactionHash, nowMs,
                failed ? MessengerLogs.ReadRevertData(log) : null);
        }
        else if (topic == MessengerLogs.MessageReturned)
        {
            // Only the message's source chain returns it (the contract checks the id against its own chain id).
            if (_messages.Get(log.Topics[1]) is not { } message || message.SourceChainId != member.ChainId) return;
            _messages.MarkReturned(message, blockNumber, transactionHash, MessengerLogs.ReadReturnedOk(log));
        }
    }

    /// <summary>
    /// Reads every chain's messenger events after its checkpoint (from genesis without one): sends first,
    /// then outcomes, so order across chains does not matter.
    /// </summary>
    private void RebuildMessageIndex(Dictionary<ulong, ulong> checkpoint)
    {
        var outcomes = new List<(ClusterMember Member, LogRecord Log, long AtMs)>();
        foreach (var member in cluster.Members)
        {
            var store = member.Chain.Store;
            var from = checkpoint.TryGetValue(member.ChainId, out var indexed) ? indexed + 1 : 1;
            if (store.HeadNumber is not { } head || head < from) continue;
            BlocksReadAtStart += (int)Math.Min(head - from + 1, int.MaxValue);
            var timestamps = new Dictionary<ulong, long>();
            long TimeOf(ulong number)
            {
                if (!timestamps.TryGetValue(number, out var ms))
                    timestamps[number] = ms = (long)(store.GetHeader(number)?.Timestamp ?? 0) * 1000;
                return ms;
            }
            var filter = new LogFilter { FromBlock = from, ToBlock = head, Addresses = [ClusterPredeploys.Messenger] };
            // Only a block with a cluster section has extra data (its hash): read the headers, load just those blocks.
            var logs = store.GetLogs(filter).Concat(
                Enumerable.Range((int)Math.Min(from, int.MaxValue), (int)Math.Min(head - from + 1, int.MaxValue))
                    .Where(n => store.GetHeader((ulong)n) is { ExtraData.Length: > 0 })
                    .SelectMany(n => store.GetBlock((ulong)n) is { } block ? member.Chain.SectionLogRecords(block) : []));
            foreach (var log in logs)
            {
                if (!MessengerLogs.IsMessengerLog(log)) continue;
                if (log.Topics[0] == MessengerLogs.MessageSent) ApplyMessengerLog(member, log, TimeOf(log.BlockNumber), log.BlockNumber, log.TransactionHash, 0);
                else outcomes.Add((member, log, TimeOf(log.BlockNumber)));
            }
        }
        foreach (var (member, log, atMs) in outcomes) ApplyMessengerLog(member, log, atMs, log.BlockNumber, log.TransactionHash, 0);
    }
}
