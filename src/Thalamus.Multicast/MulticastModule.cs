using System.Buffers.Binary;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Modules;
using Thalamus.Rpc;

namespace Thalamus.Multicast;

/// <summary>
/// Cross-chain multicast on the module seam. The node hosts every chain, so this module follows the
/// registry's and the Multicaster's events of every sealed block and, with its own system transactions
/// (signed by <see cref="MulticastPredeploys.Account"/>):
/// <list type="bullet">
/// <item>replicates every registry op to every other chain (<c>replicate</c>, in nonce order per origin, exactly once by <c>appliedOps</c>);</item>
/// <item>fans each publish out on every subscriber chain (<c>deliver</c> batches that fit the module's gas share, continuing in the
/// next blocks; a per-channel cursor on each chain refuses any batch that is not the next one, so nothing is delivered twice or skipped).</item>
/// </list>
/// Its rows (publishes, pending ops, a checkpoint) commit with the slot's blocks; after a restart it reads
/// them back and takes the cursors and replication marks from the chains' state.
/// </summary>
public sealed class MulticastModule : ISystemTransactionSource
{
    public const string ModuleName = "multicast";

    /// <summary>Gas of a deliver() transaction besides its deliveries (intrinsic, cursor, report to the home chain), plus 20 per message byte.</summary>
    public const ulong DeliverBaseGas = 160_000;

    /// <summary>Gas a deliver() transaction reserves per subscriber besides the channel's gasPerDelivery (call, failure record, calldata).</summary>
    public const ulong DeliverPerSubscriberGas = 46_000;

    public const ulong ReportBaseGas = 50_000;
    public const ulong ReportPerEntryGas = 70_000;
    public const int MaxReportsPerTransaction = 100;
    public const ulong ReplicateBaseGas = 60_000;
    public const ulong ReplicatePerOpGas = 130_000;
    public const int MaxOpsPerTransaction = 64;
    private const int SubscriptionPage = 400;

    private static readonly byte[] CheckpointKey = "c"u8.ToArray();

    private IClusterHost? _host;
    private readonly Dictionary<ulong, SortedDictionary<ulong, byte[]>> _ops = [];
    private readonly Dictionary<(ulong Chain, ulong Origin), ulong> _applied = [];
    private readonly Dictionary<Hash256, PublishRecord> _publishes = [];
    private readonly Dictionary<ulong, List<PublishRecord>> _queues = [];
    private readonly Dictionary<Hash256, (ulong Chain, PublishRecord? Publish, int Count)> _inFlight = [];
    private readonly Dictionary<ulong, int> _batchCap = [];
    private readonly Dictionary<Hash256, uint> _gasPerDelivery = [];
    private readonly Dictionary<(ulong Chain, Hash256 Channel), ulong> _measured = [];
    private readonly HashSet<Hash256> _changed = [];
    private readonly HashSet<PublishRecord> _toReport = [];
    private readonly HashSet<Hash256> _created = [];
    private readonly HashSet<(ulong Origin, ulong Nonce)> _newOps = [];
    private ulong _order;

    /// <param name="sizeByMeasuredGas">Size delivery batches by the gas the channel's last batch on the chain measured per
    /// delivery (the default); false reserves the worst case for every subscriber (the peer the benchmark compares with).</param>
    /// <param name="feeOwner">The account that may withdraw the publish fees each chain's Multicaster collects (written in
    /// genesis); null: none, the fees stay where they are.</param>
    public MulticastModule(bool sizeByMeasuredGas = true, Address? feeOwner = null)
    {
        SizeByMeasuredGas = sizeByMeasuredGas;
        FeeOwner = feeOwner;
    }

    /// <summary>The account that withdraws collected publish fees, if any.</summary>
    public Address? FeeOwner { get; }

    public string Name => ModuleName;

    /// <summary>Whether batches are sized by measured gas (see the constructor).</summary>
    public bool SizeByMeasuredGas { get; }

    /// <summary>The gas per delivery last measured for <paramref name="channel"/>'s batches on <paramref name="chainId"/>, if any.</summary>
    public ulong? MeasuredGasPerDelivery(ulong chainId, Hash256 channel) => _measured.TryGetValue((chainId, channel), out var gas) ? gas : null;

