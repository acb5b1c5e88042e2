using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Modules;
using Thalamus.Rpc;

namespace Thalamus.Multicast;

/// <summary>
/// The multicast_* namespace: <c>multicast_getPublish(id)</c> (the home chain's aggregate and the module's
/// progress and failures) and <c>multicast_getChannel(channel, {cursor, limit})</c> (the registry's channel
/// and a page of its subscriptions). Served on every chain's endpoint; runs under the cluster's lock.
/// </summary>
internal static class MulticastRpcMethods
{
    public const int MaxPage = 1000;
    public const int DefaultPage = 100;

    public static void Register(RpcMethodRegistry registry, MulticastModule module)
    {
        registry.Add("multicast_getPublish", (ref ParamReader p, Utf8JsonWriter w) =>
        {
            var id = p.ReadHash("id");
            p.End();
            var host = module.Host;
            lock (host.Chains[0].SyncRoot) WritePublish(w, host, module.Find(id), id);
        });
        registry.Add("multicast_getChannel", (ref ParamReader p, Utf8JsonWriter w) =>
        {
            var channel = p.ReadHash("channel");
            ulong cursor = 0;
            var limit = DefaultPage;
            if (p.TryPeekKind("page", out var kind))
            {
                if (kind != JsonTokenType.StartObject) p.Check("expected a page object {cursor, limit}, got " + RpcJsonReader.Describe(kind));
                ReadPage(ref p, ref cursor, ref limit);
            }
            p.End();
            var host = module.Host;
            lock (host.Chains[0].SyncRoot) WriteChannel(w, host, channel, cursor, limit);
        });
    }

