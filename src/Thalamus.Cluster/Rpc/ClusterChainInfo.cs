namespace Thalamus.Cluster;

/// <summary>One member chain as cluster_chains reports it.</summary>
public sealed record ClusterChainInfo
{
    public required ulong ChainId { get; init; }
    public required string Name { get; init; }
    /// <summary>Null when the chain is not served over HTTP (tests).</summary>
    public Uri? RpcUrl { get; init; }
    public Uri? WebSocketUrl { get; init; }
    /// <summary>Zero means automine.</summary>
    public required TimeSpan BlockTime { get; init; }
    public required ulong BlockGasLimit { get; init; }
    public required int MaxTransactionBytes { get; init; }
    public required ulong HeadNumber { get; init; }
    public required bool Halted { get; init; }
}
