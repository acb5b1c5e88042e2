using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Rpc;

namespace Thalamus.Cluster;

/// <summary>The cluster_* JSON-RPC methods over a <see cref="NodeCluster"/>.</summary>
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

    public ClusterStatusInfo GetStatus() => ToInfo(cluster.Status());

    public ClusterMessageInfo? GetMessage(Hash256 id) => cluster.GetMessage(id) is { } message ? ToInfo(message) : null;

    public ClusterMessagePage GetMessages(ClusterMessageQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        MessageStatus? status = query.Status switch
        {
            null => null,
            ClusterMessageStatus.Pending => MessageStatus.Pending,
            ClusterMessageStatus.Relayed => MessageStatus.Relayed,
            ClusterMessageStatus.Failed => MessageStatus.Failed,
            _ => throw new ChainException($"unknown message status '{query.Status}'", ChainException.InvalidParamsCode),
        };
        var (page, next) = cluster.QueryMessages(query.Sender, query.SourceChainId, query.DestinationChainId, status, query.Cursor,
            Math.Clamp(query.Limit, 1, 1000));
        return new ClusterMessagePage(page.Select(ToInfo).ToList(), next);
    }

    public ClusterStatusInfo HaltChain(ulong chainId) => ToInfo(cluster.HaltChain(chainId));

    public ClusterStatusInfo ResumeChain(ulong chainId) => ToInfo(cluster.ResumeChain(chainId));

    private static ClusterStatusInfo ToInfo(ClusterStatus status) => new()
    {
        LogicalTimeMs = status.LogicalTimeMs,
        DeltaMs = status.DeltaMs,
        Slot = status.Slot,
        Live = status.Live,
        Reason = status.Reason,
        PendingMessages = status.PendingMessages,
        Chains = status.Chains.Select(c => new ClusterChainStatus
        {
            ChainId = c.ChainId,
            HeadNumber = c.HeadNumber,
            HeadTimestamp = c.HeadTimestamp,
            Halted = c.Halted,
            HaltedAtMs = c.HaltedAtMs,
            Held = c.HeldBy.Count > 0,
            HeldBy = c.HeldBy,
            PendingInbound = c.PendingInbound,
            DeliveryBudgetGas = c.DeliveryBudgetGas,
            DeliveryReservedGas = c.DeliveryReservedGas,
            SendsAdmitted = c.SendsAdmitted,
            SendsDeferred = c.SendsDeferred,
            SendsRefused = c.SendsRefused,
        }).ToList(),
    };

    private static ClusterMessageInfo ToInfo(ClusterMessage m) => new()
    {
        Id = m.Id,
        SourceChainId = m.SourceChainId,
        DestinationChainId = m.DestinationChainId,
        Sender = m.Sender,
        Target = m.Target,
        Data = m.Data,
        Nonce = m.Nonce,
        SentBlockNumber = m.SentBlockNumber,
        SentTransactionHash = m.SentTransactionHash,
        SentAtMs = m.SentAtMs,
        Status = m.Status switch
        {
            MessageStatus.Pending => ClusterMessageStatus.Pending,
            MessageStatus.Relayed => ClusterMessageStatus.Relayed,
            _ => ClusterMessageStatus.Failed,
        },
        DeliveredBlockNumber = m.DeliveredBlockNumber,
        DeliveryTransactionHash = m.DeliveryTransactionHash,
        DeliveredAtMs = m.DeliveredAtMs,
        RevertData = m.RevertData,
    };
}
