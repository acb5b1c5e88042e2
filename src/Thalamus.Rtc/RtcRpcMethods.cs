using System.Text.Json;
using Thalamus.Core;
using Thalamus.Rpc;

namespace Thalamus.Rtc;

/// <summary>thalamus_getRtc(id) and thalamus_getRtcs({sender, originChainId, destinationChainId, status, atomic, cursor, limit}).</summary>
internal static class RtcRpcMethods
{
    /// <summary>The status names as RPC shows them.</summary>
    public static readonly string[] StatusNames = ["PENDING", "ACK", "NACK", "EXPIRED"];

    public static void Register(RpcMethodRegistry registry, RtcModule module)
    {
        registry.Add("thalamus_getRtc", (ref ParamReader p, Utf8JsonWriter w) =>
        {
            var id = p.ReadHash("id");
            p.End();
            if (module.GetRtc(id) is { } record) Write(w, record, module);
            else w.WriteNullValue();
        });
        registry.Add("thalamus_resolveName", (ref ParamReader p, Utf8JsonWriter w) =>
        {
            var name = p.ReadString("name");
            p.End();
            if (module.ResolveName(name) is not { } entry)
                throw RpcException.InvalidParams($"no name '{name}' in the address book");
            w.WriteStartObject();
            w.WriteString("name", entry.Name);
            w.WriteQuantity(JsonEncodedText.Encode("chainId"), entry.ChainId);
            w.WriteString("address", entry.Target.ToString());
            w.WriteString("owner", entry.Owner.ToString());
            // ERC-7828: the name and the address at their chain (eip155 namespace).
            w.WriteString("erc7828", $"{entry.Name}@eip155:{entry.ChainId}");
            w.WriteString("address7828", $"{entry.Target}@eip155:{entry.ChainId}");
            w.WriteEndObject();
        });
        registry.Add("thalamus_getRtcs", (ref ParamReader p, Utf8JsonWriter w) =>
        {
            var query = new RtcQuery();
            if (p.TryPeekKind("query", out var kind))
            {
                if (kind != JsonTokenType.StartObject) p.Check("expected a query object, got " + RpcJsonReader.Describe(kind));
                query = ReadQuery(ref p, query);
            }
            p.End();
            var (page, next) = module.GetRtcs(query);
            w.WriteStartObject();
            w.WriteStartArray("rtcs");
            foreach (var record in page) Write(w, record, module);
            w.WriteEndArray();
            if (next is not null) w.WriteString("nextCursor", next);
            else w.WriteNull("nextCursor");
            w.WriteEndObject();
        });
    }

