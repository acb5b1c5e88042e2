using Thalamus.Core;

namespace Thalamus.Rpc;

/// <summary>One cross-chain message and its outcome (cluster_getMessage).</summary>
public sealed record ClusterMessageInfo
{
    public required Hash256 Id { get; init; }
    public required ulong SourceChainId { get; init; }
    public required ulong DestinationChainId { get; init; }
    public required Address Sender { get; init; }
    public required Address Target { get; init; }
    public required byte[] Data { get; init; }
    public required UInt256 Nonce { get; init; }
    public required ulong SentBlockNumber { get; init; }
    public required Hash256 SentTransactionHash { get; init; }
    public required long SentAtMs { get; init; }
    /// <summary>One of <see cref="ClusterMessageStatus"/>: "pending", "relayed" or "failed".</summary>
    public required string Status { get; init; }
    public ulong? DeliveredBlockNumber { get; init; }
    public Hash256? DeliveryTransactionHash { get; init; }
    public long? DeliveredAtMs { get; init; }
    /// <summary>The target's revert data when the delivery failed.</summary>
    public byte[]? RevertData { get; init; }
}
