namespace Thalamus.Cli.Configuration;

/// <summary>One entry of <c>chains:</c> in <c>cluster.yaml</c>, as written (defaults filled in).</summary>
public sealed class ClusterConfigChain
{
    public required ulong ChainId { get; init; }
    public string? Name { get; init; }
    /// <summary>Zero: automine.</summary>
    public TimeSpan BlockTime { get; init; } = TimeSpan.Zero;
    public ulong GasLimit { get; init; } = 30_000_000;
    public int MaxTransactionBytes { get; init; } = 128 * 1024;
    /// <summary>Null: the file's <c>basePort</c> plus the chain's index.</summary>
    public int? Port { get; init; }
    /// <summary><c>fork: URL[@BLOCK]</c>: the remote chain this member forks; null: none.</summary>
    public ForkSpec? Fork { get; init; }
    /// <summary>Where the entry starts in the file (1-based), for messages about it; 0 when not from a file.</summary>
    public int Line { get; init; }
}
