using Thalamus.Core;

namespace Thalamus.Rtc;

/// <summary>An RTC's status: PENDING until an async RTC's answer is back; ACK, NACK and EXPIRED are final.</summary>
public enum RtcStatus
{
    Pending,
    Ack,
    Nack,
    Expired,
}

/// <summary>
/// What the node's index knows of one RTC (from the gateway's events on its origin and destination). An RTC sent on an
/// external chain and run on a member chain (<see cref="Inbound"/>) is known from its member chain's <c>deliverExternal</c>:
/// its origin is the external chain, its status the outcome there (ACK or NACK, final on the member chain), and what
/// happened on the external chain (its send, the answer's settleExternal) is known only when this node's relayer saw it.
/// </summary>
public sealed class RtcRecord
{
    public required Hash256 Id { get; init; }
    public required ulong OriginChainId { get; init; }
    public required Address Sender { get; init; }
    public required bool Atomic { get; init; }
    /// <summary>An async RTC's one destination; null for an atomic RTC (its calls' chains are <see cref="ChainIds"/>).</summary>
    public ulong? DestinationChainId { get; init; }
    /// <summary>The chain of each call, in order.</summary>
    public required IReadOnlyList<ulong> ChainIds { get; init; }
    public required ulong Deadline { get; init; }
    /// <summary>Sent on an external chain and delivered to a member chain by a relayer (<c>deliverExternal</c>).</summary>
    public bool Inbound { get; init; }
    /// <summary>The sending block and transaction (on the origin; for an inbound RTC on the external chain: null, not followed by the index).</summary>
    public ulong? SentBlockNumber { get; init; }
    public Hash256? SentTransactionHash { get; init; }
    public long? SentAtMs { get; init; }
    /// <summary>Order of arrival in the index (the cursor of thalamus_getRtcs).</summary>
    public int Sequence { get; set; }

    public RtcStatus Status { get; set; } = RtcStatus.Pending;
    public ulong? ExecutedBlockNumber { get; set; }
    public bool? ExecutedOk { get; set; }
    public long? ExecutedAtMs { get; set; }
    /// <summary>The destination's transaction that ran the RTC (an async one's delivery; an inbound one's deliverExternal).</summary>
    public Hash256? ExecutedTransactionHash { get; set; }
    /// <summary>
    /// Where the outcome was recorded on the origin (ACK/NACK/EXPIRED event). An inbound RTC's: the external chain's
    /// settleExternal transaction that carried its answer, when this node's relayer carried it (null until then and after a rebuild).
    /// </summary>
    public ulong? SettledBlockNumber { get; set; }
    public Hash256? SettledTransactionHash { get; set; }
    public long? SettledAtMs { get; set; }
    /// <summary>NACK: the call that failed (null when the gateway refused the whole RTC, e.g. expired on arrival).</summary>
    public ulong? FailedCall { get; set; }
    /// <summary>NACK: the revert data (an Error(string) from the gateway, or the failing target's own).</summary>
    public byte[]? Reason { get; set; }
    /// <summary>ACK: every call's return data.</summary>
    public IReadOnlyList<byte[]>? Results { get; set; }
}
