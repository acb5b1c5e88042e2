using Thalamus.Core;

namespace Thalamus.Cluster;

/// <summary>One message sent through a ClusterMessenger, and its outcome so far (updated under the cluster's lock).</summary>
public sealed class ClusterMessage
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
    /// <summary>Unix time in milliseconds when the sending block was sealed.</summary>
    public required long SentAtMs { get; init; }
    /// <summary>The slot whose block sent it.</summary>
    public ulong SentSlot { get; init; }

    /// <summary>Logical time (ms, the cluster's clock) of the slot whose block sent it; null when read back from the chains.</summary>
    public long? SentSlotMs { get; init; }

    /// <summary>The destination block it was admitted for: it runs in that block or an earlier one.</summary>
    public ulong? AdmittedForBlock { get; internal set; }

    /// <summary>
    /// The Delta its send was admitted against (the one in force in its slot): it runs by <see cref="SentSlotMs"/> plus it,
    /// whatever Delta later becomes. Null when it was admitted without a window (sent by a delivery, or read back at start).
    /// </summary>
    public long? DeltaMs { get; internal set; }

    /// <summary>Logical time (ms) of the slot whose destination block delivered it.</summary>
    public long? DeliveredSlotMs { get; internal set; }

    public MessageStatus Status { get; internal set; }
    public ulong? DeliveredBlockNumber { get; internal set; }
    public Hash256? DeliveryTransactionHash { get; internal set; }
    public long? DeliveredAtMs { get; internal set; }
    public byte[]? RevertData { get; internal set; }

    /// <summary>
    /// Failed because its destination left the cluster before delivering it: the relayer returns it on its source
    /// chain (ClusterMessenger.returnMessage) in that chain's next block, then it is <see cref="MessageStatus.Returned"/>.
    /// </summary>
    public bool ReturnPending { get; internal set; }

    /// <summary>The source-chain block whose returnMessage returned it.</summary>
    public ulong? ReturnedBlockNumber { get; internal set; }

    /// <summary>The relayer's returnMessage transaction on the source chain.</summary>
    public Hash256? ReturnTransactionHash { get; internal set; }

    /// <summary>Whether the sender's IClusterMessageReturn hook ran without reverting (false for a sender without one).</summary>
    public bool? ReturnHookOk { get; internal set; }

    /// <summary>Position in send order (cursor of cluster_getMessages).</summary>
    internal int Sequence { get; set; }

    /// <summary>The delivery transaction prepared for the destination's block being built, if any.</summary>
    internal Hash256? InFlight { get; set; }
}
