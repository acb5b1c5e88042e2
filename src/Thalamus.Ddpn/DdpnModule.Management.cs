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
            var header = block.Built.Block.Header;
            var gas = (double)(header.GasLimit - header.GasUsed);
            _speeds[id] = _speeds.TryGetValue(id, out var g) ? SpeedSmoothing * gas + (1 - SpeedSmoothing) * g : gas;
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
                _queue.Add(Abi.Encode(0UL, _profileSeq++, (ulong)ManagementUnit.KindProfile, Account.Address, AbiValue.Bytes(payload)));
            }
        }
        _queue.AddRange(operations);
        if (!slot.State.IsPersistent) return;
        Span<byte> key = stackalloc byte[9];
        for (var i = firstNew; i < _queue.Count; i++)
        {
            key[0] = (byte)'q';
            BinaryPrimitives.WriteUInt64BigEndian(key[1..], (ulong)i);
            slot.State.Put(ModuleName, key, _queue[i]);
        }
        foreach (var (chain, cursor) in _cursors)
        {
            key[0] = (byte)'c';
            BinaryPrimitives.WriteUInt64BigEndian(key[1..], chain);
            slot.State.Put(ModuleName, key, BigEndian(cursor));
        }
        foreach (var (chain, speed) in _speeds)
        {
            key[0] = (byte)'g';
            BinaryPrimitives.WriteUInt64BigEndian(key[1..], chain);
            slot.State.Put(ModuleName, key, BigEndian((ulong)BitConverter.DoubleToInt64Bits(speed)));
        }
        slot.State.Put(ModuleName, "p"u8, [.. BigEndian(_profileSeq), .. BigEndian(_lastProfileSlot)]);
    }

    private static byte[] BigEndian(ulong value)
    {
        var bytes = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, value);
        return bytes;
    }

    public IReadOnlyList<PooledTransaction> ProposeSystemTransactions(SystemTransactionRequest request)
    {
        var chain = request.Chain;
        var applied = (ulong)new UnitStorage(chain.LiveState, new Meter(long.MaxValue), DdpnAddresses.Management).Get(ManagementUnit.AppliedSlot);
        if (applied >= (ulong)_queue.Count) return [];
        var count = (int)Math.Min((ulong)MaxOpsPerTransaction, (ulong)_queue.Count - applied);
        while (count > 0 && ApplyBaseGas + ApplyGasPerOp * (ulong)count > request.GasBudget) count--;
        if (count == 0) return [];
        var ops = new AbiValue[count];
        for (var i = 0; i < count; i++) ops[i] = AbiValue.Bytes(_queue[(int)applied + i]);
        var data = Abi.EncodeCall(ManagementUnit.ApplyOps, applied, AbiValue.Array(ops));
        return [Account.Sign(chain.ChainId, Account.NonceOn(chain), DdpnAddresses.Management, data, ApplyBaseGas + ApplyGasPerOp * (ulong)count, request.BaseFee)];
    }
}
