using System.Text.Json;
using Thalamus.Core;
using Thalamus.Rpc;

namespace Thalamus.Cluster;

/// <summary>
/// Writes the cluster_* results. Chain ids, block numbers, timestamps, gas and nonces are hex
/// quantities like the rest of the API; logical times (ms), the slot, block time (seconds) and
/// counts are plain JSON numbers because they are node settings and clocks, not chain values.
/// </summary>
internal static class ClusterJsonWriter
{
    private static readonly JsonEncodedText ChainId = JsonEncodedText.Encode("chainId");
    private static readonly JsonEncodedText Name = JsonEncodedText.Encode("name");
    private static readonly JsonEncodedText RpcUrl = JsonEncodedText.Encode("rpcUrl");
    private static readonly JsonEncodedText WsUrl = JsonEncodedText.Encode("wsUrl");
    private static readonly JsonEncodedText BlockTime = JsonEncodedText.Encode("blockTime");
    private static readonly JsonEncodedText BlockGasLimit = JsonEncodedText.Encode("blockGasLimit");
    private static readonly JsonEncodedText MaxTransactionBytes = JsonEncodedText.Encode("maxTransactionBytes");
    private static readonly JsonEncodedText Head = JsonEncodedText.Encode("head");
    private static readonly JsonEncodedText Halted = JsonEncodedText.Encode("halted");

    private static readonly JsonEncodedText LogicalTimeMs = JsonEncodedText.Encode("logicalTimeMs");
    private static readonly JsonEncodedText DeltaMs = JsonEncodedText.Encode("deltaMs");
    private static readonly JsonEncodedText DeltaSinceSlot = JsonEncodedText.Encode("deltaSinceSlot");
    private static readonly JsonEncodedText Slot = JsonEncodedText.Encode("slot");
    private static readonly JsonEncodedText Live = JsonEncodedText.Encode("live");
    private static readonly JsonEncodedText Reason = JsonEncodedText.Encode("reason");
    private static readonly JsonEncodedText PendingMessages = JsonEncodedText.Encode("pendingMessages");
    private static readonly JsonEncodedText Chains = JsonEncodedText.Encode("chains");
    private static readonly JsonEncodedText HeadTimestamp = JsonEncodedText.Encode("headTimestamp");
    private static readonly JsonEncodedText HaltedAtMs = JsonEncodedText.Encode("haltedAtMs");
    private static readonly JsonEncodedText Held = JsonEncodedText.Encode("held");
    private static readonly JsonEncodedText HeldBy = JsonEncodedText.Encode("heldBy");
    private static readonly JsonEncodedText PendingInbound = JsonEncodedText.Encode("pendingInbound");
    private static readonly JsonEncodedText Delivery = JsonEncodedText.Encode("delivery");
    private static readonly JsonEncodedText BudgetGas = JsonEncodedText.Encode("budgetGas");
    private static readonly JsonEncodedText NextBlockReservedGas = JsonEncodedText.Encode("nextBlockReservedGas");
    private static readonly JsonEncodedText NextBlockFreeGas = JsonEncodedText.Encode("nextBlockFreeGas");
    private static readonly JsonEncodedText Admitted = JsonEncodedText.Encode("admitted");
    private static readonly JsonEncodedText Deferred = JsonEncodedText.Encode("deferred");
    private static readonly JsonEncodedText Refused = JsonEncodedText.Encode("refused");

    private static readonly JsonEncodedText Id = JsonEncodedText.Encode("id");
    private static readonly JsonEncodedText SourceChainId = JsonEncodedText.Encode("sourceChainId");
    private static readonly JsonEncodedText DestinationChainId = JsonEncodedText.Encode("destinationChainId");
    private static readonly JsonEncodedText Sender = JsonEncodedText.Encode("sender");
    private static readonly JsonEncodedText Target = JsonEncodedText.Encode("target");
    private static readonly JsonEncodedText Data = JsonEncodedText.Encode("data");
    private static readonly JsonEncodedText Nonce = JsonEncodedText.Encode("nonce");
    private static readonly JsonEncodedText SentBlockNumber = JsonEncodedText.Encode("sentBlockNumber");
    private static readonly JsonEncodedText SentTransactionHash = JsonEncodedText.Encode("sentTransactionHash");
    private static readonly JsonEncodedText SentAtMs = JsonEncodedText.Encode("sentAtMs");
    private static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText DeliveredBlockNumber = JsonEncodedText.Encode("deliveredBlockNumber");
    private static readonly JsonEncodedText DeliveryTransactionHash = JsonEncodedText.Encode("deliveryTransactionHash");
    private static readonly JsonEncodedText DeliveredAtMs = JsonEncodedText.Encode("deliveredAtMs");
    private static readonly JsonEncodedText RevertData = JsonEncodedText.Encode("revertData");
    private static readonly JsonEncodedText ReturnPending = JsonEncodedText.Encode("returnPending");
    private static readonly JsonEncodedText ReturnedBlockNumber = JsonEncodedText.Encode("returnedBlockNumber");
    private static readonly JsonEncodedText ReturnTransactionHash = JsonEncodedText.Encode("returnTransactionHash");
    private static readonly JsonEncodedText ReturnHookOk = JsonEncodedText.Encode("returnHookOk");

