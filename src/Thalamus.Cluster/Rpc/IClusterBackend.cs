using Thalamus.Core;

namespace Thalamus.Cluster;

/// <summary>
/// What the cluster_* methods (<see cref="ClusterRpcMethods"/>) need from the node-cluster; tests put a
/// fake behind it to check the JSON shapes. Methods throw <see cref="Thalamus.Chain.ChainException"/>
/// for a client's mistake (an unknown chain, a bad cursor).
/// </summary>
internal interface IClusterBackend
{
    /// <summary>cluster_chains: every member chain, in chain-id order.</summary>
    IReadOnlyList<ClusterChainInfo> GetChains();

    /// <summary>cluster_status: logical time, Delta, per-chain heads and what holds each chain back.</summary>
    ClusterStatus GetStatus();

    /// <summary>cluster_getMessage: null when no message has this id.</summary>
    ClusterMessage? GetMessage(Hash256 id);

    /// <summary>cluster_getMessages: messages matching <paramref name="query"/> in send order, one page.</summary>
    ClusterMessagePage GetMessages(ClusterMessageQuery query);

    /// <summary>cluster_haltChain: stops the chain sealing (admin); returns the status after.</summary>
    ClusterStatus HaltChain(ulong chainId);

    /// <summary>cluster_increaseTime (dev): every member chain's clock, and the outside chains modules keep in step, move forward; returns the first chain's offset.</summary>
    ulong IncreaseTime(ulong seconds);

    /// <summary>cluster_resumeChain: lets the chain seal again; held chains and messages catch up.</summary>
    ClusterStatus ResumeChain(ulong chainId);
}
