namespace Thalamus.Cluster;

/// <summary>Where a cross-chain message is: sent and waiting, delivered, or delivered with a failing target (retryable).</summary>
public enum MessageStatus
{
    Pending,
    Relayed,
    Failed,
}
