using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Cluster;

// Messages: what the messenger module (Modules/ClusterMessengerModule.cs) indexed, as the RPC
// methods, the benchmarks and the tests read it.
public sealed partial class NodeCluster
{
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
