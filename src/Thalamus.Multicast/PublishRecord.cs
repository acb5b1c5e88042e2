using Thalamus.Core;

namespace Thalamus.Multicast;

/// <summary>A delivery that reverted (recorded on its chain, retryable with <c>Multicaster.retry</c>).</summary>
public sealed class DeliveryFailure
{
    public required ulong ChainId { get; init; }
    public required uint Index { get; init; }
    public required Address Target { get; init; }
    public required byte[] RevertData { get; init; }
    public bool Retried { get; set; }
}

/// <summary>One chain's progress through a publish: the next subscriber index (the on-chain cursor), outcomes, and what the home chain was last told.</summary>
public sealed class ChainProgress
{
    public int Next { get; set; }
    public uint Delivered { get; set; }
    public uint Failed { get; set; }
    public uint Acks { get; set; }
    public (uint Delivered, uint Failed, uint Acks) Reported { get; set; }
    public ulong LastDeliveryBlock { get; set; }

    public bool IsReported => Reported == (Delivered, Failed, Acks);
}

/// <summary>
/// One publish as the module follows it: the message, the subscribers it goes to (the home chain's
/// registry right after the publishing block, grouped by chain in registry order) and how far each
/// chain's deliveries are (the on-chain cursor's position).
/// </summary>
public sealed class PublishRecord
{
    public required Hash256 Id { get; init; }
    public required Hash256 Channel { get; init; }
    public required ulong Seq { get; init; }
    public required ulong HomeChainId { get; init; }
    public required Address Publisher { get; init; }
    public required uint Total { get; init; }
    public required byte[] Message { get; init; }
    public required ulong PublishedBlock { get; init; }
    public required long PublishedAtMs { get; init; }
    public required ulong PublishedSlot { get; init; }
    /// <summary>The order publishes were seen in (the cluster's slot order): deliveries follow it.</summary>
    public required ulong Order { get; init; }
    /// <summary>Subscribers per chain, in the order they are delivered to.</summary>
    public required SortedDictionary<ulong, Subscription[]> PerChain { get; init; }
    /// <summary>Per chain with subscribers: how far its deliveries are.</summary>
    public SortedDictionary<ulong, ChainProgress> Progress { get; } = [];
    public List<DeliveryFailure> Failures { get; } = [];
    /// <summary>When every subscriber had been reached (its last batch's slot).</summary>
    public long? CompletedAtMs { get; set; }
    public ulong? CompletedSlot { get; set; }

    public ChainProgress On(ulong chain)
    {
        if (!Progress.TryGetValue(chain, out var progress)) Progress[chain] = progress = new ChainProgress();
        return progress;
    }

    /// <summary>True when the home chain's aggregate holds every chain's current outcome.</summary>
    public bool IsReported => Progress.Values.All(p => p.IsReported);

    public MulticastHeader Header => MulticastHeader.Decode(Message);

    public int NextOn(ulong chain) => Progress.TryGetValue(chain, out var p) ? p.Next : 0;

    public int RemainingOn(ulong chain) => PerChain.TryGetValue(chain, out var subs) ? subs.Length - NextOn(chain) : 0;

    public bool IsComplete
    {
        get
        {
            foreach (var (chain, subs) in PerChain)
                if (NextOn(chain) < subs.Length) return false;
            return true;
        }
    }

    public int Delivered => PerChain.Keys.Sum(NextOn);
}
