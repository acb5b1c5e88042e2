using Thalamus.Core;

namespace Thalamus.Chain;

public sealed partial class MemberChain
{
    private bool _automine;
    private TimeSpan _interval;
    private DateTimeOffset _nextIntervalSeal;
    private long _timeOffsetSeconds;
    private ulong? _nextTimestamp;

    /// <summary>True when every accepted transaction is sealed at once in its own block.</summary>
    public bool Automine
    {
        get
        {
            lock (_lock) return _automine;
        }
    }

    /// <summary>The interval sealing period; zero when interval mining is off.</summary>
    public TimeSpan IntervalMining
    {
        get
        {
            lock (_lock) return _interval;
        }
    }

    /// <summary>evm_setAutomine. Turning it on seals what is already pending.</summary>
    public void SetAutomine(bool enabled)
    {
        lock (_lock)
        {
            _automine = enabled;
            if (enabled) AutomineLocked();
        }
    }

    /// <summary>evm_setIntervalMining: seal a block every <paramref name="interval"/> (zero turns it off).</summary>
    public void SetIntervalMining(TimeSpan interval)
    {
        if (interval < TimeSpan.Zero) throw new ArgumentOutOfRangeException(nameof(interval), "the interval cannot be negative");
        lock (_lock) SetIntervalMiningLocked(interval);
    }

    /// <summary>
    /// Seals a block if interval mining is on and the clock has reached the due time; the host calls
    /// this periodically (see <see cref="IntervalSealer"/>). Returns the sealed block, if any.
    /// </summary>
    public Block? Tick()
    {
        lock (_lock)
        {
            if (_interval <= TimeSpan.Zero) return null;
            var now = _clock.UtcNow;
            if (now < _nextIntervalSeal) return null;
            var block = SealLocked(null, int.MaxValue).Block;
            _nextIntervalSeal += _interval;
            // After a long pause seal once, not a burst of catch-up blocks.
            if (_nextIntervalSeal <= now) _nextIntervalSeal = now + _interval;
            return block;
        }
    }

    /// <summary>When the next interval block is due (null when interval mining is off).</summary>
    public DateTimeOffset? NextIntervalSeal
    {
        get
        {
            lock (_lock) return _interval > TimeSpan.Zero ? _nextIntervalSeal : null;
        }
    }

    /// <summary>
    /// evm_mine / anvil_mine: seals <paramref name="blocks"/> blocks now, each with the pending
    /// transactions that fit; the first at <paramref name="timestamp"/> when given.
    /// </summary>
    public IReadOnlyList<Block> Mine(int blocks = 1, ulong? timestamp = null)
    {
        if (blocks < 1) throw new ArgumentOutOfRangeException(nameof(blocks), blocks, "mine at least one block");
        lock (_lock)
        {
            if (timestamp is { } ts) _nextTimestamp = CheckTimestamp(ts);
            if (_coordinator is { } coordinator)
            {
                if (!coordinator.CanSeal(this))
                    throw new ChainException($"chain {ChainId} cannot seal now: the cluster holds it (see cluster_status)");
                return coordinator.RunInSlot(this, () =>
                {
                    var sealedBlocks = new Block[blocks];
                    for (var i = 0; i < blocks; i++) sealedBlocks[i] = SealLocked(null, int.MaxValue).Block;
                    return sealedBlocks;
                });
            }
            var result = new Block[blocks];
            for (var i = 0; i < blocks; i++) result[i] = SealLocked(null, int.MaxValue).Block;
            return result;
        }
    }

    /// <summary>evm_increaseTime: moves the chain's clock forward; returns the total offset in seconds.</summary>
    public ulong IncreaseTime(ulong seconds)
    {
        if (seconds > long.MaxValue / 2) throw new ArgumentOutOfRangeException(nameof(seconds), seconds, "too large");
        lock (_lock)
        {
            _timeOffsetSeconds = checked(_timeOffsetSeconds + (long)seconds);
            return (ulong)Math.Max(0, _timeOffsetSeconds);
        }
    }

    /// <summary>evm_setNextBlockTimestamp: the next block gets exactly this timestamp; time continues from it.</summary>
    public void SetNextBlockTimestamp(ulong timestamp)
    {
        lock (_lock) _nextTimestamp = CheckTimestamp(timestamp);
    }

