namespace Thalamus.Cluster;

/// <summary>A snapshot of the cluster (cluster_status): where it is in logical time and why any chain is not advancing.</summary>
public sealed record ClusterStatus
{
    /// <summary>Logical time of the last slot, in milliseconds since the cluster started.</summary>
    public required long LogicalTimeMs { get; init; }
    /// <summary>The delivery bound in force (the configured one, or the last change that took effect).</summary>
    public required long DeltaMs { get; init; }
    /// <summary>The slot from which <see cref="DeltaMs"/> holds (0: from the start).</summary>
    public ulong DeltaSinceSlot { get; init; }
    /// <summary>How many slots have run.</summary>
    public required ulong Slot { get; init; }
    /// <summary>True when no chain is halted or held.</summary>
    public required bool Live { get; init; }
    /// <summary>Human-readable reason when not live, e.g. "chain 902 halted at 12000 ms; 901, 903 hold at 14000 ms".</summary>
    public string? Reason { get; init; }
    public required IReadOnlyList<ClusterChainStatus> Chains { get; init; }
    /// <summary>Messages sent and not yet delivered, over all chains.</summary>
    public required int PendingMessages { get; init; }
    /// <summary>The last rollback (a block found invalid, e.g. by settlement's dispute game): what was discarded and why; null if none ran.</summary>
    public Modules.ClusterRollback? Rollback { get; init; }
}
