using System.Buffers.Binary;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Modules;
using Thalamus.Rpc;

namespace Thalamus.Settlement;

/// <summary>A batch this node asserted.</summary>
public sealed record PostedBatch(ulong Index, ulong FirstSlot, ulong LastSlot, int Blocks, int Transactions, int DataBytes, ulong GasUsed, Hash256 Transaction,
    bool Faulty);

/// <summary>
/// The settlement module: numbers every committed slot that sealed blocks (a settlement slot, from 1), stores which
/// blocks it sealed (a row per slot, committed with the slot), and posts batches of <see cref="SettlementOptions.SlotsPerBatch"/>
/// consecutive slots to the settlement contract on the parent chain from its own thread (never under the cluster's
/// lock): per block a leaf, the message root, and the compressed blocks as calldata. Where to resume is the
/// contract's <c>nextSlot</c> (on-chain idempotence): a restart or a rejected batch never re-posts or skips a slot.
/// It finalises its batches once their window passed. RPC: <c>settlement_status</c>, <c>settlement_getBatch</c>.
/// </summary>
public sealed class SettlementModule : IClusterModule, IDisposable
{
    public const string ModuleName = "settlement";

    private static readonly byte[] ContractKey = "contract"u8.ToArray();
    /// <summary>The row holding the index of the last batch rejected by the arbiters that the cluster was rolled back for.</summary>
    private static readonly byte[] RolledBackKey = "rolledBack"u8.ToArray();
    /// <summary>Rows <c>members</c> + slot (8 bytes, big-endian): the member chain ids from that settlement slot on, where they changed.</summary>
    private static readonly byte[] MembersKeyPrefix = "members"u8.ToArray();
    private static readonly JsonEncodedText ContractName = JsonEncodedText.Encode("contract");

    private readonly SettlementOptions _options;
    private readonly Lock _gate = new();
    private readonly Lock _postGate = new();
    private readonly SortedDictionary<ulong, (ulong ChainId, ulong Number)[]> _slots = [];
    private readonly List<PostedBatch> _posted = [];
    private readonly SemaphoreSlim _wake = new(0);
    private IClusterHost? _host;
    private SettlementContract? _contract;
    private byte[] _genesis = [];
    private bool _contractPersisted;
    private ulong _lastSlot;
    private bool _faultPending;
    private Thread? _thread;
    private volatile bool _stopping;
    private string? _lastError;
    private ulong? _handledRejection;
    private ulong? _handling;
    private ulong _scanFrom;
    /// <summary>The members from a settlement slot on, where they changed (before the first entry: <see cref="_initialMembers"/>).</summary>
    private readonly SortedDictionary<ulong, ulong[]> _membersAt = [];
    private ulong[] _initialMembers = [];
    /// <summary>Every chain seen a member (a removed chain's blocks are still posted) and the genesis of those added later.</summary>
    private readonly Dictionary<ulong, MemberChain> _chainsSeen = [];
    private readonly Dictionary<ulong, ChainSpec> _joinedSpecs = [];

    public SettlementModule(SettlementOptions options)
    {
        _options = options ?? throw new ArgumentNullException(nameof(options));
        if (options.SlotsPerBatch < 1) throw new ArgumentOutOfRangeException(nameof(options), "slotsPerBatch must be at least 1");
        _faultPending = options.FaultSlot is not null;
    }

    public string Name => ModuleName;

    /// <summary>The contract on the parent (known after <see cref="Attach"/>).</summary>
    public SettlementContract Contract => _contract ?? throw new InvalidOperationException("the settlement module is not attached to a cluster");

    public Hash256 GenesisCommitment => Keccak256.Compute(_genesis);

    /// <summary>The last settlement slot numbered (slots that sealed blocks).</summary>
    public ulong LastSlot
    {
        get
        {
            lock (_gate) return _lastSlot;
        }
    }

    public IReadOnlyList<PostedBatch> Posted
    {
        get
        {
            lock (_gate) return [.. _posted];
        }
    }

    public string? LastError => _lastError;

    /// <summary>The last rollback of the cluster this module saw (after a batch was proven false), or null.</summary>
    public ClusterRollback? LastRollback { get; private set; }

