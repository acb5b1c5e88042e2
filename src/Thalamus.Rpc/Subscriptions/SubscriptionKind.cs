namespace Thalamus.Rpc;

internal enum SubscriptionKind
{
    NewHeads,
    Logs,
    PendingTransactions,
}
