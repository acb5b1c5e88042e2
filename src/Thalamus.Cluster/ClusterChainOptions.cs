using Thalamus.Chain;

namespace Thalamus.Cluster;

/// <summary>One member chain of a cluster: its id and profile (block time, gas limit, transaction size limit).</summary>
public sealed class ClusterChainOptions
{
    public required ulong ChainId { get; init; }
    public string? Name { get; init; }
    /// <summary>Zero: automine (a block per transaction, and a block whenever a message arrives).</summary>
    public TimeSpan BlockTime { get; init; } = TimeSpan.Zero;
    public ulong GasLimit { get; init; } = 30_000_000;
    /// <summary>Largest accepted transaction, in bytes.</summary>
    public int MaxTransactionBytes { get; init; } = 128 * 1024;
    /// <summary>Most gas an eth_call, eth_estimateGas or eth_createAccessList may use (0: the block gas limit); see <see cref="ChainProfile.RpcGasCap"/>.</summary>
    public ulong RpcGasCap { get; init; } = ChainProfile.DefaultRpcGasCap;

    /// <summary>
    /// Accounts of a state dump this chain starts from (<c>--load-state</c>): its genesis holds them
    /// over the dev accounts, and the cluster's predeploys keep their code (their storage is the
    /// dump's). Only a new genesis uses them; the same state is needed to re-verify the chain
    /// (<see cref="NodeCluster.GenesisOf"/>). Null: the default genesis.
    /// </summary>
    public IReadOnlyDictionary<Thalamus.Core.Address, GenesisAccount>? LoadedState { get; init; }

    /// <summary>
    /// Fork mode: the remote chain this member starts from (its chain id must be <see cref="ChainId"/>).
    /// The member's first block continues the remote's numbering; the dev accounts, a loaded state
    /// and the predeploys are written over the remote's state. In memory only. Null: no fork.
    /// </summary>
    public ChainFork? Fork { get; init; }

    internal ChainProfile ToProfile() => new()
    {
        ChainId = ChainId,
        Name = Name ?? $"thalamus-{ChainId}",
        BlockTime = BlockTime,
        BlockGasLimit = GasLimit,
        MaxTransactionSize = MaxTransactionBytes,
        RpcGasCap = RpcGasCap,
        // Several chains share the cluster's logical clock; a sub-second block time needs equal timestamps.
        AllowEqualTimestamps = BlockTime > TimeSpan.Zero && BlockTime < TimeSpan.FromSeconds(1),
    };
}
