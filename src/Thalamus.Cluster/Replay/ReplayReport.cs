namespace Thalamus.Cluster.Replay;

/// <summary>The outcome of re-executing one member chain from its genesis (see <see cref="ClusterReplayer"/>).</summary>
public sealed class ReplayReport
{
    public required ulong ChainId { get; init; }

    /// <summary>Blocks re-executed, genesis included.</summary>
    public required ulong BlocksChecked { get; init; }

    public required IReadOnlyList<ReplayMismatch> Mismatches { get; init; }

    public bool IsClean => Mismatches.Count == 0;

    public override string ToString() => IsClean
        ? $"chain {ChainId}: {BlocksChecked} blocks verified"
        : $"chain {ChainId}: {Mismatches.Count} mismatches in {BlocksChecked} blocks:{Environment.NewLine}{string.Join(Environment.NewLine, Mismatches)}";
}
