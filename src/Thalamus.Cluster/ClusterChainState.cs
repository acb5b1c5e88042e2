namespace Thalamus.Cluster;

/// <summary>One chain in a <see cref="ClusterStatus"/>.</summary>
public sealed record ClusterChainState(ulong ChainId, ulong HeadNumber, ulong HeadTimestamp, bool Halted, long? HaltedAtMs,
    IReadOnlyList<ulong> HeldBy, int PendingInbound);
