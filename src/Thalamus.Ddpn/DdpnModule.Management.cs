using System.Buffers.Binary;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Modules;

namespace Thalamus.Ddpn;

// The node's side of the management units: after every slot it reads the operations the slot's blocks
// queued in each chain's outbox (in configured chain order, then outbox order) and appends them to one
// global queue, with the chains' profiles (smoothed speed, base fee, memory limit) every few slots; each
// chain's next block starts with applyOps for the part of the queue that chain has not applied.
public sealed partial class DdpnModule
{
    /// <summary>Weight of the newest measurement in the smoothed chain speed G = a·now + (1 − a)·G.</summary>
    public const double SpeedSmoothing = 0.5;

    /// <summary>Profiles are published with the first operations and then at most every this many slots, only when operations come (an idle cluster gets no system transactions).</summary>
    public const ulong ProfileInterval = 8;

    public const int MaxOpsPerTransaction = 64;

    private const ulong ApplyBaseGas = 100_000, ApplyGasPerOp = 150_000;

    private readonly List<byte[]> _queue = [];
    private readonly Dictionary<ulong, ulong> _cursors = [];
    private readonly Dictionary<ulong, double> _speeds = [];
    private ulong _profileSeq;
    private ulong _lastProfileSlot;

    /// <summary>Offers whose close is in the global order and whose Pythias may still be voting: the slot of their timeout and the close's place in the queue.</summary>
    private readonly Dictionary<Hash256, (ulong Deadline, ulong CloseIndex)> _voteDeadlines = [];

    /// <summary>The global order of management operations so far (each as applyOps receives it).</summary>
    public IReadOnlyList<byte[]> Queue => _queue;

