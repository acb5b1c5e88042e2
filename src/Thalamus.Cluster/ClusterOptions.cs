using System.Numerics;
using Thalamus.Core;
using Thalamus.Crypto;

namespace Thalamus.Cluster;

/// <summary>Everything a node-cluster is made of; <c>thalamus devnet</c> and <c>cluster.yaml</c> fill it in.</summary>
public sealed class ClusterOptions
{
    public required IReadOnlyList<ClusterChainOptions> Chains { get; init; }

    /// <summary>
    /// The delivery bound: a message sent at logical time T runs on its destination by T + Delta,
    /// and no chain advances past T + Delta while another is halted since T. Null: the largest
    /// block time of the cluster (every destination's next block is within it), or one second when
    /// every chain automines.
    /// </summary>
    public TimeSpan? Delta { get; init; }

    /// <summary>Funded at genesis on every chain.</summary>
    public IReadOnlyList<DevAccount> Accounts { get; init; } = [];

    public UInt256 AccountBalanceWei { get; init; } = UInt256.FromBigInteger(BigInteger.Pow(10, 22));

    /// <summary>Only used for a new genesis; a resumed cluster keeps its own.</summary>
    public ulong GenesisTimestamp { get; init; } = (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds();

    /// <summary>Gas limit of each delivery transaction the relayer sends (the target gets all of it but a reserve).</summary>
    public ulong DeliveryGasLimit { get; init; } = 1_000_000;

    /// <summary>
    /// Gas a destination's block spends on deliveries at most (by what they really use); sends are
    /// admitted against it by each delivery's gas limit. Null: the messenger module's share of each
    /// chain's block gas limit (<see cref="SystemGasShares"/>; half by default), at least one delivery.
    /// </summary>
    public ulong? DeliveryGasBudget { get; init; }

    /// <summary>The delivery budget of one chain's blocks.</summary>
    public ulong DeliveryBudgetFor(ClusterChainOptions chain) => DeliveryGasBudget ?? Math.Max((ulong)(chain.GasLimit * SystemGasShareOf("messenger")), DeliveryGasLimit);

    /// <summary>
    /// The share of a block's gas each module's system transactions may take at the start of the block,
    /// by module name (the messenger's deliveries: half a block). A module not listed gets
    /// <see cref="DefaultSystemGasShare"/>; the shares of a cluster's modules add up to at most 1.
    /// </summary>
    public IReadOnlyDictionary<string, double> SystemGasShares { get; init; } = DefaultSystemGasShares;

    /// <summary>The messenger's deliveries may fill half a block.</summary>
    public static IReadOnlyDictionary<string, double> DefaultSystemGasShares { get; } = new Dictionary<string, double> { ["messenger"] = 0.5 };

    /// <summary>The share of a block's gas of a module that <see cref="SystemGasShares"/> does not list.</summary>
    public double DefaultSystemGasShare { get; init; } = 0.05;

    /// <summary>The share of a block's gas module <paramref name="name"/>'s system transactions may take.</summary>
    public double SystemGasShareOf(string name) => SystemGasShares.TryGetValue(name, out var share) ? share : DefaultSystemGasShare;

    /// <summary>Most gas one synchronous cross-chain call may use on its destination.</summary>
    public long CrossCallGasCap { get; init; } = 10_000_000;

    /// <summary>Deepest chain of synchronous calls (A -> B -> C is depth 2).</summary>
    public int MaxCrossCallDepth { get; init; } = 8;

    /// <summary>Effective defaults and every rule checked; throws <see cref="ClusterConfigurationException"/>.</summary>
    public TimeSpan EffectiveDelta
    {
        get
        {
            if (Delta is { } delta) return delta;
            var max = TimeSpan.Zero;
            foreach (var chain in Chains) if (chain.BlockTime > max) max = chain.BlockTime;
            return max > TimeSpan.Zero ? max : TimeSpan.FromSeconds(1);
        }
    }

    /// <summary>Throws <see cref="ClusterConfigurationException"/> naming the first broken rule.</summary>
    public void Validate()
    {
        if (Chains.Count == 0) throw new ClusterConfigurationException("a cluster needs at least one chain");
        if (Chains.Count > MaxChains) throw new ClusterConfigurationException($"a cluster has at most {MaxChains} chains");
        var ids = new HashSet<ulong>();
        foreach (var chain in Chains)
        {
            if (chain.ChainId == 0) throw new ClusterConfigurationException("chain id 0 is not allowed");
            if (!ids.Add(chain.ChainId)) throw new ClusterConfigurationException($"chain id {chain.ChainId} appears twice");
            if (chain.BlockTime < TimeSpan.Zero) throw new ClusterConfigurationException($"chain {chain.ChainId}: the block time cannot be negative");
            if (chain.GasLimit < 5_000_000) throw new ClusterConfigurationException($"chain {chain.ChainId}: the gas limit must be at least 5,000,000");
            if (chain.MaxTransactionBytes is < 1024 or > 16 * 1024 * 1024) throw new ClusterConfigurationException($"chain {chain.ChainId}: the transaction size limit must be between 1 KiB and 16 MiB");
        }
        if (Delta is { } delta && delta <= TimeSpan.Zero) throw new ClusterConfigurationException("delta must be positive");
        foreach (var chain in Chains)
            if (chain.BlockTime > EffectiveDelta)
                throw new ClusterConfigurationException($"delta ({EffectiveDelta.TotalMilliseconds} ms) is shorter than chain {chain.ChainId}'s block time: its next block could come too late");
        if (DeliveryGasLimit < 100_000) throw new ClusterConfigurationException("the delivery gas limit must be at least 100,000");
        foreach (var chain in Chains)
        {
            var budget = DeliveryBudgetFor(chain);
            if (budget < DeliveryGasLimit || budget > chain.GasLimit)
                throw new ClusterConfigurationException($"chain {chain.ChainId}: the delivery gas budget ({budget}) must be between the delivery gas limit ({DeliveryGasLimit}) and the block gas limit ({chain.GasLimit})");
        }
        foreach (var (name, share) in SystemGasShares)
            if (!(share is >= 0 and <= 1)) throw new ClusterConfigurationException($"the system gas share of module \"{name}\" must be between 0 and 1");
        if (!(DefaultSystemGasShare is >= 0 and <= 1)) throw new ClusterConfigurationException("the default system gas share must be between 0 and 1");
        if (CrossCallGasCap < 100_000) throw new ClusterConfigurationException("the cross-call gas cap must be at least 100,000");
        if (MaxCrossCallDepth is < 1 or > 64) throw new ClusterConfigurationException("the cross-call depth must be between 1 and 64");
    }

    public const int MaxChains = 256;
}
