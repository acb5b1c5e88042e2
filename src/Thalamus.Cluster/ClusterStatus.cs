namespace Thalamus.Cluster;

/// <summary>A snapshot of the cluster: logical time, Delta, and each chain's head and hold (see cluster_status).</summary>
public sealed record ClusterStatus(long LogicalTimeMs, long DeltaMs, ulong Slot, bool Live, string? Reason,
    IReadOnlyList<ClusterChainState> Chains, int PendingMessages);
