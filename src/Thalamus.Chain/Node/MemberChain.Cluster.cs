using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Chain;

// The surface a node-cluster drives a member chain through. Every member here must be used under
// SyncRoot (which the cluster shares between its chains).
public sealed partial class MemberChain
{
    private IChainCoordinator? _coordinator;

    /// <summary>The lock every state-changing operation takes; a cluster passes one lock to all its chains.</summary>
    public Lock SyncRoot => _lock;

    /// <summary>The cluster coordinating this chain, if any.</summary>
    public IChainCoordinator? Coordinator => _coordinator;

    /// <summary>
    /// Joins a cluster: from now on sealing goes through <paramref name="coordinator"/>, which also
    /// schedules interval blocks; blocks and calls execute with <paramref name="nativeContracts"/>
    /// (the Cancun precompiles and what the cluster's modules add).
    /// </summary>
    public void AttachCoordinator(IChainCoordinator coordinator, NativeContracts? nativeContracts = null)
    {
        ArgumentNullException.ThrowIfNull(coordinator);
        lock (_lock)
        {
            if (_coordinator is not null) throw new InvalidOperationException("the chain already belongs to a cluster");
            _coordinator = coordinator;
            _builder.NativeContracts = nativeContracts ?? NativeContracts.Cancun;
            // The cluster's scheduler seals interval blocks; the chain's own interval timer stays off.
            _interval = TimeSpan.Zero;
        }
    }

    /// <summary>The contracts implemented in C# this chain executes with.</summary>
    public NativeContracts NativeContracts => _builder.NativeContracts;

    /// <summary>The live state: the head's state plus what the cluster has applied for the next block (synchronous calls received).</summary>
    public WorldState LiveState => _state;

    /// <summary>
    /// The block context the next block will execute in, at <paramref name="timestamp"/> (the
    /// cluster pins it, so calls received before the block is built see the same values).
    /// </summary>
    public BlockContext CreateNextBlockContext(ulong timestamp) => _builder.CreateContext(_head, timestamp, BlockHashAt);

    /// <summary>The timestamp the next block gets from the chain's own clock.</summary>
    public ulong PeekNextTimestamp()
    {
        var saved = (_nextTimestamp, _timeOffsetSeconds);
        var timestamp = NextTimestamp();
        (_nextTimestamp, _timeOffsetSeconds) = saved;
        return timestamp;
    }

    /// <summary>Seals a block now with whatever is pending (possibly none): the cluster's scheduled and forced blocks.</summary>
    public Block SealForCluster(ulong? timestamp = null) => SealLocked(timestamp, int.MaxValue).Block;

    /// <summary>Drops every uncommitted change of the live state (a slot failed): back to the head.</summary>
    public void DiscardLiveChanges() => ResetStateToHead();

    /// <summary>True when the pool holds a transaction that could go into the next block.</summary>
    public bool HasExecutablePending() => Pool.GetPendingIterator(_builder.NextBaseFee(_head)).Peek() is not null;

    /// <summary>Automine's rule after something changed (a hold lifted): seal what is pending, a block per transaction.</summary>
    public void AutomineIfEnabled()
    {
        if (_automine) AutomineLocked();
    }
}