    private static void ReadPage(ref ParamReader p, ref ulong cursor, ref int limit)
    {
        ref var r = ref p.Current;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("cursor"u8))
            {
                r.Read();
                if (r.TokenType == JsonTokenType.Null) continue;
                p.Check(Prefix("cursor", RpcJsonReader.FlexibleUInt64(ref r, out cursor)));
            }
            else if (r.ValueTextEquals("limit"u8))
            {
                r.Read();
                if (r.TokenType == JsonTokenType.Null) continue;
                p.Check(Prefix("limit", RpcJsonReader.FlexibleUInt64(ref r, out var value)));
                if (value is 0 or > MaxPage) p.Check(Prefix("limit", $"limit {value} is out of range, want 1 to {MaxPage}"));
                limit = (int)value;
            }
            else
            {
                var field = r.GetString();
                p.Check($"unknown field \"{field}\", want cursor or limit");
            }
        }
    }

    private static string? Prefix(string field, string? error) => error is null ? null : $"field \"{field}\": {error}";

    private static MemberChain? ChainOf(IClusterHost host, ulong id) => host.Chains.FirstOrDefault(c => c.ChainId == id);

    private static CallResult Read(MemberChain chain, Address to, byte[] data) =>
        chain.Call(new CallRequest { To = to, Data = data }, BlockSelector.Latest);

    private static void WritePublish(Utf8JsonWriter w, IClusterHost host, PublishRecord? record, Hash256 id)
    {
        if (record is null)
        {
            w.WriteNullValue();
            return;
        }
        PublishAggregate? aggregate = null;
        if (ChainOf(host, record.HomeChainId) is { } home && Read(home, MulticastPredeploys.Multicaster, MulticastAbi.EncodeGetPublish(id)) is { Success: true } result)
            aggregate = MulticastAbi.DecodePublish(result.ReturnData);
        var header = record.Header;
        w.WriteStartObject();
        w.WriteString("id", id.ToString());
        w.WriteString("channel", record.Channel.ToString());
        w.WriteQuantity(JsonEncodedText.Encode("seq"), record.Seq);
        w.WriteQuantity(JsonEncodedText.Encode("homeChainId"), record.HomeChainId);
        w.WriteAddress(JsonEncodedText.Encode("publisher"), record.Publisher);
        w.WriteString("type", header.Type.ToString().ToUpperInvariant());
        w.WriteQuantity(JsonEncodedText.Encode("flags"), (ulong)header.Flags);
        w.WriteQuantity(JsonEncodedText.Encode("payloadSize"), (ulong)(record.Message.Length - MulticastHeader.Size));
        w.WriteQuantity(JsonEncodedText.Encode("total"), record.Total);
        // The on-chain aggregate (home chain): what the batches and retries reported there.
        w.WriteQuantity(JsonEncodedText.Encode("delivered"), aggregate?.Delivered ?? 0);
        w.WriteQuantity(JsonEncodedText.Encode("failed"), aggregate?.Failed ?? 0);
        w.WriteQuantity(JsonEncodedText.Encode("acks"), aggregate?.Acks ?? 0);
        var reached = (ulong)record.Delivered;
        w.WriteQuantity(JsonEncodedText.Encode("pending"), (ulong)record.PerChain.Values.Sum(s => s.Length) - reached);
        w.WriteString("status", record.CompletedAtMs is null ? "delivering" : record.IsReported ? "complete" : "reporting");
        w.WriteQuantity(JsonEncodedText.Encode("publishedBlock"), record.PublishedBlock);
        w.WriteNumber("publishedAtMs", record.PublishedAtMs);
        if (record.CompletedAtMs is { } done) w.WriteNumber("completedAtMs", done);
        else w.WriteNull("completedAtMs");
        w.WriteStartArray("chains");
        foreach (var (chain, subs) in record.PerChain)
        {
            w.WriteStartObject();
            w.WriteQuantity(JsonEncodedText.Encode("chainId"), chain);
            w.WriteQuantity(JsonEncodedText.Encode("subscribers"), (ulong)subs.Length);
            var progress = record.On(chain);
            w.WriteQuantity(JsonEncodedText.Encode("reached"), (ulong)progress.Next);
            w.WriteQuantity(JsonEncodedText.Encode("delivered"), progress.Delivered);
            w.WriteQuantity(JsonEncodedText.Encode("failed"), progress.Failed);
            w.WriteQuantity(JsonEncodedText.Encode("acks"), progress.Acks);
            if (progress.LastDeliveryBlock > 0) w.WriteQuantity(JsonEncodedText.Encode("lastDeliveryBlock"), progress.LastDeliveryBlock);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteStartArray("failures");
        foreach (var failure in record.Failures)
        {
            w.WriteStartObject();
            w.WriteQuantity(JsonEncodedText.Encode("chainId"), failure.ChainId);
            w.WriteQuantity(JsonEncodedText.Encode("index"), failure.Index);
            w.WriteAddress(JsonEncodedText.Encode("target"), failure.Target);
            w.WriteData(JsonEncodedText.Encode("revertData"), failure.RevertData);
            if (Abi.DecodeRevertReason(failure.RevertData) is { } reason) w.WriteString("reason", reason);
            w.WriteBoolean("retried", failure.Retried);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        w.WriteEndObject();
    }

    private static void WriteChannel(Utf8JsonWriter w, IClusterHost host, Hash256 id, ulong cursor, int limit)
    {
        var first = host.Chains[0];
        var result = Read(first, MulticastPredeploys.Registry, MulticastAbi.EncodeGetChannel(id));
        if (!result.Success) throw RpcException.ServerError("the registry did not answer: " + (result.RevertReason ?? result.Error));
        var channel = MulticastAbi.DecodeChannel(id, result.ReturnData);
        if (channel.HomeChainId == 0)
        {
            w.WriteNullValue();
            return;
        }
        var home = ChainOf(host, channel.HomeChainId) ?? first;
        channel = MulticastAbi.DecodeChannel(id, Read(home, MulticastPredeploys.Registry, MulticastAbi.EncodeGetChannel(id)).ReturnData);
        var count = new AbiReader(Read(home, MulticastPredeploys.Multicaster, MulticastAbi.EncodePublishCount(id)).ReturnData).UInt64(0);
        var page = MulticastAbi.DecodeSubscriptions(Read(home, MulticastPredeploys.Registry, MulticastAbi.EncodeSubscriptions(id, cursor, (ulong)limit)).ReturnData);
        w.WriteStartObject();
        w.WriteString("id", id.ToString());
        w.WriteAddress(JsonEncodedText.Encode("owner"), channel.Owner);
        w.WriteQuantity(JsonEncodedText.Encode("homeChainId"), channel.HomeChainId);
        w.WriteQuantity(JsonEncodedText.Encode("gasPerDelivery"), channel.GasPerDelivery);
        w.WriteBoolean("allowListOnly", channel.AllowListOnly);
        w.WriteQuantity(JsonEncodedText.Encode("subscriptionFee"), channel.SubscriptionFee);
        w.WriteQuantity(JsonEncodedText.Encode("subscriberCount"), channel.SubscriberCount);
        w.WriteString("digest", channel.Digest.ToString());
        w.WriteQuantity(JsonEncodedText.Encode("publishCount"), count);
        w.WriteStartArray("subscribers");
        foreach (var sub in page)
        {
            w.WriteStartObject();
            w.WriteAddress(JsonEncodedText.Encode("target"), sub.Target);
            w.WriteQuantity(JsonEncodedText.Encode("chainId"), sub.ChainId);
            w.WriteString("selector", "0x" + sub.Selector.ToString("x8"));
            w.WriteAddress(JsonEncodedText.Encode("subscriber"), sub.Subscriber);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        var next = cursor + (ulong)page.Count;
        if (page.Count == limit && next < channel.SubscriberCount) w.WriteQuantity(JsonEncodedText.Encode("nextCursor"), next);
        else w.WriteNull("nextCursor");
        w.WriteEndObject();
    }
}
