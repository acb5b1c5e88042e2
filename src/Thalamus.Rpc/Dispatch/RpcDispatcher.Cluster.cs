using System.Text.Json;
using Thalamus.Core;

namespace Thalamus.Rpc;

public sealed partial class RpcDispatcher
{
    /// <summary>The cluster_* methods, served only when <see cref="RpcServerOptions.Cluster"/> is set.</summary>
    public static IReadOnlyList<string> ClusterMethods { get; } =
    [
        "cluster_chains", "cluster_status", "cluster_getMessage", "cluster_getMessages", "cluster_haltChain", "cluster_resumeChain",
    ];

    /// <summary>Largest page cluster_getMessages returns.</summary>
    public const int MaxClusterMessagePage = 1000;

    /// <summary>Page size when cluster_getMessages gives no limit.</summary>
    public const int DefaultClusterMessagePage = 100;

    private void InvokeCluster(string method, ref ParamReader p, Utf8JsonWriter w)
    {
        // A single-chain node answers exactly as for any unknown method.
        var cluster = Options.Cluster ?? throw RpcException.MethodNotFound(method);
        switch (method)
        {
            case "cluster_chains": p.End(); w.WriteChains(cluster.GetChains()); break;
            case "cluster_status": p.End(); w.WriteStatus(cluster.GetStatus()); break;
            case "cluster_getMessage": GetClusterMessage(cluster, ref p, w); break;
            case "cluster_getMessages": GetClusterMessages(cluster, ref p, w); break;
            case "cluster_haltChain": w.WriteStatus(cluster.HaltChain(ReadChainId(ref p))); break;
            case "cluster_resumeChain": w.WriteStatus(cluster.ResumeChain(ReadChainId(ref p))); break;
            default: throw RpcException.MethodNotFound(method);
        }
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
        var query = new ClusterMessageQuery { Limit = DefaultClusterMessagePage };
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
                if (!ClusterMessageStatus.IsValid(status))
                    p.Check(Prefix("status", $"unknown status \"{status}\", want {ClusterMessageStatus.Pending}, {ClusterMessageStatus.Relayed} or {ClusterMessageStatus.Failed}"));
                query = query with { Status = status };
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
                if (limit is 0 or > MaxClusterMessagePage)
                    p.Check(Prefix("limit", $"limit {limit} is out of range, want 1 to {MaxClusterMessagePage}"));
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
}
