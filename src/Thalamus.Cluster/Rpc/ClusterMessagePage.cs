namespace Thalamus.Cluster;

/// <summary>One page of cluster_getMessages; <see cref="NextCursor"/> is null on the last page.</summary>
public sealed record ClusterMessagePage(IReadOnlyList<ClusterMessage> Messages, string? NextCursor);
