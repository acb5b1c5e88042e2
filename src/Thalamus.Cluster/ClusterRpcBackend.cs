using Thalamus.Core;

namespace Thalamus.Cluster;

/// <summary>The cluster_* methods' view of a <see cref="NodeCluster"/>.</summary>
internal sealed class ClusterRpcBackend(NodeCluster cluster) : IClusterBackend
{
    public IReadOnlyList<ClusterChainInfo> GetChains()
    {
        var status = cluster.Status();
        return cluster.Members.Select(m => new ClusterChainInfo
        {
            ChainId = m.ChainId,
            Name = m.Chain.Profile.Name,
            RpcUrl = m.HttpUrl,
            WebSocketUrl = m.WebSocketUrl,
            BlockTime = m.Options.BlockTime,
            BlockGasLimit = m.Options.GasLimit,
            MaxTransactionBytes = m.Options.MaxTransactionBytes,
            HeadNumber = status.Chains.First(c => c.ChainId == m.ChainId).HeadNumber,
            Halted = status.Chains.First(c => c.ChainId == m.ChainId).Halted,
        }).ToList();
    }

    public ClusterStatus GetStatus() => cluster.Status();

    public ClusterMessage? GetMessage(Hash256 id) => cluster.GetMessage(id);

    public ClusterMessagePage GetMessages(ClusterMessageQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (page, next) = cluster.QueryMessages(query.Sender, query.SourceChainId, query.DestinationChainId, query.Status, query.Cursor,
            Math.Clamp(query.Limit, 1, ClusterRpcMethods.MaxMessagePage));
        return new ClusterMessagePage(page, next);
    }

    public ClusterStatus HaltChain(ulong chainId) => cluster.HaltChain(chainId);

    public ulong IncreaseTime(ulong seconds) => cluster.IncreaseTime(seconds);

    public ClusterStatus ResumeChain(ulong chainId) => cluster.ResumeChain(chainId);
}
