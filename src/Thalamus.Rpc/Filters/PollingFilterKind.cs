namespace Thalamus.Rpc;

internal enum PollingFilterKind
{
    Logs,
    Blocks,
    PendingTransactions,
}
