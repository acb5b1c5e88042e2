namespace Thalamus.Cluster;

/// <summary>One chain in a <see cref="ClusterStatus"/>.</summary>
public sealed record ClusterChainState(ulong ChainId, ulong HeadNumber, ulong HeadTimestamp, bool Halted, long? HaltedAtMs,
    IReadOnlyList<ulong> HeldBy, int PendingInbound)
{
    /// <summary>Gas the chain's blocks spend on deliveries at most, and how much of its next block's is reserved by admitted messages.</summary>
    public ulong DeliveryBudgetGas { get; init; }
    public ulong DeliveryReservedGas { get; init; }
    /// <summary>Sends to this chain admitted, deferred and refused since the node started.</summary>
    public long SendsAdmitted { get; init; }
    public long SendsDeferred { get; init; }
    public long SendsRefused { get; init; }
}
