using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Chain;

/// <summary>
/// One member chain: genesis, transaction pool, block building and sealing (automine and/or
/// interval), state and history queries, dev conveniences. The facade the JSON-RPC layer uses.
/// Thread-safe: every operation takes one lock; events are raised inside it, in order, so a
/// handler must not block (it may call back into the chain).
/// </summary>
public sealed partial class MemberChain
{
    public ulong ChainId => Profile.ChainId;
    public ChainProfile Profile { get; }
    public IChainStore Store { get; }
    public TxPool Pool { get; }

    /// <summary>Raised after a block is committed to the store.</summary>
    public event Action<Block, IReadOnlyList<TransactionReceipt>>? BlockSealed;

    /// <summary>Raised when a transaction enters the pool (before an automined block includes it).</summary>
    public event Action<Hash256>? PendingTransactionAdded;
}
