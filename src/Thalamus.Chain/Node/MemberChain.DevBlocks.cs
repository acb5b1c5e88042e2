using Thalamus.Core;

namespace Thalamus.Chain;

// anvil's settings for the blocks to come: coinbase, gas limit, the next base fee, the timestamp interval.
public sealed partial class MemberChain
{
    private ulong? _timestampInterval;

    /// <summary>The coinbase (miner) of the blocks sealed from now on.</summary>
    public Address Coinbase
    {
        get
        {
            lock (_lock) return _builder.Coinbase;
        }
    }

    /// <summary>The gas limit of the blocks sealed from now on.</summary>
    public ulong BlockGasLimit
    {
        get
        {
            lock (_lock) return _builder.GasLimit;
        }
    }

    /// <summary>anvil_setCoinbase: the blocks sealed from now on credit their fees to <paramref name="coinbase"/>.</summary>
    public void SetCoinbase(Address coinbase)
    {
        lock (_lock) _builder.Coinbase = coinbase;
    }

    /// <summary>evm_setBlockGasLimit: the blocks sealed from now on have this gas limit; the pool refuses transactions needing more.</summary>
    /// <exception cref="ChainException">a limit too small for a plain transfer (-32602).</exception>
    public void SetBlockGasLimit(ulong gasLimit)
    {
        if (gasLimit < 21_000 || gasLimit > long.MaxValue)
            throw new ChainException($"invalid block gas limit {gasLimit}: it must be between 21000 and {long.MaxValue}", ChainException.InvalidParamsCode);
        lock (_lock)
        {
            _builder.GasLimit = gasLimit;
            Pool.BlockGasLimit = gasLimit;
        }
    }

    /// <summary>anvil_setNextBlockBaseFeePerGas: the next block's base fee only; the blocks after it follow EIP-1559 from it.</summary>
    public void SetNextBlockBaseFeePerGas(UInt256 baseFee)
    {
        lock (_lock)
        {
            _builder.BaseFeeOverride = (_head.Hash, baseFee);
            Pool.BaseFee = baseFee;
        }
    }

    /// <summary>anvil_setBlockTimestampInterval: each next block's timestamp is the previous one's plus <paramref name="seconds"/>.</summary>
    public void SetBlockTimestampInterval(ulong seconds)
    {
        if (seconds > uint.MaxValue) throw new ChainException($"timestamp interval of {seconds} seconds is too long", ChainException.InvalidParamsCode);
        lock (_lock) _timestampInterval = seconds;
    }

    /// <summary>anvil_removeBlockTimestampInterval: true when an interval was set.</summary>
    public bool RemoveBlockTimestampInterval()
    {
        lock (_lock)
        {
            var had = _timestampInterval is not null;
            _timestampInterval = null;
            return had;
        }
    }

    /// <summary>The interval set by anvil_setBlockTimestampInterval, if any.</summary>
    public ulong? BlockTimestampInterval
    {
        get
        {
            lock (_lock) return _timestampInterval;
        }
    }
}
