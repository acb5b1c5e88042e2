namespace Thalamus.Cluster;

/// <summary>
/// Where a cross-chain message is: sent and waiting, delivered, delivered with a failing target (retryable) or
/// undeliverable, or returned on its source chain to its sender (its destination left the cluster before delivery).
/// </summary>
public enum MessageStatus
{
    Pending,
    Relayed,
    Failed,
    Returned,
}
