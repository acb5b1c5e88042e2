using Thalamus.Chain;

namespace Thalamus.Rpc;

/// <summary>One eth_subscribe of one connection.</summary>
internal sealed class Subscription(string id, RpcSession session, SubscriptionKind kind, LogFilter? filter, bool fullTransactions)
{
    public string Id { get; } = id;
    public RpcSession Session { get; } = session;
    public SubscriptionKind Kind { get; } = kind;
    public LogFilter? Filter { get; } = filter;
    public bool FullTransactions { get; } = fullTransactions;

    /// <summary>Set once the eth_subscribe response is queued, so no notification overtakes it.</summary>
    public volatile bool Active;
}
