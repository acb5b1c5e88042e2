namespace Thalamus.Rpc;

/// <summary>The values of <see cref="ClusterMessageInfo.Status"/> and <see cref="ClusterMessageQuery.Status"/>.</summary>
public static class ClusterMessageStatus
{
    /// <summary>Sent and not yet delivered.</summary>
    public const string Pending = "pending";

    /// <summary>Delivered: the target ran without reverting (first delivery or a retry).</summary>
    public const string Relayed = "relayed";

    /// <summary>Delivered but the target reverted; the revert data is recorded and the message can be retried.</summary>
    public const string Failed = "failed";

    public static bool IsValid(string? status) => status is Pending or Relayed or Failed;
}