    /// <summary>How cluster_getMessage(s) name each <see cref="MessageStatus"/> (and how a query's status filter is spelt), by value.</summary>
    public static readonly string[] StatusNames = ["pending", "relayed", "failed", "returned"];

    private static readonly JsonEncodedText Messages = JsonEncodedText.Encode("messages");
    private static readonly JsonEncodedText NextCursor = JsonEncodedText.Encode("nextCursor");

    public static void WriteChains(this Utf8JsonWriter w, IReadOnlyList<ClusterChainInfo> chains)
    {
        w.WriteStartArray();
        foreach (var chain in chains) w.WriteChain(chain);
        w.WriteEndArray();
    }

    public static void WriteChain(this Utf8JsonWriter w, ClusterChainInfo chain)
    {
        w.WriteStartObject();
        w.WriteQuantity(ChainId, chain.ChainId);
        w.WriteString(Name, chain.Name);
        WriteUriOrNull(w, RpcUrl, chain.RpcUrl);
        WriteUriOrNull(w, WsUrl, chain.WebSocketUrl);
        WriteSeconds(w, BlockTime, chain.BlockTime);
        w.WriteQuantity(BlockGasLimit, chain.BlockGasLimit);
        w.WriteNumber(MaxTransactionBytes, chain.MaxTransactionBytes);
        w.WriteQuantity(Head, chain.HeadNumber);
        w.WriteBoolean(Halted, chain.Halted);
        w.WriteEndObject();
    }

    public static void WriteStatus(this Utf8JsonWriter w, ClusterStatus status)
    {
        w.WriteStartObject();
        w.WriteNumber(LogicalTimeMs, status.LogicalTimeMs);
        w.WriteNumber(DeltaMs, status.DeltaMs);
        w.WriteNumber(DeltaSinceSlot, status.DeltaSinceSlot);
        w.WriteNumber(Slot, status.Slot);
        w.WriteBoolean(Live, status.Live);
        if (status.Reason is { } reason) w.WriteString(Reason, reason);
        else w.WriteNull(Reason);
        w.WriteNumber(PendingMessages, status.PendingMessages);
        w.WriteStartArray(Chains);
        foreach (var chain in status.Chains) w.WriteChainStatus(chain);
        w.WriteEndArray();
        if (status.Rollback is { } rollback) w.WriteRollback(rollback);
        else w.WriteNull("rollback");
        w.WriteEndObject();
    }

