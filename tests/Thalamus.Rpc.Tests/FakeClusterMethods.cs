using System.Text.Json;

namespace Thalamus.Rpc.Tests;

/// <summary>
/// A stand-in for a node-cluster's cluster_* methods as a module registers them (the real ones are
/// tested in Thalamus.Cluster.Tests): two chains, no messages, and a record of the halt/resume calls,
/// so the access tests can tell whether a refused request reached the cluster.
/// </summary>
internal sealed class FakeClusterMethods
{
    public FakeClusterMethods()
    {
        Registry.Add("cluster_status", (ref ParamReader p, Utf8JsonWriter w) =>
        {
            p.End();
            w.WriteStartObject();
            w.WriteStartArray("chains");
            foreach (var chainId in new ulong[] { 901, 902 })
            {
                w.WriteStartObject();
                w.WriteString("chainId", "0x" + chainId.ToString("x"));
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteEndObject();
        });
        Registry.Add("cluster_getMessages", (ref ParamReader p, Utf8JsonWriter w) =>
        {
            w.WriteStartObject();
            w.WriteStartArray("messages");
            w.WriteEndArray();
            w.WriteNull("nextCursor");
            w.WriteEndObject();
        });
        Registry.Add("cluster_haltChain", (ref ParamReader p, Utf8JsonWriter w) => Record("cluster_haltChain", ref p, w));
        Registry.Add("cluster_resumeChain", (ref ParamReader p, Utf8JsonWriter w) => Record("cluster_resumeChain", ref p, w));
        Registry.Add("cluster_increaseTime", (ref ParamReader p, Utf8JsonWriter w) => Record("cluster_increaseTime", ref p, w));
    }

    public RpcMethodRegistry Registry { get; } = new();

    /// <summary>The operator calls that reached the cluster, in order.</summary>
    public List<(string Method, ulong ChainId)> ChainCalls { get; } = [];

    private void Record(string method, ref ParamReader p, Utf8JsonWriter w)
    {
        var chainId = p.ReadQuantity("chainId");
        p.End();
        ChainCalls.Add((method, chainId));
        w.WriteBooleanValue(true);
    }
}