    /// <summary>Raised (on the poster's thread) for each batch posted.</summary>
    public event Action<PostedBatch>? BatchPosted;

    public void Attach(IClusterHost host)
    {
        ArgumentNullException.ThrowIfNull(host);
        _host = host;
        Address? stored = null;
        foreach (var (key, value) in host.ReadState(ModuleName))
        {
            if (key.AsSpan().SequenceEqual(ContractKey))
            {
                stored = new Address(value);
                continue;
            }
            if (key.AsSpan().SequenceEqual(RolledBackKey))
            {
                _handledRejection = BinaryPrimitives.ReadUInt64BigEndian(value);
                continue;
            }
            if (key.Length == MembersKeyPrefix.Length + 8 && key.AsSpan().StartsWith(MembersKeyPrefix))
            {
                var ids = new ulong[value.Length / 8];
                for (var i = 0; i < ids.Length; i++) ids[i] = BinaryPrimitives.ReadUInt64BigEndian(value.AsSpan(8 * i));
                _membersAt[BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(MembersKeyPrefix.Length))] = ids;
                continue;
            }
            var entries = new (ulong, ulong)[value.Length / 16];
            for (var i = 0; i < entries.Length; i++)
                entries[i] = (BinaryPrimitives.ReadUInt64BigEndian(value.AsSpan(16 * i)), BinaryPrimitives.ReadUInt64BigEndian(value.AsSpan(16 * i + 8)));
            var slot = BinaryPrimitives.ReadUInt64BigEndian(key);
            _slots[slot] = entries;
            _lastSlot = Math.Max(_lastSlot, slot);
        }
        _genesis = GenesisCodec.Encode([.. host.Chains.Select(c => new ChainSpec(c.Profile, host.GenesisOf(c.ChainId)))]);
        _initialMembers = [.. host.Chains.Select(c => c.ChainId).Order()];
        foreach (var chain in host.Chains) _chainsSeen[chain.ChainId] = chain;
        if ((_options.Contract ?? stored) is { } address)
        {
            _contract = new SettlementContract(_options.Parent, address);
            var onChain = _contract.GenesisCommitment();
            if (onChain != GenesisCommitment)
                throw new InvalidOperationException($"the settlement contract {address} commits to genesis {onChain}, this cluster's is {GenesisCommitment}");
            _contractPersisted = stored == address;
        }
        else
        {
            _contract = SettlementContract.Deploy(_options.Parent, _options.Poster, _options.Poster.Address, _options.Terms, GenesisCommitment);
        }
        // The fault is injected once: not again after a restart when a batch already reached the fault slot.
        if (_faultPending && _options.FaultSlot is { } fault)
            for (ulong index = 0, count = _contract.BatchCount(); index < count; index++)
                if (_contract.Batch(index).LastSlot >= fault)
                {
                    _faultPending = false;
                    break;
                }
        if (_options.AutoPost)
        {
            _thread = new Thread(PostLoop) { IsBackground = true, Name = "settlement poster" };
            _thread.Start();
        }
    }

    public void SlotCommitted(CommittedSlot slot)
    {
        ArgumentNullException.ThrowIfNull(slot);
        if (slot.Blocks.Count == 0) return;
        ulong number;
        var entries = slot.Blocks.Select(b => (b.Chain.ChainId, b.Built.Block.Number)).ToArray();
        // Membership: chains added (AddChain) or removed (RemoveChain) between slots show here; a new one's genesis is kept for the batch it joins in.
        var host = _host!;
        ulong[] members = [.. host.Chains.Select(c => c.ChainId).Order()];
        foreach (var chain in host.Chains)
            if (_chainsSeen.TryAdd(chain.ChainId, chain) && !_initialMembers.Contains(chain.ChainId))
                _joinedSpecs[chain.ChainId] = new ChainSpec(chain.Profile, host.GenesisOf(chain.ChainId));
        var membersChanged = false;
        lock (_gate)
        {
            number = ++_lastSlot;
            _slots[number] = entries;
            if (!MembersAtLocked(number).SequenceEqual(members))
            {
                _membersAt[number] = members;
                membersChanged = true;
            }
        }
        if (slot.State.IsPersistent)
        {
            PutSlotRow(slot.State, number, entries);
            if (membersChanged) PutMembersRow(slot.State, number, members);
            if (!_contractPersisted && _contract is not null)
            {
                slot.State.Put(ModuleName, ContractKey, _contract.Address.Bytes.ToArray());
                _contractPersisted = true;
            }
        }
        _wake.Release();
    }

    /// <summary>The member chains at settlement slot <paramref name="slot"/>. Under <see cref="_gate"/>.</summary>
    private ulong[] MembersAtLocked(ulong slot)
    {
        var members = _initialMembers;
        foreach (var (from, ids) in _membersAt)
        {
            if (from > slot) break;
            members = ids;
        }
        return members;
    }

    private static void PutMembersRow(IModuleState state, ulong slot, ulong[]? members)
    {
        var key = new byte[MembersKeyPrefix.Length + 8];
        MembersKeyPrefix.CopyTo(key, 0);
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(MembersKeyPrefix.Length), slot);
        if (members is null)
        {
            state.Put(ModuleName, key, null);
            return;
        }
        var value = new byte[8 * members.Length];
        for (var i = 0; i < members.Length; i++) BinaryPrimitives.WriteUInt64BigEndian(value.AsSpan(8 * i), members[i]);
        state.Put(ModuleName, key, value);
    }

    private static byte[] SlotKey(ulong slot)
    {
        var key = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(key, slot);
        return key;
    }

    private static void PutSlotRow(IModuleState state, ulong slot, (ulong ChainId, ulong Number)[]? entries)
    {
        if (entries is null)
        {
            state.Put(ModuleName, SlotKey(slot), null);
            return;
        }
        var value = new byte[16 * entries.Length];
        for (var i = 0; i < entries.Length; i++)
        {
            BinaryPrimitives.WriteUInt64BigEndian(value.AsSpan(16 * i), entries[i].ChainId);
            BinaryPrimitives.WriteUInt64BigEndian(value.AsSpan(16 * i + 8), entries[i].Number);
        }
        state.Put(ModuleName, SlotKey(slot), value);
    }

    /// <summary>
    /// The cluster rolled back (after a batch was proven false): the settlement slots from the first one that sealed a discarded
    /// block on keep only the blocks that stay, renumbered without gaps (the contract's <c>nextSlot</c> went back to the rejected
    /// batch's first slot, at or before them); the re-executed blocks get the next slots. The rejection handled is stored with them.
    /// </summary>
    public void ClockMoved(ulong seconds)
    {
        var parent = _options.Parent;
        try
        {
            parent.IncreaseTime(seconds);
        }
        catch (ParentChainException e)
        {
            throw new ChainException($"the member chains moved {seconds} s forward but the parent chain {parent.ChainId} did not: {e.Message}");
        }
    }

    public void RolledBack(ClusterRollback rollback)
    {
        ArgumentNullException.ThrowIfNull(rollback);
        lock (_gate)
        {
            var first = _slots.Where(s => s.Value.Any(e => rollback.IsDiscarded(e.ChainId, e.Number))).Select(s => s.Key).FirstOrDefault();
            if (first != 0)
            {
                var kept = _slots.Where(s => s.Key >= first)
                    .Select(s => (Entries: s.Value.Where(e => !rollback.IsDiscarded(e.ChainId, e.Number)).ToArray(), Members: MembersAtLocked(s.Key)))
                    .Where(s => s.Entries.Length > 0).ToList();
                var current = MembersAtLocked(_lastSlot);
                foreach (var from in _membersAt.Keys.Where(k => k >= first).ToList())
                {
                    _membersAt.Remove(from);
                    if (rollback.State.IsPersistent) PutMembersRow(rollback.State, from, null);
                }
                foreach (var slot in _slots.Keys.Where(k => k >= first).ToList())
                {
                    _slots.Remove(slot);
                    if (rollback.State.IsPersistent) PutSlotRow(rollback.State, slot, null);
                }
                var number = first;
                foreach (var (entries, members) in kept)
                {
                    _slots[number] = entries;
                    if (rollback.State.IsPersistent) PutSlotRow(rollback.State, number, entries);
                    if (!MembersAtLocked(number).SequenceEqual(members))
                    {
                        _membersAt[number] = members;
                        if (rollback.State.IsPersistent) PutMembersRow(rollback.State, number, members);
                    }
                    number++;
                }
                // The membership now continues into the next slot.
                if (!MembersAtLocked(number).SequenceEqual(current))
                {
                    _membersAt[number] = current;
                    if (rollback.State.IsPersistent) PutMembersRow(rollback.State, number, current);
                }
                _lastSlot = number - 1;
            }
            // A restart that completed a rollback a crash interrupted: the verdict it was for comes from its request.
            if ((_handling ?? HandledBy(rollback.Request)) is { } handled)
            {
                _handledRejection = handled;
                _handling = null;
                if (rollback.State.IsPersistent) rollback.State.Put(ModuleName, RolledBackKey, SlotKey(handled));
            }
            LastRollback = rollback;
        }
    }

    /// <summary>The last batch index a rollback this module asked for covers (its request's context), or null for another asker's rollback.</summary>
    private static ulong? HandledBy(RollbackRequest request) =>
        request.Context is { } context && context.Length == RolledBackKey.Length + 8 && context.AsSpan().StartsWith(RolledBackKey)
            ? BinaryPrimitives.ReadUInt64BigEndian(context.AsSpan(RolledBackKey.Length))
            : null;

    /// <summary>The context of this module's rollback requests: <c>rolledBack</c> and the last batch index it covers.</summary>
    private static byte[] RollbackContext(ulong handled) => [.. RolledBackKey, .. SlotKey(handled)];

    /// <summary>
    /// The safety dependency: finds a batch of this node the arbiters rejected (not yet rolled back for) and asks the cluster to
    /// roll back from the disputed block. False while the rollback waits for the running slot to end (nothing may be posted).
    /// </summary>
    private bool RollBackRejected(SettlementContract contract)
    {
        if (_handling is not null) return false;
        var count = contract.BatchCount();
        for (var index = _scanFrom; index < count; index++)
        {
            var batch = contract.Batch(index);
            var settled = batch.Status == BatchStatus.Finalized
                || (batch.Status == BatchStatus.Rejected && (index <= _handledRejection || !contract.RejectedByArbiters(batch, out _)));
            if (settled)
            {
                if (index == _scanFrom) _scanFrom++;
                continue;
            }
            if (batch.Status != BatchStatus.Rejected) continue;
            var dispute = contract.Dispute(index);
            if (contract.NextSlot() > batch.FirstSlot)
            {
                // The node asserted these slots again before it saw the verdict (the window of one assertion): the new assertion
                // is judged on its own (a block still invalid is rejected again, and rolled back then).
                Console.Error.WriteLine($"settlement: batch {index} was rejected after its slots were asserted again: no rollback for it");
                lock (_gate) _handledRejection = index;
                continue;
            }
            if (DisputedBlock(batch, dispute.LeafIndex) is not { } block)
            {
                _lastError = $"batch {index} was rejected, but this node has no record of its leaf {dispute.LeafIndex}: nothing rolled back";
                Console.Error.WriteLine($"settlement: {_lastError}");
                lock (_gate) _handledRejection = index;
                continue;
            }
            var reason = $"settlement batch {index} (slots {batch.FirstSlot}..{batch.LastSlot}) was proven false: the arbiters upheld the challenge of " +
                $"chain {block.ChainId} block {block.Number} by {dispute.Challenger}";
            Console.Error.WriteLine($"settlement: {reason}; rolling the cluster back");
            // Under the cluster's lock (every member chain shares it): a rollback completed meanwhile for this verdict (a restart
            // finishing one a crash interrupted, see RolledBack) has handled it, and its re-executed blocks must stay.
            using var clusterLock = _host!.Chains[0].SyncRoot.EnterScope();
            lock (_gate)
            {
                if (index <= _handledRejection) continue;
                // The rollback re-executes everything after the disputed block: a verdict on any batch asserted so far is moot after it.
                _handling = count - 1;
            }
            try
            {
                // The verdict handled travels with the rollback's durable intent: a restart that completes it knows it too.
                return _host.RequestRollback(new RollbackRequest(block.ChainId, block.Number, reason) { Context = RollbackContext(count - 1) }) is not null;
            }
            catch (ChainException e)
            {
                // The block is not the chain's any more (an earlier rollback took it): nothing of it is left to discard.
                _lastError = $"the rollback for batch {index} was refused: {e.Message}";
                Console.Error.WriteLine($"settlement: {_lastError}");
                lock (_gate)
                {
                    _handledRejection = index;
                    _handling = null;
                }
                return true;
            }
        }
        return true;
    }

    /// <summary>The block behind leaf <paramref name="leafIndex"/> of a batch this node asserted (its slots' rows, in leaf order).</summary>
    private (ulong ChainId, ulong Number)? DisputedBlock(BatchRecord batch, uint leafIndex)
    {
        lock (_gate)
        {
            var k = 0u;
            for (var slot = batch.FirstSlot; slot <= batch.LastSlot; slot++)
            {
                if (!_slots.TryGetValue(slot, out var entries)) return null;
                foreach (var entry in entries)
                    if (k++ == leafIndex) return entry;
            }
            return null;
        }
    }

    /// <summary>
    /// Posts every full batch from the contract's <c>nextSlot</c> on (with <paramref name="flush"/>, also a last partial one),
    /// then finalises what is due. Returns the batches posted. Safe to call from any thread but not under the cluster's lock.
    /// </summary>
    /// <exception cref="ParentChainException">the parent refused an assertion.</exception>
    public int PostPending(bool flush = false)
    {
        var contract = Contract;
        lock (_postGate)
        {
            var posted = 0;
            while (true)
            {
                // Before every assertion: a verdict against an earlier batch is acted on before anything more is posted.
                if (!RollBackRejected(contract)) break;
                var next = contract.NextSlot();
                ulong[] slots;
                lock (_gate) slots = [.. _slots.Keys.Where(s => s >= next).Take(_options.SlotsPerBatch)];
                if (slots.Length == 0 || (slots.Length < _options.SlotsPerBatch && !flush)) break;
                if (slots[0] != next) throw new InvalidOperationException($"settlement slot {next} is not recorded by this node (its first recorded slot from there is {slots[0]})");
                // Too much data for one transaction: fewer slots (the rest go in the next batch).
                while (!PostBatch(contract, slots))
                {
                    if (slots.Length == 1)
                        throw new InvalidOperationException($"settlement slot {slots[0]} alone has more than {_options.MaxBatchBytes} bytes of batch data");
                    slots = slots[..(slots.Length / 2)];
                }
                posted++;
            }
            FinalizeDue(contract);
            return posted;
        }
    }

    /// <summary>Finalises, in order, every batch whose challenge window passed unchallenged.</summary>
    public int FinalizeDue(SettlementContract contract)
    {
        ArgumentNullException.ThrowIfNull(contract);
        var finalized = 0;
        var count = contract.BatchCount();
        var now = contract.Parent.LatestTimestamp();
        var window = contract.ChallengeWindow();
        for (var index = contract.FinalizedCount(); index < count; index++)
        {
            var batch = contract.Batch(index);
            if (batch.Status == BatchStatus.Rejected) continue;
            if (batch.Status != BatchStatus.Pending || now < batch.AssertedAt + window) break;
            contract.Finalize(_options.Poster, index);
            finalized++;
        }
        return finalized;
    }

    public void RegisterRpcMethods(RpcMethodRegistry registry)
    {
        ArgumentNullException.ThrowIfNull(registry);
        registry.Add("settlement_status", (ref ParamReader p, Utf8JsonWriter w) =>
        {
            p.End();
            WriteStatus(w);
        });
        registry.Add("settlement_getBatch", (ref ParamReader p, Utf8JsonWriter w) =>
        {
            var index = p.ReadFlexibleUInt64("index");
            p.End();
            var contract = Contract;
            try
            {
                if (index >= contract.BatchCount()) throw RpcException.InvalidParams($"no batch {index}: {contract.BatchCount()} asserted");
                WriteBatch(w, contract.Batch(index));
            }
            catch (ParentChainException e)
            {
                throw RpcException.ServerError("the parent chain did not answer: " + e.Message);
            }
        });
    }

    public void Dispose()
    {
        _stopping = true;
        _wake.Release();
        _thread?.Join(TimeSpan.FromSeconds(5));
        _wake.Dispose();
    }

    /// <summary>Asserts <paramref name="slots"/>; false (nothing sent) when their data exceeds <see cref="SettlementOptions.MaxBatchBytes"/>.</summary>
    private bool PostBatch(SettlementContract contract, ulong[] slots)
    {
        var host = _host!;
        var blocks = new List<BatchBlock>();
        var leaves = new List<Hash256>();
        var messages = new List<Hash256>();
        var faulty = false;
        var transactions = 0;
        // The stores are read under the cluster's lock (a slot may be committing); the parent is called outside it.
        lock (host.Chains[0].SyncRoot)
        {
            foreach (var slot in slots)
            {
                (ulong ChainId, ulong Number)[] entries;
                lock (_gate) entries = _slots[slot];
                foreach (var (chainId, number) in entries)
                {
                    var chain = _chainsSeen.GetValueOrDefault(chainId)
                        ?? throw new InvalidOperationException($"settlement slot {slot} sealed a block on chain {chainId}, which this node never had");
                    var block = chain.Store.GetBlock(number) ?? throw new InvalidOperationException($"chain {chainId} has no block {number}");
                    var receipts = chain.Store.GetReceipts(block.Hash).Select(r => r.Receipt).ToList();
                    MessageLeaves.Add(messages, chainId, number, receipts, block.ClusterSection);
                    if (_faultPending && !faulty && slot >= _options.FaultSlot)
                    {
                        block = WithWrongStateRoot(block);
                        faulty = true;
                    }
                    transactions += block.Transactions.Count;
                    blocks.Add(new BatchBlock(slot, chainId, block));
                    leaves.Add(BlockLeaf.Of(slot, chainId, block.Header).Hash);
                }
            }
        }
        ulong[] covered;
        byte[] joined;
        lock (_gate)
        {
            // The batch covers the members at its last slot; the chains that joined since the previous batch bring their genesis.
            covered = MembersAtLocked(slots[^1]);
            var before = slots[0] == 1 ? _initialMembers : MembersAtLocked(slots[0] - 1);
            ulong[] joining = [.. slots.SelectMany(MembersAtLocked).Concat(blocks.Select(b => b.ChainId)).Distinct().Where(id => !before.Contains(id)).Order()];
            joined = joining.Length == 0 ? [] : GenesisCodec.Encode([.. joining.Select(id => _joinedSpecs.GetValueOrDefault(id)
                ?? throw new InvalidOperationException($"chain {id} joined the cluster but this node has no record of its genesis"))]);
        }
        var data = BatchCodec.Encode(slots[0], slots[^1], slots[0] == 1 ? _genesis : [], blocks, covered, joined);
        if (data.Length + 32 * leaves.Count > _options.MaxBatchBytes) return false;
        var index = contract.BatchCount();
        var receipt = contract.AssertBatch(_options.Poster, slots[0], slots[^1], leaves, SettlementMerkle.Root(messages), data, contract.AssertionBond());
        if (!receipt.Success) throw new ParentChainException($"the assertion of slots {slots[0]}..{slots[^1]} failed in transaction {receipt.TransactionHash}");
        if (faulty) _faultPending = false;
        var posted = new PostedBatch(index, slots[0], slots[^1], blocks.Count, transactions, data.Length, receipt.GasUsed, receipt.TransactionHash, faulty);
        lock (_gate) _posted.Add(posted);
        BatchPosted?.Invoke(posted);
        return true;
    }

    /// <summary>The fault: the block as asserted claims another state root (so another hash).</summary>
    private static Block WithWrongStateRoot(Block block)
    {
        var h = block.Header;
        var wrong = new BlockHeader
        {
            ParentHash = h.ParentHash, OmmersHash = h.OmmersHash, Coinbase = h.Coinbase, StateRoot = Keccak256.Compute(h.StateRoot.Bytes),
            TransactionsRoot = h.TransactionsRoot, ReceiptsRoot = h.ReceiptsRoot, LogsBloom = h.LogsBloom, Difficulty = h.Difficulty, Number = h.Number,
            GasLimit = h.GasLimit, GasUsed = h.GasUsed, Timestamp = h.Timestamp, ExtraData = h.ExtraData, PrevRandao = h.PrevRandao, Nonce = h.Nonce,
            BaseFeePerGas = h.BaseFeePerGas, WithdrawalsRoot = h.WithdrawalsRoot, BlobGasUsed = h.BlobGasUsed, ExcessBlobGas = h.ExcessBlobGas,
            ParentBeaconBlockRoot = h.ParentBeaconBlockRoot,
        };
        return new Block(wrong, block.Transactions, block.Withdrawals, block.ClusterSection);
    }

    private void PostLoop()
    {
        while (!_stopping)
        {
            _wake.Wait(_options.PollInterval);
            if (_stopping) return;
            try
            {
                PostPending();
                _lastError = null;
            }
            catch (Exception e) when (e is ParentChainException or InvalidOperationException or AbiException)
            {
                _lastError = e.Message;
                Console.Error.WriteLine($"settlement: {e.Message}");
            }
        }
    }

    private void WriteStatus(Utf8JsonWriter w)
    {
        var contract = Contract;
        w.WriteStartObject();
        w.WriteAddress(ContractName, contract.Address);
        w.WriteQuantity(JsonEncodedText.Encode("parentChainId"), contract.Parent.ChainId);
        w.WriteHash(JsonEncodedText.Encode("genesisCommitment"), GenesisCommitment);
        w.WriteQuantity(JsonEncodedText.Encode("lastSlot"), LastSlot);
        w.WriteNumber("slotsPerBatch", _options.SlotsPerBatch);
        try
        {
            w.WriteQuantity(JsonEncodedText.Encode("nextSlot"), contract.NextSlot());
            w.WriteQuantity(JsonEncodedText.Encode("batchCount"), contract.BatchCount());
            w.WriteQuantity(JsonEncodedText.Encode("finalizedCount"), contract.FinalizedCount());
        }
        catch (ParentChainException e)
        {
            w.WriteString("parentError", e.Message);
        }
        w.WriteStartArray("posted");
        foreach (var p in Posted.TakeLast(16))
        {
            w.WriteStartObject();
            w.WriteQuantity(JsonEncodedText.Encode("index"), p.Index);
            w.WriteQuantity(JsonEncodedText.Encode("firstSlot"), p.FirstSlot);
            w.WriteQuantity(JsonEncodedText.Encode("lastSlot"), p.LastSlot);
            w.WriteNumber("blocks", p.Blocks);
            w.WriteNumber("transactions", p.Transactions);
            w.WriteNumber("dataBytes", p.DataBytes);
            w.WriteQuantity(JsonEncodedText.Encode("gasUsed"), p.GasUsed);
            w.WriteHash(JsonEncodedText.Encode("transaction"), p.Transaction);
            w.WriteBoolean("faulty", p.Faulty);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        if (_lastError is { } error) w.WriteString("lastError", error);
        else w.WriteNull("lastError");
        w.WriteEndObject();
    }

    internal static void WriteBatch(Utf8JsonWriter w, BatchRecord b)
    {
        w.WriteStartObject();
        w.WriteQuantity(JsonEncodedText.Encode("index"), b.Index);
        w.WriteQuantity(JsonEncodedText.Encode("firstSlot"), b.FirstSlot);
        w.WriteQuantity(JsonEncodedText.Encode("lastSlot"), b.LastSlot);
        w.WriteQuantity(JsonEncodedText.Encode("assertedAt"), b.AssertedAt);
        w.WriteQuantity(JsonEncodedText.Encode("blockCount"), b.BlockCount);
        w.WriteString("status", b.Status.ToString().ToLowerInvariant());
        w.WriteAddress(JsonEncodedText.Encode("asserter"), b.Asserter);
        w.WriteHash(JsonEncodedText.Encode("blocksRoot"), b.BlocksRoot);
        w.WriteHash(JsonEncodedText.Encode("messageRoot"), b.MessageRoot);
        w.WriteHash(JsonEncodedText.Encode("dataHash"), b.DataHash);
        w.WriteEndObject();
    }
}
