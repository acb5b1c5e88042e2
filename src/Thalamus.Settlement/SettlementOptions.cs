using Thalamus.Core;

namespace Thalamus.Settlement;

/// <summary>How the node settles on its parent chain (cluster.yaml <c>settlement:</c> and <c>parent:</c>, see docs/cluster-config.md).</summary>
public sealed class SettlementOptions
{
    /// <summary>The SystemAccount name whose key posts assertions (funded on the parent).</summary>
    public const string PosterName = "thalamus.settlement";

    public required IParentChain Parent { get; init; }

    /// <summary>The contract to post to; null: the one recorded in the node's database, or a new deployment at start.</summary>
    public Address? Contract { get; init; }

    public SettlementTerms Terms { get; init; } = new();

    /// <summary>Settlement slots (slots that sealed blocks) per batch.</summary>
    public int SlotsPerBatch { get; init; } = 4;

    /// <summary>
    /// The most batch data one assertion carries: a batch whose compressed data is larger is cut to fewer slots (geth's and
    /// anvil's pools refuse transactions over 128 KiB). A single slot larger than this is an error (it would need blobs).
    /// </summary>
    public int MaxBatchBytes { get; init; } = 120_000;

    /// <summary>Fault injection (tests, demos): the batch holding this settlement slot asserts a wrong state root for its first block, once.</summary>
    public ulong? FaultSlot { get; init; }

    /// <summary>Post from a background thread as slots commit (the CLI); false: the caller drives <see cref="SettlementModule.PostPending"/> (tests, benchmarks).</summary>
    public bool AutoPost { get; init; } = true;

    /// <summary>How often the background poster looks for batches to post or finalise when no slot wakes it.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    public ParentAccount Poster { get; init; } = ParentAccount.FromName(PosterName);
}
