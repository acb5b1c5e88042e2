using Thalamus.Core;

namespace Thalamus.Cli.Configuration;

/// <summary>
/// Joint settlement as configured (cluster.yaml <c>parent:</c> and <c>settlement:</c>, or <c>devnet --settle</c> and its
/// flags; docs/cluster-config.md): where the parent chain is (embedded by default) and how batches are posted.
/// </summary>
public sealed class SettlementLaunch
{
    public const ulong DefaultParentChainId = 900;
    public const int DefaultParentPort = 9544;

    /// <summary>Any Ethereum JSON-RPC endpoint; null: the embedded parent chain.</summary>
    public Uri? ParentRpc { get; init; }

    /// <summary>The embedded parent's chain id.</summary>
    public ulong ParentChainId { get; init; } = DefaultParentChainId;

    /// <summary>The embedded parent's JSON-RPC port (0: any free port).</summary>
    public int ParentPort { get; init; } = DefaultParentPort;

    /// <summary>The embedded parent seals at least this often (its timestamps are the challenge windows' clock).</summary>
    public TimeSpan ParentBlockTime { get; init; } = TimeSpan.FromSeconds(1);

    public int SlotsPerBatch { get; init; } = 4;
    public TimeSpan ChallengeWindow { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan ArbitrationTimeout { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>Fault injection: the batch holding this settlement slot asserts a wrong state root.</summary>
    public ulong? FaultSlot { get; init; }

    /// <summary>
    /// Fault injection for crash tests (<c>devnet --fault-kill-in-rollback</c>): the node kills itself with SIGKILL right after the
    /// first chain of a rollback is rewound, before the others; its next start finishes the rollback (docs/settlement.md, "Crash safety").
    /// </summary>
    public bool KillInRollback { get; init; }

    /// <summary>An already deployed settlement contract; null: the one in the node's database, or deploy at start.</summary>
    public Address? Contract { get; init; }
}
