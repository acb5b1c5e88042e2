using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Chain;

/// <summary>
/// One member chain: genesis, transaction pool, block building and sealing (automine and/or
/// interval), state and history queries, dev conveniences. The facade the JSON-RPC layer uses.
/// Thread-safe: state-changing operations take one lock; events are raised inside it, in
/// order, so a handler must not block (it may call back into the chain on the same thread).
/// eth_call and eth_estimateGas run outside the lock on a state reopened from the store.
/// </summary>
public sealed partial class MemberChain
{
    private readonly Lock _lock;
    private readonly IClock _clock;
    private readonly BlockBuilder _builder;
    private readonly TransactionProcessor _callProcessor = new() { SkipAccountChecks = true };
    private RecordingKeyValueStore _overlay;
    private WorldState _state;
    private BlockHeader _head;

    /// <summary>
    /// Opens the chain in <paramref name="store"/>: resumes at the stored head, or writes the genesis
    /// block of <paramref name="genesis"/> into an empty store.
    /// </summary>
    /// <param name="syncRoot">The lock to take; a cluster passes one to all its chains (a slot is one critical section).</param>
    public MemberChain(ChainProfile profile, GenesisConfig genesis, IChainStore? store = null, IClock? clock = null, Lock? syncRoot = null)
    {
        _lock = syncRoot ?? new Lock();
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(genesis);
        if (genesis.ChainId != profile.ChainId)
            throw new ArgumentException($"genesis chain id {genesis.ChainId} differs from the profile's {profile.ChainId}", nameof(genesis));
        Profile = profile;
        _chainId = profile.ChainId;
        Store = store ?? new MemoryChainStore();
        _clock = clock ?? SystemClock.Instance;
        _builder = new BlockBuilder(profile);
        _overlay = new RecordingKeyValueStore(Store.StateNodes);
        RemoteState = genesis.RemoteState;

        if (Store.HeadNumber is { } headNumber)
        {
            _head = Store.GetHeader(headNumber) ?? throw new InvalidOperationException($"the store's head block {headNumber} is missing");
            _state = NewState(_overlay, _head.StateRoot);
        }
        else
        {
            _state = NewState(_overlay, Keccak256.OfEmptyList);
            var block = BlockBuilder.BuildGenesis(genesis, _state);
            Store.CommitBlock(block, [], _overlay.Drain());
            _head = block.Header;
        }
        FirstBlockNumber = Store.FirstNumber;

        Pool = new TxPool(profile, () => _state) { BaseFee = _builder.NextBaseFee(_head) };
        _automine = profile.BlockTime == TimeSpan.Zero;
        if (!_automine) SetIntervalMiningLocked(profile.BlockTime);
    }

    private ulong _chainId;

    /// <summary>The profile's chain id, or the one anvil_setChainId set (a lone chain only).</summary>
    public ulong ChainId => _chainId;
    public ChainProfile Profile { get; }
    public IChainStore Store { get; }

    /// <summary>The pool; lock-free access is not safe: use the chain's methods, or <see cref="WithPool{T}"/>.</summary>
    public TxPool Pool { get; }

    public BlockHeader Head
    {
        get
        {
            lock (_lock) return _head;
        }
    }

    /// <summary>Raised after a block is committed to the store.</summary>
    public event Action<Block, IReadOnlyList<TransactionReceipt>>? BlockSealed;

    /// <summary>Raised when a transaction enters the pool (before an automined block includes it).</summary>
    public event Action<Hash256>? PendingTransactionAdded;

    /// <summary>Runs <paramref name="read"/> on the pool under the chain's lock (txpool_* methods).</summary>
    public T WithPool<T>(Func<TxPool, T> read)
    {
        ArgumentNullException.ThrowIfNull(read);
        lock (_lock) return read(Pool);
    }

    /// <summary>Reopens the live state at the head (after a failure or a rewind), with the pending setter edits.</summary>
    private void ResetStateToHead()
    {
        _overlay = new RecordingKeyValueStore(Store.StateNodes);
        _state = NewState(_overlay, _head.StateRoot);
        ReplayPendingEdits(_state);
    }

    /// <summary>Fork mode: the remote chain's state this chain reads through to (null: not a fork).</summary>
    public IRemoteStateSource? RemoteState { get; }

    /// <summary>The number of the chain's first block: 0, or a fork's pinned remote block.</summary>
    public ulong FirstBlockNumber { get; }

    /// <summary>This chain's state with root <paramref name="root"/> over <paramref name="store"/> (reading through to the fork's remote, if any).</summary>
    public WorldState NewState(IKeyValueStore store, Hash256 root) => new(store, root, RemoteState);

    /// <summary>This chain's state at <paramref name="root"/>, read from its store (writes go to the store's pending buffer; use for reading).</summary>
    public WorldState OpenStateAt(Hash256 root) => NewState(Store.StateNodes, root);
}