    private void RestoreQueue(IClusterHost host)
    {
        foreach (var (key, value) in host.ReadState(ModuleName))
        {
            switch (key[0])
            {
                case (byte)'q':
                    var index = (int)BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(1));
                    while (_queue.Count <= index) _queue.Add([]);
                    _queue[index] = value;
                    break;
                case (byte)'c': _cursors[BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(1))] = BinaryPrimitives.ReadUInt64BigEndian(value); break;
                case (byte)'g': _speeds[BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(1))] = BitConverter.Int64BitsToDouble(BinaryPrimitives.ReadInt64BigEndian(value)); break;
                case (byte)'t':
                    _voteDeadlines[new Hash256(key.AsSpan(1, 32))] = (BinaryPrimitives.ReadUInt64BigEndian(value), BinaryPrimitives.ReadUInt64BigEndian(value.AsSpan(8)));
                    break;
                case (byte)'p':
                    _profileSeq = BinaryPrimitives.ReadUInt64BigEndian(value);
                    _lastProfileSlot = BinaryPrimitives.ReadUInt64BigEndian(value.AsSpan(8));
                    break;
            }
        }
    }

    public void SlotCommitted(CommittedSlot slot)
    {
        if (_host is null) return;
        var firstNew = _queue.Count;
        foreach (var block in slot.Blocks)
        {
            var id = block.Chain.ChainId;
            // What a job could get of the block: the gas the block left unused (measured, so a busy chain is slower).
            _speeds[id] = Smoothed(_speeds.TryGetValue(id, out var g) ? g : null, block.Built.Block.Header);
        }
        var operations = new List<byte[]>();
        foreach (var chain in _host.Chains)
        {
            var storage = new UnitStorage(chain.LiveState, new Meter(long.MaxValue), DdpnAddresses.Management);
            var length = storage.GetUInt64(ManagementUnit.OutboxLengthSlot);
            var cursor = _cursors.GetValueOrDefault(chain.ChainId);
            for (; cursor < length; cursor++) operations.Add(storage.ReadBlob(ManagementUnit.OutboxSlot(cursor)));
            _cursors[chain.ChainId] = cursor;
        }
        if (operations.Count > 0 && (_profileSeq == 0 || slot.Slot >= _lastProfileSlot + ProfileInterval))
        {
            _lastProfileSlot = slot.Slot;
            foreach (var chain in _host.Chains)
            {
                var speed = (ulong)Math.Max(1, Math.Round(_speeds.GetValueOrDefault(chain.ChainId, chain.Profile.BlockGasLimit)));
                var fee = chain.Head.BaseFeePerGas;
                var price = fee.IsUInt64 ? Math.Max(1, (ulong)fee / 1_000_000_000) : ulong.MaxValue;
                var payload = Abi.Encode(chain.ChainId, speed * (ulong)DdpnGas.DlxGasPerEvmGas, price, (ulong)_options.MemoryLimitOf(chain.ChainId));
                _queue.Add(ManagementUnit.EncodeOperation(0, _profileSeq++, ManagementUnit.KindProfile, Account.Address, payload, Hash256.Zero));
            }
        }
        var changedDeadlines = new List<Hash256>();
        if (_options.VoteTimeoutSlots > 0)
            foreach (var op in operations)
                if (CloseOf(op) is { } closed)
                {
                    _voteDeadlines[closed] = (slot.Slot + _options.VoteTimeoutSlots, (ulong)(_queue.Count + operations.IndexOf(op)));
                    changedDeadlines.Add(closed);
                }
        _queue.AddRange(operations);
        QueueVoteTimeouts(slot.Slot, changedDeadlines);
        WriteRows(slot.State, firstNew, firstNew, changedDeadlines);
    }

    /// <summary>
    /// The module's rows (one place for a slot and a rollback): the queue from <paramref name="firstChanged"/> on (and the deletion of
    /// the entries from its end to <paramref name="oldCount"/>), the cursors, the speeds, the changed vote deadlines and the counters.
    /// </summary>
    private void WriteRows(IModuleState state, int firstChanged, int oldCount, List<Hash256> changedDeadlines)
    {
        if (!state.IsPersistent) return;
        Span<byte> row = stackalloc byte[33];
        foreach (var offer in changedDeadlines)
        {
            row[0] = (byte)'t';
            offer.Bytes.CopyTo(row[1..]);
            state.Put(ModuleName, row, _voteDeadlines.TryGetValue(offer, out var due) ? [.. BigEndian(due.Deadline), .. BigEndian(due.CloseIndex)] : null);
        }
        Span<byte> key = stackalloc byte[9];
        for (var i = firstChanged; i < Math.Max(oldCount, _queue.Count); i++)
        {
            key[0] = (byte)'q';
            BinaryPrimitives.WriteUInt64BigEndian(key[1..], (ulong)i);
            state.Put(ModuleName, key, i < _queue.Count ? _queue[i] : null);
        }
        foreach (var (chain, cursor) in _cursors)
        {
            key[0] = (byte)'c';
            BinaryPrimitives.WriteUInt64BigEndian(key[1..], chain);
            state.Put(ModuleName, key, BigEndian(cursor));
        }
        foreach (var (chain, speed) in _speeds)
        {
            key[0] = (byte)'g';
            BinaryPrimitives.WriteUInt64BigEndian(key[1..], chain);
            state.Put(ModuleName, key, BigEndian((ulong)BitConverter.DoubleToInt64Bits(speed)));
        }
        state.Put(ModuleName, "p"u8, [.. BigEndian(_profileSeq), .. BigEndian(_lastProfileSlot)]);
    }

    /// <summary>The offer a queued operation closes, or null when it is not a close.</summary>
    private static Hash256? CloseOf(byte[] op)
    {
        var reader = new AbiReader(op);
        return reader.UInt64(2) == ManagementUnit.KindClose && new AbiReader(reader.BytesSpan(4)) is var payload ? payload.Bytes32(0) : null;
    }

    /// <summary>
    /// Appends a timeout operation for every offer whose vote deadline has come, unless the first chain has already applied its close and the
    /// offer is not under verification there (every vote came in time, or the close was refused): then nothing is left to time out.
    /// </summary>
    private void QueueVoteTimeouts(ulong slot, List<Hash256> changed)
    {
        if (_voteDeadlines.Count == 0 || _host is null) return;
        var reference = new UnitStorage(_host.Chains[0].LiveState, new Meter(long.MaxValue), DdpnAddresses.Management);
        var applied = reference.GetUInt64(ManagementUnit.AppliedSlot);
        foreach (var (offer, (deadline, closeIndex)) in _voteDeadlines.Where(d => d.Value.Deadline <= slot).OrderBy(d => d.Value.CloseIndex).ToList())
        {
            _voteDeadlines.Remove(offer);
            changed.Add(offer);
            if (applied > closeIndex && ManagementUnit.StatusOf(reference, offer) != ManagementUnit.StatusVerifying) continue;
            _queue.Add(ManagementUnit.EncodeOperation(0, _profileSeq++, ManagementUnit.KindTimeout, Account.Address, Abi.Encode(offer), Hash256.Zero));
        }
    }

    private static byte[] BigEndian(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    private const ulong PayBaseGas = 80_000, PayGasPerPayout = 60_000;
    private const int MaxPayoutsPerTransaction = 32, MaxPayoutsScanned = 512;

    public IReadOnlyList<PooledTransaction> ProposeSystemTransactions(SystemTransactionRequest request)
    {
        var chain = request.Chain;
        var management = new UnitStorage(chain.LiveState, new Meter(long.MaxValue), DdpnAddresses.Management);
        var transactions = new List<PooledTransaction>(2);
        var nonce = Account.NonceOn(chain);
        var budget = request.GasBudget;
        var applied = (ulong)management.Get(ManagementUnit.AppliedSlot);
        if (applied < (ulong)_queue.Count)
        {
            var count = (int)Math.Min((ulong)MaxOpsPerTransaction, (ulong)_queue.Count - applied);
            while (count > 0 && ApplyBaseGas + ApplyGasPerOp * (ulong)count > budget) count--;
            if (count > 0)
            {
                var ops = new AbiValue[count];
                for (var i = 0; i < count; i++) ops[i] = AbiValue.Bytes(_queue[(int)applied + i]);
                var gas = ApplyBaseGas + ApplyGasPerOp * (ulong)count;
                budget -= gas;
                var data = Abi.EncodeCall(ManagementUnit.ApplyOps, applied, AbiValue.Array(ops));
                transactions.Add(Account.Sign(chain.ChainId, nonce++, DdpnAddresses.Management, data, gas, request.BaseFee));
            }
        }
        if (PayoutTransaction(chain, management, budget, nonce, request.BaseFee) is { } pay) transactions.Add(pay);
        return transactions;
    }

    /// <summary>
    /// The payouts the applied management state decided that this chain's escrow holds, from the escrow's cursor (on chain, so a payout is
    /// never made twice, even after a restart): <c>pay(first, next, to[], amounts[], indices[])</c>.
    /// </summary>
    private static PooledTransaction? PayoutTransaction(MemberChain chain, UnitStorage management, ulong budget, ulong nonce, UInt256 baseFee)
    {
        var length = (ulong)management.Get(ManagementUnit.PayoutLengthSlot);
        var cursor = (ulong)chain.LiveState.GetStorage(DdpnAddresses.Escrow, new UInt256(2));
        if (cursor >= length || PayBaseGas > budget) return null;
        var to = new List<AbiValue>();
        var amounts = new List<AbiValue>();
        var indices = new List<AbiValue>();
        var next = cursor;
        for (; next < length && next - cursor < MaxPayoutsScanned && to.Count < MaxPayoutsPerTransaction
            && PayBaseGas + PayGasPerPayout * (ulong)(to.Count + 1) <= budget; next++)
        {
            var p = ManagementUnit.PayoutSlot(next);
            if ((ulong)management.Get(p) != chain.ChainId) continue;
            to.Add(Address.FromUInt256(management.Get(UnitStorage.At(p, 1))));
            amounts.Add(management.Get(UnitStorage.At(p, 2)));
            indices.Add(next);
        }
        var data = Abi.EncodeCall(Abi.Selector("pay(uint256,uint256,address[],uint256[],uint256[])"), cursor, next,
            AbiValue.Array([.. to]), AbiValue.Array([.. amounts]), AbiValue.Array([.. indices]));
        return Account.Sign(chain.ChainId, nonce, DdpnAddresses.Escrow, data, PayBaseGas + PayGasPerPayout * (ulong)to.Count, baseFee);
    }
}
