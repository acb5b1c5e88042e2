using Thalamus.Evm;

namespace Thalamus.Chain;

/// <summary>What a cluster adds to a member chain's next block (see <see cref="IChainCoordinator.PrepareBlock"/>).</summary>
public sealed class BlockPreparation
{
    public static BlockPreparation None { get; } = new();

    /// <summary>Executed before the pool's transactions (the relayer's message deliveries), in order.</summary>
    public IReadOnlyList<PooledTransaction> Leading { get; init; } = [];

    /// <summary>
    /// After <see cref="Leading"/>: given the gas the leading transactions used so far, the next one to
    /// run (the relayer's deliveries, taken while the block's delivery budget lasts), or null when done.
    /// </summary>
    public Func<ulong, PooledTransaction?>? NextLeading { get; init; }

    /// <summary>Admits the pool's transactions by what they did (see <see cref="ITransactionAdmission"/>).</summary>
    public ITransactionAdmission? Admission { get; init; }

    /// <summary>Where the block's transactions' calls to the cluster's CrossChainCall address go.</summary>
    public ICrossChainCallHandler? CrossChainCalls { get; init; }

    /// <summary>Forces the block's timestamp (a cluster slot's time); null: the chain's own clock.</summary>
    public ulong? Timestamp { get; init; }

    /// <summary>
    /// Called once the block's transactions have run: the block's cluster section (see
    /// <see cref="Block.ClusterSection"/>) or null; its hash becomes the header's extra data.
    /// </summary>
    public Func<byte[]?>? Section { get; init; }
}
