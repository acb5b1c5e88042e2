namespace Thalamus.Cluster;

/// <summary>One chain's line in cluster_status.</summary>
public sealed record ClusterChainStatus
{
    public required ulong ChainId { get; init; }
    public required ulong HeadNumber { get; init; }
    public required ulong HeadTimestamp { get; init; }
    public required bool Halted { get; init; }
    /// <summary>Logical time it was halted at (ms), when halted.</summary>
    public long? HaltedAtMs { get; init; }
    /// <summary>True when the chain may not seal because a halted chain would fall more than Delta behind.</summary>
    public bool Held => HeldBy.Count > 0;
    /// <summary>The halted chains holding this one.</summary>
    public IReadOnlyList<ulong> HeldBy { get; init; } = [];
    /// <summary>Messages waiting to be delivered to this chain.</summary>
    public required int PendingInbound { get; init; }
    /// <summary>Gas this chain's blocks spend on deliveries at most.</summary>
    public ulong DeliveryBudgetGas { get; init; }
    /// <summary>Gas reserved in the next block by admitted messages (by their deliveries' gas limits).</summary>
    public ulong DeliveryReservedGas { get; init; }
    /// <summary>Sends to this chain admitted, deferred (their transactions wait in the pool) and refused, since the node started.</summary>
    public long SendsAdmitted { get; init; }
    public long SendsDeferred { get; init; }
    public long SendsRefused { get; init; }
}
