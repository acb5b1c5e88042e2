using System.Text.Json;

namespace Thalamus.Rpc;

public sealed partial class RpcDispatcher
{
    private void NewFilter(ref ParamReader p, Utf8JsonWriter w)
    {
        var criteria = p.ReadLogFilter("filter");
        p.End();
        w.WriteStringValue(Filters.AddLogFilter(criteria));
    }

    private void GetFilterChanges(ref ParamReader p, Utf8JsonWriter w)
    {
        var id = p.ReadString("filterId");
        p.End();
        Filters.WriteChanges(id, w);
    }

    private void GetFilterLogs(ref ParamReader p, Utf8JsonWriter w)
    {
        var id = p.ReadString("filterId");
        p.End();
        Filters.WriteAllLogs(id, w);
    }

    private void UninstallFilter(ref ParamReader p, Utf8JsonWriter w)
    {
        var id = p.ReadString("filterId");
        p.End();
        w.WriteBooleanValue(Filters.Remove(id));
    }

    /// <summary>eth_subscribe: "newHeads", "logs" (optional filter), "newPendingTransactions" (optional full-transaction flag).</summary>
    private void Subscribe(ref ParamReader p, RpcSession? session, Utf8JsonWriter w)
    {
        if (session is null)
            throw new RpcException(RpcErrorCodes.NotificationsUnsupported, "notifications not supported: use a WebSocket connection for eth_subscribe");
        var kind = p.ReadString("subscriptionName");
        string id;
        switch (kind)
        {
            case "newHeads":
                p.End();
                id = Subscriptions.Add(session, SubscriptionKind.NewHeads, null, false);
                break;
            case "logs":
            {
                var filter = p.ReadOptionalLogFilter("filter");
                p.End();
                // A subscription only sees new blocks; a block hash would select an old one.
                if (filter?.BlockHash is not null) throw RpcException.InvalidParams("invalid argument 1 (filter): a logs subscription takes no blockHash");
                id = Subscriptions.Add(session, SubscriptionKind.Logs, (filter ?? new LogFilterRequest()).ToMatcher(), false);
                break;
            }
            case "newPendingTransactions":
            {
                var full = p.ReadOptionalBool("fullTransactions", false);
                p.End();
                id = Subscriptions.Add(session, SubscriptionKind.PendingTransactions, null, full);
                break;
            }
            default:
                throw RpcException.InvalidParams($"invalid argument 0 (subscriptionName): unsupported subscription \"{kind}\"; use newHeads, logs or newPendingTransactions");
        }
        w.WriteStringValue(id);
    }

    private void Unsubscribe(ref ParamReader p, RpcSession? session, Utf8JsonWriter w)
    {
        var id = p.ReadString("subscriptionId");
        p.End();
        w.WriteBooleanValue(session is not null && Subscriptions.Remove(id, session));
    }
}