    /// <summary>cluster_status's <c>rollback</c>: the invalid block, what was discarded and why, the transactions put back or dropped.</summary>
    private static void WriteRollback(this Utf8JsonWriter w, Modules.ClusterRollback rollback)
    {
        w.WriteStartObject("rollback");
        w.WriteQuantity(ChainId, rollback.Request.ChainId);
        w.WriteQuantity(JsonEncodedText.Encode("fromBlock"), rollback.Request.FromBlock);
        w.WriteString(Reason, rollback.Request.Reason);
        w.WriteNumber(Slot, rollback.Slot);
        w.WriteNumber("timeMs", rollback.TimeMs);
        w.WriteBoolean("resumed", rollback.Resumed);
        w.WriteStartArray("discarded");
        foreach (var d in rollback.Discarded)
        {
            w.WriteStartObject();
            w.WriteQuantity(ChainId, d.ChainId);
            w.WriteQuantity(JsonEncodedText.Encode("fromBlock"), d.FromNumber);
            w.WriteQuantity(JsonEncodedText.Encode("toBlock"), d.ToNumber);
            w.WriteString("why", d.Why);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("reinserted");
        foreach (var hash in rollback.Reinserted) w.WriteStringValue(hash.ToString());
        w.WriteEndArray();
        w.WriteStartArray("dropped");
        foreach (var d in rollback.Dropped)
        {
            w.WriteStartObject();
            w.WriteQuantity(ChainId, d.ChainId);
            w.WriteString("hash", d.Hash.ToString());
            w.WriteString(Reason, d.Reason);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    public static void WriteChainStatus(this Utf8JsonWriter w, ClusterChainStatus chain)
    {
        w.WriteStartObject();
        w.WriteQuantity(ChainId, chain.ChainId);
        w.WriteQuantity(Head, chain.HeadNumber);
        w.WriteQuantity(HeadTimestamp, chain.HeadTimestamp);
        w.WriteBoolean(Halted, chain.Halted);
        WriteNumberOrNull(w, HaltedAtMs, chain.HaltedAtMs);
        w.WriteBoolean(Held, chain.Held);
        w.WriteStartArray(HeldBy);
        foreach (var id in chain.HeldBy) w.WriteQuantity(id);
        w.WriteEndArray();
        w.WriteNumber(PendingInbound, chain.PendingInbound);
        w.WriteStartObject(Delivery);
        w.WriteNumber(BudgetGas, chain.DeliveryBudgetGas);
        w.WriteNumber(NextBlockReservedGas, chain.DeliveryReservedGas);
        w.WriteNumber(NextBlockFreeGas, chain.DeliveryBudgetGas - Math.Min(chain.DeliveryBudgetGas, chain.DeliveryReservedGas));
        w.WriteNumber(Admitted, chain.SendsAdmitted);
        w.WriteNumber(Deferred, chain.SendsDeferred);
        w.WriteNumber(Refused, chain.SendsRefused);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    public static void WriteMessage(this Utf8JsonWriter w, ClusterMessage message)
    {
        w.WriteStartObject();
        w.WriteHash(Id, message.Id);
        w.WriteQuantity(SourceChainId, message.SourceChainId);
        w.WriteQuantity(DestinationChainId, message.DestinationChainId);
        w.WriteAddress(Sender, message.Sender);
        w.WriteAddress(Target, message.Target);
        w.WriteData(Data, message.Data);
        w.WriteQuantity(Nonce, message.Nonce);
        w.WriteQuantity(SentBlockNumber, message.SentBlockNumber);
        w.WriteHash(SentTransactionHash, message.SentTransactionHash);
        w.WriteNumber(SentAtMs, message.SentAtMs);
        WriteNumberOrNull(w, DeltaMs, message.DeltaMs);
        w.WriteString(Status, StatusNames[(int)message.Status]);
        if (message.DeliveredBlockNumber is { } block) w.WriteQuantity(DeliveredBlockNumber, block);
        else w.WriteNull(DeliveredBlockNumber);
        if (message.DeliveryTransactionHash is { } hash) w.WriteHash(DeliveryTransactionHash, hash);
        else w.WriteNull(DeliveryTransactionHash);
        WriteNumberOrNull(w, DeliveredAtMs, message.DeliveredAtMs);
        if (message.RevertData is { } revert) w.WriteData(RevertData, revert);
        else w.WriteNull(RevertData);
        w.WriteBoolean(ReturnPending, message.ReturnPending);
        if (message.ReturnedBlockNumber is { } returnedBlock) w.WriteQuantity(ReturnedBlockNumber, returnedBlock);
        else w.WriteNull(ReturnedBlockNumber);
        if (message.ReturnTransactionHash is { } returnHash) w.WriteHash(ReturnTransactionHash, returnHash);
        else w.WriteNull(ReturnTransactionHash);
        if (message.ReturnHookOk is { } hookOk) w.WriteBoolean(ReturnHookOk, hookOk);
        else w.WriteNull(ReturnHookOk);
        w.WriteEndObject();
    }

    public static void WriteMessagePage(this Utf8JsonWriter w, ClusterMessagePage page)
    {
        w.WriteStartObject();
        w.WriteStartArray(Messages);
        foreach (var message in page.Messages) w.WriteMessage(message);
        w.WriteEndArray();
        if (page.NextCursor is { } cursor) w.WriteString(NextCursor, cursor);
        else w.WriteNull(NextCursor);
        w.WriteEndObject();
    }

    private static void WriteUriOrNull(Utf8JsonWriter w, JsonEncodedText name, Uri? uri)
    {
        // OriginalString: Uri.ToString() unescapes and would add a trailing slash the operator did not write.
        if (uri is not null) w.WriteString(name, uri.OriginalString);
        else w.WriteNull(name);
    }

    private static void WriteNumberOrNull(Utf8JsonWriter w, JsonEncodedText name, long? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    /// <summary>Whole seconds as an integer (the usual case), a sub-second block time as a decimal (0.25).</summary>
    private static void WriteSeconds(Utf8JsonWriter w, JsonEncodedText name, TimeSpan time)
    {
        if (time.Ticks % TimeSpan.TicksPerSecond == 0) w.WriteNumber(name, time.Ticks / TimeSpan.TicksPerSecond);
        else w.WriteNumber(name, (decimal)time.Ticks / TimeSpan.TicksPerSecond);
    }
}
