using System.Net;

namespace Thalamus.Cli.Configuration;

/// <summary>The cluster flags given on the command line; null (or false) means "not given", so the file or the default applies.</summary>
public sealed class ClusterOverrides
{
    public int? Chains { get; init; }
    public ulong? BaseChainId { get; init; }
    public int? BasePort { get; init; }
    public TimeSpan? BlockTime { get; init; }
    public TimeSpan? Delta { get; init; }
    public bool Ephemeral { get; init; }
    public string? DataDirectory { get; init; }
    public int? AccountCount { get; init; }
    public string? Mnemonic { get; init; }
    public IPAddress? Host { get; init; }

    /// <summary>
    /// The node's mode when the file does not say <c>dev:</c>: true for <c>thalamus devnet</c> (as open
    /// as anvil), false for <c>thalamus node --config</c> (production).
    /// </summary>
    public bool DevByDefault { get; init; } = true;
    public ulong? RpcGasCap { get; init; }

    /// <summary><c>--load-state</c>: a state dump every new chain's genesis starts from (<see cref="StateDumpFile"/>).</summary>
    public string? LoadStatePath { get; init; }

    /// <summary><c>--fork CHAIN_ID=URL[@BLOCK]</c>, repeatable: members forked from remote chains (over the file's <c>fork:</c>).</summary>
    public IReadOnlyList<KeyValuePair<ulong, ForkSpec>> Forks { get; init; } = [];

    /// <summary><c>--dump-state</c>: where the cluster's state is written at a clean stop.</summary>
    public string? DumpStatePath { get; init; }

    /// <summary><c>devnet --settle</c> and its flags: joint settlement over the file's (or the default) settings.</summary>
    public bool Settle { get; init; }
    public Uri? ParentRpc { get; init; }
    public int? ParentPort { get; init; }
    public int? SlotsPerBatch { get; init; }
    public TimeSpan? ChallengeWindow { get; init; }
    public ulong? FaultSlot { get; init; }
    /// <summary><c>--fault-kill-in-rollback</c>: see <see cref="SettlementLaunch.KillInRollback"/>.</summary>
    public bool FaultKillInRollback { get; init; }
    /// <summary><c>--settlement ADDRESS</c>: settle on this already deployed contract (<c>thalamus settlement deploy</c>).</summary>
    public Core.Address? SettlementContract { get; init; }
}
