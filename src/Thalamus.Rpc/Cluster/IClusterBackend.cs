using Thalamus.Core;

namespace Thalamus.Rpc;

/// <summary>
/// What the cluster_* JSON-RPC methods need from the node-cluster (implemented by Thalamus.Cluster;
/// tests use fakes). Every member chain's endpoint serves them. Methods throw
/// <see cref="Thalamus.Chain.ChainException"/> for a client's mistake (an unknown chain, a bad cursor).
/// </summary>
public interface IClusterBackend
{
    /// <summary>cluster_chains: every member chain, in chain-id order.</summary>
    IReadOnlyList<ClusterChainInfo> GetChains();

    /// <summary>cluster_status: logical time, Delta, per-chain heads and what holds each chain back.</summary>
    ClusterStatusInfo GetStatus();

    /// <summary>cluster_getMessage: null when no message has this id.</summary>
    ClusterMessageInfo? GetMessage(Hash256 id);

    /// <summary>cluster_getMessages: messages matching <paramref name="query"/> in send order, one page.</summary>
    ClusterMessagePage GetMessages(ClusterMessageQuery query);

    /// <summary>cluster_haltChain: stops the chain sealing (admin); returns the status after.</summary>
    ClusterStatusInfo HaltChain(ulong chainId);

    /// <summary>cluster_resumeChain: lets the chain seal again; held chains and messages catch up.</summary>
    ClusterStatusInfo ResumeChain(ulong chainId);
}