    private ulong CheckTimestamp(ulong timestamp)
    {
        var minimum = Profile.AllowEqualTimestamps ? _head.Timestamp : _head.Timestamp + 1;
        if (timestamp < minimum)
            throw new ChainException($"timestamp {timestamp} is lower than or equal to the previous block's timestamp {_head.Timestamp}",
                ChainException.InvalidParamsCode);
        return timestamp;
    }

    private void SetIntervalMiningLocked(TimeSpan interval)
    {
        _interval = interval;
        if (interval > TimeSpan.Zero) _nextIntervalSeal = _clock.UtcNow + interval;
    }

    /// <summary>Automine: a block per transaction, until nothing executable is left.</summary>
    private void AutomineLocked()
    {
        if (_coordinator is { } coordinator)
        {
            // In a cluster a held chain keeps its transactions pending; each block is a slot of its own.
            while (coordinator.CanSeal(this) && coordinator.RunInSlot(this, SealLockedIfAny) is not null) { }
            return;
        }
        while (true)
        {
            var built = SealLockedIfAny();
            if (built is null) return;
        }
    }

    private BuiltBlock? SealLockedIfAny()
    {
        var iterator = Pool.GetPendingIterator(_builder.NextBaseFee(_head));
        if (iterator.Peek() is null) return null;
        var built = SealLocked(null, 1, iterator);
        return built.Block.Transactions.Count == 0 && built.Invalid.Count == 0 ? null : built;
    }

    private ulong NextTimestamp()
    {
        var minimum = Profile.AllowEqualTimestamps ? _head.Timestamp : _head.Timestamp + 1;
        if (_nextTimestamp is { } forced)
        {
            _nextTimestamp = null;
            // Time continues from the forced timestamp.
            _timeOffsetSeconds = (long)forced - _clock.UtcNow.ToUnixTimeSeconds();
            return Math.Max(forced, minimum);
        }
        if (_timestampInterval is { } interval)
        {
            // anvil: the previous block's timestamp plus the interval, whatever the clock says; time continues from it.
            var next = Math.Max(_head.Timestamp + interval, minimum);
            _timeOffsetSeconds = (long)next - _clock.UtcNow.ToUnixTimeSeconds();
            return next;
        }
        var now = _clock.UtcNow.ToUnixTimeSeconds() + _timeOffsetSeconds;
        return now < 0 ? minimum : Math.Max((ulong)now, minimum);
    }

    /// <summary>Builds, commits and announces one block on the head.</summary>
    private BuiltBlock SealLocked(ulong? timestamp, int maxTransactions, PendingTransactionIterator? iterator = null)
    {
        var parent = _head;
        BuiltBlock built;
        try
        {
            var preparation = _coordinator?.PrepareBlock(this, parent);
            var ts = timestamp ?? preparation?.Timestamp ?? NextTimestamp();
            iterator ??= Pool.GetPendingIterator(_builder.NextBaseFee(parent));
            built = _builder.Build(parent, _state, iterator, ts, BlockHashAt, maxTransactions, preparation);
            Store.CommitBlock(built.Block, built.Receipts, _overlay.Drain());
        }
        catch
        {
            // The live state may hold a half-built block: start again from the committed head.
            ResetStateToHead();
            _coordinator?.BlockFailed(this);
            throw;
        }
        _head = built.Block.Header;
        RememberEditsBefore(built.Block);
        ClearPendingEdits();

        var senders = new HashSet<Address>();
        foreach (var tx in built.Included)
        {
            Pool.Remove(tx.Hash);
            senders.Add(tx.Sender);
        }
        foreach (var (tx, _) in built.Invalid)
        {
            Pool.Remove(tx.Hash);
            senders.Add(tx.Sender);
        }
        Pool.Reconcile(senders);
        Pool.BaseFee = _builder.NextBaseFee(_head);

        _coordinator?.BlockSealed(this, built);
        BlockSealed?.Invoke(built.Block, built.Receipts);
        return built;
    }

    private Hash256 BlockHashAt(ulong number) => Store.GetHeader(number)?.Hash ?? Hash256.Zero;
}