    /// <summary>True when the module read a checkpoint at start.</summary>
    public bool ResumedFromCheckpoint { get; private set; }

    /// <summary>The publishes the module knows, by id.</summary>
    public PublishRecord? Find(Hash256 id) => _publishes.GetValueOrDefault(id);

    public IEnumerable<KeyValuePair<Address, GenesisAccount>> GenesisAllocations(ulong chainId, ulong genesisTimestamp) => MulticastPredeploys.GenesisAllocations(FeeOwner);

    public IEnumerable<KeyValuePair<string, Address>> NamedPredeploys => MulticastPredeploys.Named();

    public void Attach(IClusterHost host)
    {
        _host = host;
        foreach (var (key, value) in host.ReadState(ModuleName))
        {
            if (key.AsSpan().SequenceEqual(CheckpointKey)) ResumedFromCheckpoint = true;
            else if (key[0] == (byte)'o') Ops(BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(1)))[BinaryPrimitives.ReadUInt64BigEndian(key.AsSpan(9))] = value;
            else if (key[0] == (byte)'p') Add(MulticastRows.DecodePublish(value));
            else if (key[0] == (byte)'s' && _publishes.TryGetValue(new Hash256(key.AsSpan(1)), out var record)) MulticastRows.DecodeStatus(value, record);
        }
        Resync(host);
    }

    /// <summary>
    /// The chains' state is the truth: how far each chain applied each origin's pending ops, where each unfinished publish's
    /// cursor stands on each chain; then the delivery queues and what the home chains have still to be told. Run at start
    /// (after the rows were read) and after a rollback (after the index was brought in line with the kept blocks).
    /// </summary>
    private void Resync(IClusterHost host)
    {
        _order = _publishes.Values.Select(p => p.Order).DefaultIfEmpty(0UL).Max();
        _queues.Clear();
        _toReport.Clear();
        foreach (var chain in host.Chains)
        {
            foreach (var origin in _ops.Keys)
            {
                if (origin == chain.ChainId) continue;
                if (AppliedOps(chain, origin) is { } applied) _applied[(chain.ChainId, origin)] = applied;
            }
        }
        foreach (var record in _publishes.Values.OrderBy(p => p.Order))
        {
            if (record.CompletedAtMs is not null) continue;
            foreach (var chainId in record.PerChain.Keys)
            {
                var chain = host.Chains.FirstOrDefault(c => c.ChainId == chainId);
                if (chain is null) continue;
                var result = chain.Call(new CallRequest { To = MulticastPredeploys.Multicaster, Data = MulticastAbi.EncodeCursorOf(record.Channel) }, BlockSelector.Latest);
                if (!result.Success) continue;
                var (seq, next, _) = MulticastAbi.DecodeCursor(result.ReturnData);
                record.On(chainId).Next = seq > record.Seq ? record.PerChain[chainId].Length : seq == record.Seq ? (int)next : 0;
            }
            Enqueue(record);
        }
        foreach (var record in _publishes.Values)
            if (!record.IsReported) _toReport.Add(record);
    }

    private static ulong? AppliedOps(MemberChain chain, ulong origin)
    {
        var result = chain.Call(new CallRequest { To = MulticastPredeploys.Registry, Data = MulticastAbi.EncodeAppliedOps(origin) }, BlockSelector.Latest);
        return result.Success ? new AbiReader(result.ReturnData).UInt64(0) : null;
    }

    public bool HasPendingWork(MemberChain chain)
    {
        var id = chain.ChainId;
        foreach (var (origin, ops) in _ops)
            if (origin != id && ops.Count > 0 && ops.Keys.Max() > _applied.GetValueOrDefault((id, origin))) return true;
        if (_queues.TryGetValue(id, out var queue))
            foreach (var record in queue)
                if (record.RemainingOn(id) > 0) return true;
        foreach (var record in _toReport)
            if (record.HomeChainId == id) return true;
        return false;
    }

    public IReadOnlyList<PooledTransaction> ProposeSystemTransactions(SystemTransactionRequest request)
    {
        var chain = request.Chain;
        var id = chain.ChainId;
        var budget = request.GasBudget;
        List<PooledTransaction>? proposed = null;
        ulong nonce = 0;
        PooledTransaction Sign(Address to, byte[] data, ulong gas)
        {
            if (proposed is null)
            {
                proposed = [];
                nonce = MulticastPredeploys.Account.NonceOn(chain);
            }
            var tx = MulticastPredeploys.Account.Sign(id, nonce++, to, data, gas, request.BaseFee);
            proposed.Add(tx);
            budget -= gas;
            return tx;
        }

        // Registry ops first: a delivery never runs ahead of the subscriptions it names.
        foreach (var (origin, ops) in _ops)
        {
            if (origin == id) continue;
            var applied = _applied.GetValueOrDefault((id, origin));
            var batch = new List<byte[]>();
            foreach (var (opNonce, op) in ops)
            {
                if (opNonce <= applied) continue;
                if (opNonce != applied + 1 + (ulong)batch.Count) break;
                if (batch.Count == MaxOpsPerTransaction || ReplicateBaseGas + ReplicatePerOpGas * (ulong)(batch.Count + 1) > budget) break;
                batch.Add(op);
            }
            if (batch.Count == 0) continue;
            var tx = Sign(MulticastPredeploys.Registry, MulticastAbi.EncodeReplicate(origin, applied + 1, batch), ReplicateBaseGas + ReplicatePerOpGas * (ulong)batch.Count);
            _inFlight[tx.Hash] = (id, null, batch.Count);
        }

        // The home chain's aggregates: each chain's cumulative outcome (idempotent), one block behind the deliveries.
        var reports = new List<AbiValue>();
        foreach (var record in _toReport)
        {
            if (record.HomeChainId != id) continue;
            foreach (var (other, progress) in record.Progress)
            {
                if (progress.IsReported) continue;
                if (reports.Count == MaxReportsPerTransaction || ReportBaseGas + ReportPerEntryGas * (ulong)(reports.Count + 1) > budget) break;
                reports.Add(AbiValue.Tuple(record.Id, other, (ulong)progress.Delivered, (ulong)progress.Failed, (ulong)progress.Acks));
            }
        }
        if (reports.Count > 0)
        {
            var tx = Sign(MulticastPredeploys.Multicaster, MulticastAbi.EncodeRecordResults(reports), ReportBaseGas + ReportPerEntryGas * (ulong)reports.Count);
            _inFlight[tx.Hash] = (id, null, reports.Count);
        }

        if (_queues.TryGetValue(id, out var queue))
        {
            var started = new HashSet<Hash256>();
            foreach (var record in queue)
            {
                // Publish order per channel: a later publish waits for the earlier one on this chain.
                if (!started.Add(record.Channel)) continue;
                var remaining = record.RemainingOn(id);
                if (remaining == 0) continue;
                // The last subscriber of a batch gets the worst case reserved (its full gasPerDelivery, a failure record);
                // the others what a delivery of this channel measured on this chain. A batch whose deliveries cost more
                // stops early on chain (the cursor after the last one delivered) and the rest goes in the next block.
                var worst = PerSubscriberGas(record);
                var estimate = SizeByMeasuredGas && _measured.TryGetValue((id, record.Channel), out var measured) ? Math.Min(measured, worst) : worst;
                var baseGas = DeliverBaseGas + 20 * (ulong)record.Message.Length;
                if (budget < baseGas + worst) break;
                var count = (int)Math.Min((ulong)remaining, 1 + (budget - baseGas - worst) / estimate);
                count = Math.Min(count, _batchCap.GetValueOrDefault(id, int.MaxValue));
                var subs = record.PerChain[id];
                var start = record.NextOn(id);
                var data = MulticastAbi.EncodeDeliver(record.Channel, record.Seq, record.HomeChainId, record.Publisher, start, subs.Length,
                    subs.AsSpan(start, count), record.Message);
                var tx = Sign(MulticastPredeploys.Multicaster, data, baseGas + worst + estimate * (ulong)(count - 1));
                _inFlight[tx.Hash] = (id, record, count);
            }
        }
        return (IReadOnlyList<PooledTransaction>?)proposed ?? [];
    }

    public void BlockSealed(SealedBlock block)
    {
        var chainId = block.Chain.ChainId;
        foreach (var receipt in block.Built.Receipts)
        {
            if (_inFlight.Remove(receipt.TransactionHash, out var flight) && flight.Publish is { } publish)
            {
                // A batch that reverted (its gas did not cover its first subscriber): smaller batches on this chain.
                if (!receipt.Success) _batchCap[chainId] = Math.Max(1, flight.Count / 2);
                else Measure(chainId, publish, receipt);
            }
            foreach (var log in receipt.Logs) Apply(block.Chain, block.Built.Block.Number, block.Slot, log);
        }
        foreach (var log in block.SectionLogs) Apply(block.Chain, block.Built.Block.Number, block.Slot, log);
        foreach (var hash in _inFlight.Where(f => f.Value.Chain == chainId).Select(f => f.Key).ToList()) _inFlight.Remove(hash);
    }

    public void BlockFailed(MemberChain chain)
    {
        foreach (var hash in _inFlight.Where(f => f.Value.Chain == chain.ChainId).Select(f => f.Key).ToList()) _inFlight.Remove(hash);
    }

    public void SlotCommitted(CommittedSlot slot)
    {
        var state = slot.State;
        if (!state.IsPersistent)
        {
            _changed.Clear();
            _created.Clear();
            _newOps.Clear();
            PruneOps(null);
            return;
        }
        foreach (var id in _created)
            if (_publishes.TryGetValue(id, out var record)) state.Put(ModuleName, Key('p', id), MulticastRows.EncodePublish(record));
        foreach (var id in _changed)
            if (_publishes.TryGetValue(id, out var record)) state.Put(ModuleName, Key('s', id), MulticastRows.EncodeStatus(record));
        foreach (var (origin, nonce) in _newOps)
            if (_ops.TryGetValue(origin, out var ops) && ops.TryGetValue(nonce, out var op)) state.Put(ModuleName, OpKey(origin, nonce), op);
        _created.Clear();
        _changed.Clear();
        _newOps.Clear();
        PruneOps(state);
        var checkpoint = new byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(checkpoint, slot.Slot);
        state.Put(ModuleName, CheckpointKey, checkpoint);
    }

    /// <summary>
    /// Member chains were rolled back. The index is brought to what the kept blocks say, from them and the stored rows (not
    /// from memory of a run a crash ended, see <see cref="ClusterRollback.Resumed"/>): a publish whose publishing block is
    /// gone is forgotten (its deliveries went with it, <see cref="FirstTaintedBlock"/>); each rolled-back chain's outcomes
    /// (deliveries, failures, retries, acks, and as home chain what it was told) are counted again from its kept blocks'
    /// events, with the same code that follows a sealed block; the pending registry ops are read again from the origins'
    /// kept blocks down to what every other chain applied. Then, as at start, the chains' cursors and replication marks
    /// decide what is proposed again: a deliver, replicate or recordResults of a discarded block is proposed once more,
    /// and the contracts' cursors and <c>appliedOps</c> refuse anything twice. The rows are rewritten with the rollback.
    /// </summary>
    public void RolledBack(ClusterRollback rollback)
    {
        var host = Host;
        _inFlight.Clear();
        _gasPerDelivery.Clear();
        var removed = _publishes.Values.Where(p => rollback.IsDiscarded(p.HomeChainId, p.PublishedBlock)).Select(p => p.Id).ToList();
        foreach (var id in removed) _publishes.Remove(id);

        foreach (var discarded in rollback.Discarded)
        {
            if (host.Chains.FirstOrDefault(c => c.ChainId == discarded.ChainId) is not { } chain) continue;
            var chainId = chain.ChainId;
            var completed = new Dictionary<Hash256, (long AtMs, ulong? Slot)>();
            foreach (var record in _publishes.Values)
            {
                var touched = false;
                if (record.Progress.TryGetValue(chainId, out var progress))
                {
                    // What the home chain was told stays (its blocks say it), unless the home chain is this one.
                    record.Progress[chainId] = new ChainProgress { Reported = progress.Reported };
                    touched = true;
                }
                if (record.Failures.RemoveAll(f => f.ChainId == chainId) > 0) touched = true;
                if (record.HomeChainId == chainId)
                    foreach (var other in record.Progress.Values) other.Reported = default;
                if (touched && record.CompletedAtMs is { } atMs)
                {
                    completed[record.Id] = (atMs, record.CompletedSlot);
                    record.CompletedAtMs = null;
                    record.CompletedSlot = null;
                }
            }
            if (chain.Head.Number > 0)
            {
                foreach (var log in chain.GetLogs(new LogFilter { FromBlock = 1, ToBlock = chain.Head.Number, Addresses = [MulticastPredeploys.Multicaster] }))
                    if (log.Topics.Count > 0 && log.Topics[0] != MulticastAbi.Published) Apply(chain, log.BlockNumber, 0, log);
            }
            // A publish complete before and after was completed by a kept block: its time stays.
            foreach (var (id, (atMs, slot)) in completed)
                if (_publishes.TryGetValue(id, out var record) && record.IsComplete)
                    (record.CompletedAtMs, record.CompletedSlot) = (atMs, slot);
        }

        // Registry ops: every origin's ops from its kept blocks that some other chain has not applied (a chain rolled back may
        // need ops again that every chain had applied before, and ops a discarded block made are gone).
        _ops.Clear();
        _applied.Clear();
        foreach (var origin in host.Chains)
        {
            if (origin.Head.Number == 0) continue;
            var logs = origin.GetLogs(new LogFilter { FromBlock = 1, ToBlock = origin.Head.Number, Addresses = [MulticastPredeploys.Registry] })
                .Where(l => l.Topics.Count == 2 && l.Topics[0] == MulticastAbi.RegistryOp).ToList();
            if (logs.Count == 0) continue;
            var everywhere = ulong.MaxValue;
            foreach (var chain in host.Chains)
            {
                if (chain.ChainId == origin.ChainId) continue;
                var applied = AppliedOps(chain, origin.ChainId) ?? 0;
                _applied[(chain.ChainId, origin.ChainId)] = applied;
                everywhere = Math.Min(everywhere, applied);
            }
            foreach (var log in logs)
            {
                var nonce = (ulong)log.Topics[1].ToUInt256();
                if (nonce > everywhere) Ops(origin.ChainId)[nonce] = new AbiReader(log.Data).Bytes(0);
            }
        }
        Resync(host);
        // Every row is written below (or, in memory, none is kept).
        _created.Clear();
        _changed.Clear();
        _newOps.Clear();

        if (!rollback.State.IsPersistent) return;
        var kept = new HashSet<string>(StringComparer.Ordinal);
        foreach (var record in _publishes.Values)
        {
            kept.Add(Convert.ToHexString(Key('p', record.Id)));
            var status = Key('s', record.Id);
            kept.Add(Convert.ToHexString(status));
            rollback.State.Put(ModuleName, status, MulticastRows.EncodeStatus(record));
        }
        foreach (var (origin, ops) in _ops)
        {
            foreach (var (nonce, op) in ops)
            {
                var key = OpKey(origin, nonce);
                kept.Add(Convert.ToHexString(key));
                rollback.State.Put(ModuleName, key, op);
            }
        }
        foreach (var (key, _) in host.ReadState(ModuleName))
            if (!key.AsSpan().SequenceEqual(CheckpointKey) && !kept.Contains(Convert.ToHexString(key))) rollback.State.Put(ModuleName, key, null);
    }

    /// <summary>
    /// What the module carried from <paramref name="sourceChainId"/>'s blocks from <paramref name="sourceFrom"/> on to
    /// <paramref name="chain"/> with its own transactions: the first of the consumer's blocks that applied a registry
    /// op those blocks made (<c>replicate</c>) or delivered a publish they made (<c>deliver</c>). Reports to the home chain are
    /// not counted: they are cumulative and are sent again from the rebuilt counts.
    /// </summary>
    public (ulong Number, string Why)? FirstTaintedBlock(MemberChain chain, ulong sourceChainId, ulong sourceFrom)
    {
        if (_host is not { } host) return null;
        var source = host.Chains.FirstOrDefault(c => c.ChainId == sourceChainId);
        var consumer = chain;
        if (source is null || consumer is null || sourceFrom > source.Head.Number || consumer.Head.Number == 0) return null;
        var published = new HashSet<Hash256>();
        ulong? firstOp = null;
        foreach (var log in source.GetLogs(new LogFilter { FromBlock = sourceFrom, ToBlock = source.Head.Number, Addresses = [MulticastPredeploys.Registry, MulticastPredeploys.Multicaster] }))
        {
            if (log.Topics.Count < 2) continue;
            if (log.Address == MulticastPredeploys.Registry && log.Topics[0] == MulticastAbi.RegistryOp)
                firstOp = Math.Min(firstOp ?? ulong.MaxValue, (ulong)log.Topics[1].ToUInt256());
            else if (log.Address == MulticastPredeploys.Multicaster && log.Topics[0] == MulticastAbi.Published)
                published.Add(log.Topics[1]);
        }
        if (firstOp is null && published.Count == 0) return null;
        foreach (var log in consumer.GetLogs(new LogFilter { FromBlock = 1, ToBlock = consumer.Head.Number, Addresses = [MulticastPredeploys.Registry, MulticastPredeploys.Multicaster] }))
        {
            if (log.Topics.Count < 2) continue;
            if (firstOp is { } op && log.Address == MulticastPredeploys.Registry && log.Topics[0] == MulticastAbi.Replicated &&
                (ulong)log.Topics[1].ToUInt256() == sourceChainId && new AbiReader(log.Data).UInt64(0) >= op)
                return (log.BlockNumber, $"applied multicast registry op {op} made by chain {sourceChainId} at or after its block {sourceFrom}");
            if (log.Address == MulticastPredeploys.Multicaster && log.Topics[0] == MulticastAbi.BatchDelivered && published.Contains(log.Topics[1]))
                return (log.BlockNumber, $"delivered multicast publish {log.Topics[1]} made by chain {sourceChainId} at or after its block {sourceFrom}");
        }
        return null;
    }

    public void RegisterRpcMethods(RpcMethodRegistry registry) => MulticastRpcMethods.Register(registry, this);

    internal IClusterHost Host => _host ?? throw RpcException.ServerError("the multicast module is not attached to a cluster");

    /// <summary>
    /// Gas per delivery of a batch that went through: what it used beyond the intrinsic 21,000 and the message's calldata,
    /// over the subscribers it reached (from its BatchDelivered). The batch's fixed work (cursor, event) is spread over its
    /// deliveries, so the figure errs high on small batches and converges as batches grow.
    /// </summary>
    private void Measure(ulong chainId, PublishRecord publish, TransactionReceipt receipt)
    {
        foreach (var log in receipt.Logs)
        {
            if (log.Address != MulticastPredeploys.Multicaster || log.Topics.Count == 0 || log.Topics[0] != MulticastAbi.BatchDelivered) continue;
            var count = new AbiReader(log.Data).UInt64(2);
            if (count == 0) return;
            var shared = 21_000 + 16 * (ulong)publish.Message.Length;
            var used = receipt.GasUsed > shared ? receipt.GasUsed - shared : receipt.GasUsed;
            _measured[(chainId, publish.Channel)] = Math.Max(1, (used + count - 1) / count);
            return;
        }
    }

    /// <summary>The gas a batch reserves per subscriber of <paramref name="record"/>'s channel (the worst case).</summary>
    private ulong PerSubscriberGas(PublishRecord record)
    {
        var gas = (ulong)GasPerDelivery(record.Channel, record.HomeChainId);
        return gas + gas / 63 + DeliverPerSubscriberGas;
    }

    private uint GasPerDelivery(Hash256 channel, ulong home)
    {
        if (_gasPerDelivery.TryGetValue(channel, out var gas)) return gas;
        var chain = _host!.Chains.FirstOrDefault(c => c.ChainId == home) ?? _host.Chains[0];
        var result = chain.Call(new CallRequest { To = MulticastPredeploys.Registry, Data = MulticastAbi.EncodeGetChannel(channel) }, BlockSelector.Latest);
        gas = result.Success ? MulticastAbi.DecodeChannel(channel, result.ReturnData).GasPerDelivery : 500_000;
        return _gasPerDelivery[channel] = gas;
    }

    private void Apply(MemberChain chain, ulong blockNumber, ulong slot, LogRecord log)
    {
        if (log.Topics.Count == 0) return;
        var chainId = chain.ChainId;
        var topic = log.Topics[0];
        if (log.Address == MulticastPredeploys.Registry)
        {
            if (topic == MulticastAbi.RegistryOp && log.Topics.Count == 2)
            {
                var nonce = (ulong)log.Topics[1].ToUInt256();
                Ops(chainId)[nonce] = new AbiReader(log.Data).Bytes(0);
                _newOps.Add((chainId, nonce));
            }
            else if (topic == MulticastAbi.Replicated && log.Topics.Count == 2)
            {
                var origin = (ulong)log.Topics[1].ToUInt256();
                var last = new AbiReader(log.Data).UInt64(0);
                _applied[(chainId, origin)] = Math.Max(_applied.GetValueOrDefault((chainId, origin)), last);
            }
            return;
        }
        if (log.Address != MulticastPredeploys.Multicaster || log.Topics.Count < 2) return;
        var id = log.Topics[1];
        if (topic == MulticastAbi.Published && log.Topics.Count == 3)
        {
            var data = new AbiReader(log.Data);
            var record = new PublishRecord
            {
                Id = id,
                Channel = log.Topics[2],
                Seq = data.UInt64(0),
                Publisher = data.Address(1),
                Total = (uint)data.UInt64(2),
                Message = data.Bytes(3),
                HomeChainId = chainId,
                PublishedBlock = blockNumber,
                PublishedAtMs = _host!.Time.GetUtcNow().ToUnixTimeMilliseconds(),
                PublishedSlot = slot,
                Order = ++_order,
                PerChain = Snapshot(chain, log.Topics[2], (uint)data.UInt64(2)),
            };
            if (record.IsComplete) Complete(record, slot);
            Add(record);
            Enqueue(record);
            _created.Add(id);
            _changed.Add(id);
        }
        else if (topic == MulticastAbi.BatchDelivered && _publishes.TryGetValue(id, out var delivered))
        {
            var data = new AbiReader(log.Data);
            var start = (int)data.UInt64(1);
            var count = (int)data.UInt64(2);
            var failures = (uint)data.UInt64(3);
            var progress = delivered.On(chainId);
            progress.Next = Math.Max(progress.Next, start + count);
            progress.Delivered += (uint)count - failures;
            progress.Failed += failures;
            progress.LastDeliveryBlock = blockNumber;
            if (delivered.RemainingOn(chainId) == 0 && _queues.TryGetValue(chainId, out var queue)) queue.Remove(delivered);
            if (delivered.CompletedAtMs is null && delivered.IsComplete) Complete(delivered, slot);
            Changed(delivered);
        }
        else if (topic == MulticastAbi.Acknowledged && _publishes.TryGetValue(id, out var acked))
        {
            acked.On(chainId).Acks++;
            Changed(acked);
        }
        else if (topic == MulticastAbi.ResultsRecorded && log.Topics.Count == 3 && _publishes.TryGetValue(id, out var recorded))
        {
            var data = new AbiReader(log.Data);
            var progress = recorded.On((ulong)log.Topics[2].ToUInt256());
            progress.Reported = ((uint)data.UInt64(0), (uint)data.UInt64(1), (uint)data.UInt64(2));
            if (recorded.IsReported) _toReport.Remove(recorded);
            _changed.Add(id);
        }
        else if (topic == MulticastAbi.DeliveryFailed && log.Topics.Count == 4 && _publishes.TryGetValue(id, out var failed))
        {
            failed.Failures.Add(new DeliveryFailure
            {
                ChainId = chainId,
                Index = (uint)(ulong)log.Topics[2].ToUInt256(),
                Target = Address.FromUInt256(log.Topics[3].ToUInt256()),
                RevertData = new AbiReader(log.Data).Bytes(0),
            });
            _changed.Add(id);
        }
        else if (topic == MulticastAbi.DeliveryRetried && log.Topics.Count == 4 && _publishes.TryGetValue(id, out var retried))
        {
            var index = (uint)(ulong)log.Topics[2].ToUInt256();
            foreach (var failure in retried.Failures)
                if (failure.ChainId == chainId && failure.Index == index) failure.Retried = true;
            var progress = retried.On(chainId);
            progress.Delivered++;
            progress.Failed--;
            Changed(retried);
        }
    }

    private void Changed(PublishRecord record)
    {
        _changed.Add(record.Id);
        if (!record.IsReported) _toReport.Add(record);
    }

    private void Complete(PublishRecord record, ulong slot)
    {
        record.CompletedAtMs = _host!.Time.GetUtcNow().ToUnixTimeMilliseconds();
        record.CompletedSlot = slot;
    }

    /// <summary>The home chain's registry right after the publishing block: the publish's subscribers, grouped by chain in registry order.</summary>
    private SortedDictionary<ulong, Subscription[]> Snapshot(MemberChain home, Hash256 channel, uint total)
    {
        var members = _host!.Chains.Select(c => c.ChainId).ToHashSet();
        var perChain = new SortedDictionary<ulong, List<Subscription>>();
        for (ulong start = 0; start < total; start += SubscriptionPage)
        {
            var result = home.Call(new CallRequest { To = MulticastPredeploys.Registry, Data = MulticastAbi.EncodeSubscriptions(channel, start, SubscriptionPage) }, BlockSelector.Latest);
            if (!result.Success) break;
            var page = MulticastAbi.DecodeSubscriptions(result.ReturnData);
            foreach (var sub in page)
            {
                // A subscription of a chain outside the cluster (removed) is not delivered.
                if (!members.Contains(sub.ChainId)) continue;
                if (!perChain.TryGetValue(sub.ChainId, out var list)) perChain[sub.ChainId] = list = [];
                list.Add(sub);
            }
            if (page.Count < SubscriptionPage) break;
        }
        return new SortedDictionary<ulong, Subscription[]>(perChain.ToDictionary(kv => kv.Key, kv => kv.Value.ToArray()));
    }

    private void Add(PublishRecord record) => _publishes[record.Id] = record;

    private void Enqueue(PublishRecord record)
    {
        foreach (var chain in record.PerChain.Keys)
        {
            if (record.RemainingOn(chain) == 0) continue;
            if (!_queues.TryGetValue(chain, out var queue)) _queues[chain] = queue = [];
            queue.Add(record);
        }
    }

    private SortedDictionary<ulong, byte[]> Ops(ulong origin)
    {
        if (!_ops.TryGetValue(origin, out var ops)) _ops[origin] = ops = [];
        return ops;
    }

    /// <summary>Forgets the ops every other member chain has applied (and deletes their rows).</summary>
    private void PruneOps(IModuleState? state)
    {
        foreach (var (origin, ops) in _ops)
        {
            if (ops.Count == 0) continue;
            var everywhere = ulong.MaxValue;
            foreach (var chain in _host!.Chains)
                if (chain.ChainId != origin) everywhere = Math.Min(everywhere, _applied.GetValueOrDefault((chain.ChainId, origin)));
            foreach (var nonce in ops.Keys.Where(n => n <= everywhere).ToList())
            {
                ops.Remove(nonce);
                state?.Put(ModuleName, OpKey(origin, nonce), null);
            }
        }
    }

    private static byte[] Key(char kind, Hash256 id)
    {
        var key = new byte[33];
        key[0] = (byte)kind;
        id.Bytes.CopyTo(key.AsSpan(1));
        return key;
    }

    private static byte[] OpKey(ulong origin, ulong nonce)
    {
        var key = new byte[17];
        key[0] = (byte)'o';
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(1), origin);
        BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(9), nonce);
        return key;
    }
}
