using System.Text.Json;
using Thalamus.Rpc;

namespace Thalamus.Cluster;

/// <summary>The cluster_* namespace: registered by the cluster's built-in module over an <see cref="IClusterBackend"/>.</summary>
internal static class ClusterRpcMethods
{
    /// <summary>The cluster_* methods in registration order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        "cluster_chains", "cluster_status", "cluster_getMessage", "cluster_getMessages", "cluster_haltChain", "cluster_resumeChain",
        "cluster_increaseTime",
    ];

    /// <summary>Largest page cluster_getMessages returns.</summary>
    public const int MaxMessagePage = 1000;

    /// <summary>Page size when cluster_getMessages gives no limit.</summary>
    public const int DefaultMessagePage = 100;

    public static void Register(RpcMethodRegistry registry, IClusterBackend cluster)
    {
        registry.Add("cluster_chains", (ref ParamReader p, Utf8JsonWriter w) =>
        {
            p.End();
            w.WriteChains(cluster.GetChains());
        });
        registry.Add("cluster_status", (ref ParamReader p, Utf8JsonWriter w) =>
        {
            p.End();
            w.WriteStatus(cluster.GetStatus());
        });
        registry.Add("cluster_getMessage", (ref ParamReader p, Utf8JsonWriter w) => GetClusterMessage(cluster, ref p, w));
        registry.Add("cluster_getMessages", (ref ParamReader p, Utf8JsonWriter w) => GetClusterMessages(cluster, ref p, w));
        registry.Add("cluster_haltChain", (ref ParamReader p, Utf8JsonWriter w) => w.WriteStatus(cluster.HaltChain(ReadChainId(ref p))));
        registry.Add("cluster_resumeChain", (ref ParamReader p, Utf8JsonWriter w) => w.WriteStatus(cluster.ResumeChain(ReadChainId(ref p))));
        registry.Add("cluster_increaseTime", (ref ParamReader p, Utf8JsonWriter w) =>
        {
            var seconds = p.ReadFlexibleUInt64("seconds");
            p.End();
            w.WriteQuantity(cluster.IncreaseTime(seconds));
        });
    }

    private static void GetClusterMessage(IClusterBackend cluster, ref ParamReader p, Utf8JsonWriter w)
    {
        var id = p.ReadHash("id");
        p.End();
        if (cluster.GetMessage(id) is { } message) w.WriteMessage(message);
        else w.WriteNullValue();
    }

    /// <summary>cluster_getMessages([{sender, sourceChainId, destinationChainId, status, cursor, limit}]); the object is optional.</summary>
    private static void GetClusterMessages(IClusterBackend cluster, ref ParamReader p, Utf8JsonWriter w)
    {
        var query = new ClusterMessageQuery { Limit = DefaultMessagePage };
        if (p.TryPeekKind("query", out var kind))
        {
            if (kind != JsonTokenType.StartObject) p.Check("expected a query object, got " + RpcJsonReader.Describe(kind));
            query = ReadMessageQuery(ref p, query);
        }
        p.End();
        w.WriteMessagePage(cluster.GetMessages(query));
    }

    private static ClusterMessageQuery ReadMessageQuery(ref ParamReader p, ClusterMessageQuery query)
    {
        ref var r = ref p.Current;
        while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
        {
            if (r.ValueTextEquals("sender"u8))
            {
                r.Read();
                if (r.TokenType == JsonTokenType.Null) continue;
                p.Check(Prefix("sender", RpcJsonReader.Address(ref r, out var sender)));
                query = query with { Sender = sender };
            }
            else if (r.ValueTextEquals("sourceChainId"u8))
            {
                r.Read();
                if (r.TokenType == JsonTokenType.Null) continue;
                p.Check(Prefix("sourceChainId", RpcJsonReader.FlexibleUInt64(ref r, out var source)));
                query = query with { SourceChainId = source };
            }
            else if (r.ValueTextEquals("destinationChainId"u8))
            {
                r.Read();
                if (r.TokenType == JsonTokenType.Null) continue;
                p.Check(Prefix("destinationChainId", RpcJsonReader.FlexibleUInt64(ref r, out var destination)));
                query = query with { DestinationChainId = destination };
            }
            else if (r.ValueTextEquals("status"u8))
            {
                r.Read();
                if (r.TokenType == JsonTokenType.Null) continue;
                p.Check(Prefix("status", RpcJsonReader.String(ref r, out var status)));
                var index = Array.IndexOf(ClusterJsonWriter.StatusNames, status);
                if (index < 0)
                    p.Check(Prefix("status", $"unknown status \"{status}\", want {string.Join(", ", ClusterJsonWriter.StatusNames[..^1])} or {ClusterJsonWriter.StatusNames[^1]}"));
                query = query with { Status = (MessageStatus)index };
            }
            else if (r.ValueTextEquals("cursor"u8))
            {
                r.Read();
                if (r.TokenType == JsonTokenType.Null) continue;
                p.Check(Prefix("cursor", RpcJsonReader.String(ref r, out var cursor)));
                query = query with { Cursor = cursor };
            }
            else if (r.ValueTextEquals("limit"u8))
            {
                r.Read();
                if (r.TokenType == JsonTokenType.Null) continue;
                p.Check(Prefix("limit", RpcJsonReader.FlexibleUInt64(ref r, out var limit)));
                if (limit is 0 or > MaxMessagePage)
                    p.Check(Prefix("limit", $"limit {limit} is out of range, want 1 to {MaxMessagePage}"));
                query = query with { Limit = (int)limit };
            }
            else
            {
                // Unlike eth_getLogs, refuse unknown fields: a misspelt filter would silently widen the result.
                var field = r.GetString();
                p.Check($"unknown field \"{field}\", want sender, sourceChainId, destinationChainId, status, cursor or limit");
            }
        }
        return query;
    }

    private static ulong ReadChainId(ref ParamReader p)
    {
        var chainId = p.ReadFlexibleUInt64("chainId");
        p.End();
        return chainId;
    }

    private static string? Prefix(string field, string? error) => error is null ? null : $"field \"{field}\": {error}";
}
