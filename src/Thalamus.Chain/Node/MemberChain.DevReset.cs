namespace Thalamus.Chain;

// anvil_reset and anvil_setChainId: whole-chain dev operations, allowed only on a chain that is not
// a cluster member (a member's history and chain id are part of the cluster's record).
public sealed partial class MemberChain
{
    /// <summary>
    /// anvil_reset without a fork: back to the genesis block, as if the chain had just started.
    /// Every later block is dropped from the store; the pool, the snapshots, the dev state edits,
    /// the clock adjustments and anvil's block settings (coinbase, gas limit, next base fee,
    /// timestamp interval) are cleared. The mining mode is kept.
    /// </summary>
    /// <exception cref="ChainException">the chain is a cluster member.</exception>
    public void Reset()
    {
        lock (_lock)
        {
            if (_coordinator is not null)
                throw new ChainException(
                    $"anvil_reset is not available on chain {ChainId}: it is a member of a node-cluster, whose messages, synchronous calls and " +
                    "slots are recorded with the other chains' blocks, so one chain cannot go back to genesis alone; use evm_snapshot/evm_revert, " +
                    "or restart the devnet (a lone `thalamus node` supports anvil_reset)");
            if (_head.Number > 0)
            {
                Store.RewindTo(0);
                _head = Store.GetHeader(0) ?? throw new InvalidOperationException("the genesis block vanished from the store during a reset");
            }
            _snapshots.Clear();
            _editsBefore.Clear();
            _pendingEdits = [];
            ResetStateToHead();
            Pool.Clear();
            _timeOffsetSeconds = 0;
            _nextTimestamp = null;
            _timestampInterval = null;
            _builder.Coinbase = Profile.Coinbase;
            _builder.GasLimit = Profile.BlockGasLimit;
            _builder.BaseFeeOverride = null;
            Pool.BlockGasLimit = Profile.BlockGasLimit;
            Pool.BaseFee = _builder.NextBaseFee(_head);
        }
    }

    /// <summary>
    /// anvil_setChainId: the chain id of the transactions accepted and the blocks executed from now
    /// on (eth_chainId answers it). In memory only: a restart returns to the configured id.
    /// </summary>
    /// <exception cref="ChainException">the chain is a cluster member, or the id is 0 (-32602).</exception>
    public void SetChainId(ulong chainId)
    {
        if (chainId == 0) throw new ChainException("invalid chain id 0: a chain id must be positive", ChainException.InvalidParamsCode);
        lock (_lock)
        {
            if (_coordinator is not null)
                throw new ChainException(
                    $"anvil_setChainId is not available on chain {ChainId}: in a node-cluster the chain id is the member's identity " +
                    "(messages, synchronous calls and cluster_* address chains by it); configure another id in cluster.yaml or with --chain-id");
            _chainId = chainId;
            _builder.ChainId = chainId;
            Pool.ChainId = chainId;
        }
    }
}