    private static RtcQuery ReadQuery(ref ParamReader p, RtcQuery query)
    {
        ref var r = ref p.Current;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            var field = r.GetString() ?? "";
            r.Read();
            if (r.TokenType == JsonTokenType.Null) continue;
            switch (field)
            {
                case "sender":
                    p.Check(Prefix(field, RpcJsonReader.Address(ref r, out var sender)));
                    query = query with { Sender = sender };
                    break;
                case "originChainId":
                    p.Check(Prefix(field, RpcJsonReader.FlexibleUInt64(ref r, out var origin)));
                    query = query with { OriginChainId = origin };
                    break;
                case "destinationChainId":
                    p.Check(Prefix(field, RpcJsonReader.FlexibleUInt64(ref r, out var destination)));
                    query = query with { DestinationChainId = destination };
                    break;
                case "status":
                    p.Check(Prefix(field, RpcJsonReader.String(ref r, out var status)));
                    var index = Array.IndexOf(StatusNames, status);
                    if (index < 0) p.Check(Prefix(field, $"unknown status \"{status}\", want {string.Join(", ", StatusNames)}"));
                    query = query with { Status = (RtcStatus)index };
                    break;
                case "atomic":
                    p.Check(Prefix(field, RpcJsonReader.Bool(ref r, out var atomic)));
                    query = query with { Atomic = atomic };
                    break;
                case "cursor":
                    p.Check(Prefix(field, RpcJsonReader.String(ref r, out var cursor)));
                    query = query with { Cursor = cursor };
                    break;
                case "limit":
                    p.Check(Prefix(field, RpcJsonReader.FlexibleUInt64(ref r, out var limit)));
                    if (limit is 0 or > RtcModule.MaxPage) p.Check(Prefix(field, $"limit {limit} is out of range, want 1 to {RtcModule.MaxPage}"));
                    query = query with { Limit = (int)limit };
                    break;
                default:
                    // Refuse unknown fields: a misspelt filter would silently widen the result.
                    p.Check($"unknown field \"{field}\", want sender, originChainId, destinationChainId, status, atomic, cursor or limit");
                    break;
            }
        }
        return query;
    }

    private static void Write(Utf8JsonWriter w, RtcRecord r, RtcModule module)
    {
        w.WriteStartObject();
        w.WriteHash(JsonEncodedText.Encode("id"), r.Id);
        w.WriteQuantity(JsonEncodedText.Encode("originChainId"), r.OriginChainId);
        w.WriteAddress(JsonEncodedText.Encode("sender"), r.Sender);
        // ERC-7828: the sender at its chain, and its address-book name when it has one.
        w.WriteString("sender7828", $"{r.Sender}@eip155:{r.OriginChainId}");
        if (module.NameOf(r.OriginChainId, r.Sender) is { } name) w.WriteString("senderName", $"{name}@eip155:{r.OriginChainId}");
        else w.WriteNull("senderName");
        w.WriteBoolean("atomic", r.Atomic);
        if (r.DestinationChainId is { } destination) w.WriteQuantity(JsonEncodedText.Encode("destinationChainId"), destination);
        else w.WriteNull("destinationChainId");
        w.WriteStartArray("chainIds");
        foreach (var chain in r.ChainIds) w.WriteQuantity(chain);
        w.WriteEndArray();
        w.WriteQuantity(JsonEncodedText.Encode("deadline"), r.Deadline);
        w.WriteString("status", StatusNames[(int)r.Status]);
        w.WriteBoolean("inbound", r.Inbound);
        WriteOptional(w, "sentBlockNumber", r.SentBlockNumber);
        WriteOptional(w, "sentTransactionHash", r.SentTransactionHash);
        WriteOptional(w, "sentAtMs", r.SentAtMs);
        WriteOptional(w, "executedBlockNumber", r.ExecutedBlockNumber);
        WriteOptional(w, "executedTransactionHash", r.ExecutedTransactionHash);
        if (r.ExecutedOk is { } ok) w.WriteBoolean("executedOk", ok);
        else w.WriteNull("executedOk");
        WriteOptional(w, "settledBlockNumber", r.SettledBlockNumber);
        WriteOptional(w, "settledTransactionHash", r.SettledTransactionHash);
        WriteOptional(w, "settledAtMs", r.SettledAtMs);
        WriteOptional(w, "failedCall", r.FailedCall);
        if (r.Reason is { } reason)
        {
            w.WriteData(JsonEncodedText.Encode("reason"), reason);
            if (Abi.DecodeRevertReason(reason) is { } text) w.WriteString("reasonText", text);
            else w.WriteNull("reasonText");
        }
        else
        {
            w.WriteNull("reason");
            w.WriteNull("reasonText");
        }
        if (r.Results is { } results)
        {
            w.WriteStartArray("results");
            foreach (var result in results) w.WriteData(result);
            w.WriteEndArray();
        }
        else w.WriteNull("results");
        w.WriteEndObject();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, ulong? value)
    {
        if (value is { } v) w.WriteQuantity(JsonEncodedText.Encode(name), v);
        else w.WriteNull(name);
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, Hash256? value)
    {
        if (value is { } v) w.WriteHash(JsonEncodedText.Encode(name), v);
        else w.WriteNull(name);
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, long? value)
    {
        if (value is { } v) w.WriteNumber(name, v);
        else w.WriteNull(name);
    }

    private static string? Prefix(string field, string? error) => error is null ? null : $"field \"{field}\": {error}";
}
