using Thalamus.Core;

namespace Thalamus.Cluster;

/// <summary>The filter and page of cluster_getMessages; every filter is optional.</summary>
public sealed record ClusterMessageQuery
{
    public Address? Sender { get; init; }
    public ulong? SourceChainId { get; init; }
    public ulong? DestinationChainId { get; init; }
    public MessageStatus? Status { get; init; }
    /// <summary>Opaque cursor from the previous page's <see cref="ClusterMessagePage.NextCursor"/>.</summary>
    public string? Cursor { get; init; }
    /// <summary>At most this many (1..1000, default 100; the dispatcher rejects a limit outside the range with -32602).</summary>
    public int Limit { get; init; } = 100;
}
