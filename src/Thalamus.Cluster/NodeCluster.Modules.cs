using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.Modules;
using Thalamus.Storage;

namespace Thalamus.Cluster;

// The module seam: what the cluster asks of its modules (system transactions, native contracts) and
// tells them (sealed and failed blocks, committed slots), in registration order.
public sealed partial class NodeCluster
{
    private IClusterModule[] _modules = [];

    /// <summary>The messenger: its deliveries run first in every block, pulled by the gas they really use (see NodeCluster.Admission.cs).</summary>
    private readonly ClusterMessengerModule _messenger;
    private ISystemTransactionSource[] _sources = [];
    private readonly List<SealedBlock> _slotBlocks = [];
    private readonly Dictionary<ulong, NativeContracts> _nativeContracts = [];
    private ClusterHostView? _hostView;

    private IClusterHost _host => _hostView ??= new ClusterHostView(this);

    /// <summary>The modules in registration order: the built-in ones, then those passed to <see cref="Create"/>.</summary>
    public IReadOnlyList<IClusterModule> Modules => _modules;

    /// <summary>Every contract at the same address on every chain, by name: the cluster's own, then each module's.</summary>
    public IReadOnlyList<KeyValuePair<string, Address>> Predeploys => [.. ClusterPredeploys.Named(), .. _modules.SelectMany(m => m.NamedPredeploys)];

    internal MessageIndex Messages => _messages;

    /// <summary>The keys of a module's stored rows (none for an in-memory cluster).</summary>
    internal IReadOnlyList<byte[]> StoredModuleKeys(string module) => _database?.ReadModuleState(module).Select(r => r.Key).ToList() ?? [];

    internal void ReportError(Exception error) => Error?.Invoke(error);

    /// <summary>Module names are unique (they key gas shares and stored state) and their gas shares fit in a block.</summary>
    private void CheckModules()
    {
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (var module in _modules)
            if (string.IsNullOrEmpty(module.Name) || !names.Add(module.Name))
                throw new ClusterConfigurationException($"two cluster modules are named \"{module.Name}\"");
        _sources = [.. _modules.OfType<ISystemTransactionSource>()];
        // The messenger's deliveries are pulled one by one (by the gas they really use), not proposed as a list, but take their share all the same.
        var total = Options.SystemGasShareOf(ClusterMessengerModule.ModuleName) + _sources.Sum(source => Options.SystemGasShareOf(source.Name));
        if (total > 1 + 1e-9)
            throw new ClusterConfigurationException($"the modules' system gas shares add up to {total:0.###} of a block, more than all of it");
    }

    /// <summary>The Cancun precompiles and every module's native contracts on a chain (one set, built once).</summary>
    internal NativeContracts NativeContractsOf(ulong chainId)
    {
        if (_nativeContracts.TryGetValue(chainId, out var set)) return set;
        try
        {
            set = NativeContracts.Cancun.With(_modules.SelectMany(m => m.NativeContracts(chainId)));
        }
        catch (ArgumentException e)
        {
            throw new ClusterConfigurationException($"chain {chainId}: {e.Message}");
        }
        _nativeContracts[chainId] = set;
        return set;
    }

    /// <summary>The modules' system transactions for the member's next block, each module within its share of the block's gas.</summary>
    private IReadOnlyList<PooledTransaction> ProposeSystemTransactions(ClusterMember member, BlockHeader parent)
    {
        List<PooledTransaction>? all = null;
        IReadOnlyList<PooledTransaction> only = [];
        var baseFee = BaseFeeCalculator.Next(parent, member.Chain.Profile);
        foreach (var module in _sources)
        {
            var budget = (ulong)(member.Options.GasLimit * Options.SystemGasShareOf(module.Name));
            if (budget == 0) continue;
            var proposed = module.ProposeSystemTransactions(new SystemTransactionRequest
            {
                Chain = member.Chain, Parent = parent, BaseFee = baseFee, GasBudget = budget,
            });
            if (proposed.Count == 0) continue;
            if (only.Count == 0 && all is null) only = proposed;
            else (all ??= [.. only]).AddRange(proposed);
        }
        return all ?? only;
    }

    /// <summary>Whether a system transaction source with a gas share has work for the member's next block (an automining chain seals for it).</summary>
    private bool SourcesHaveWorkFor(ClusterMember member)
    {
        foreach (var source in _sources)
            if (Options.SystemGasShareOf(source.Name) > 0 && source.HasPendingWork(member.Chain)) return true;
        return false;
    }

    private void NotifyBlockSealed(ClusterMember member, BuiltBlock built)
    {
        var sealedBlock = new SealedBlock
        {
            Chain = member.Chain,
            Built = built,
            Slot = _slot,
            SectionLogs = built.Block.Header.ExtraData.Length > 0 ? member.Chain.SectionLogRecords(built.Block) : [],
        };
        _slotBlocks.Add(sealedBlock);
        foreach (var module in _modules) module.BlockSealed(sealedBlock);
    }

    private void NotifyBlockFailed(ClusterMember member)
    {
        foreach (var module in _modules) module.BlockFailed(member.Chain);
    }

    /// <summary>Tells every module the slot's blocks; what they write joins <paramref name="batch"/> (the slot's transaction).</summary>
    private void NotifySlotCommitted(ClusterWriteBatch? batch)
    {
        var slot = new CommittedSlot
        {
            Slot = _slot,
            TimeMs = NowMs,
            Blocks = [.. _slotBlocks],
            State = batch is null ? InMemoryModuleState.Instance : new SlotModuleState(batch),
        };
        _slotBlocks.Clear();
        foreach (var module in _modules) module.SlotCommitted(slot);
    }

    /// <summary>A rollback's taint through the modules (<see cref="IClusterModule.FirstTaintedBlock"/>): the earliest block any of them names.</summary>
    private (ulong Number, string Why)? FirstTaintedByModules(ClusterMember member, ulong taintedChainId, ulong taintedFrom)
    {
        (ulong Number, string Why)? found = null;
        foreach (var module in _modules)
            found = Earlier(found, module.FirstTaintedBlock(member.Chain, taintedChainId, taintedFrom) is { } t ? (t.Number, $"{module.Name}: {t.Why}") : null);
        return found;
    }

    private static (ulong Number, string Why)? Earlier((ulong Number, string Why)? a, (ulong Number, string Why)? b) =>
        a is null ? b : b is null || a.Value.Number <= b.Value.Number ? a : b;

    private sealed class ClusterHostView(NodeCluster cluster) : IClusterHost
    {
        public IReadOnlyList<MemberChain> Chains => cluster.Chains;

        public TimeProvider Time => cluster.Time;

        public ulong Slot => cluster._slot;

        public IReadOnlyList<(byte[] Key, byte[] Value)> ReadState(string module) =>
            cluster._database?.ReadModuleState(module) ?? [];

        public GenesisConfig GenesisOf(ulong chainId) => cluster.GenesisOf(chainId);

        public TimeSpan ConfiguredDelta => cluster.Options.EffectiveDelta;

        public ClusterRollback? RequestRollback(RollbackRequest request) => cluster.RequestRollback(request);

        public void RequestMembershipChange(MembershipChange change)
        {
            ArgumentNullException.ThrowIfNull(change);
            lock (cluster.SyncRoot) cluster._betweenSlotRequests.Enqueue(change);
        }

        public void RequestDeltaChange(DeltaChange change)
        {
            ArgumentNullException.ThrowIfNull(change);
            lock (cluster.SyncRoot) cluster._betweenSlotRequests.Enqueue(change);
        }
    }

    /// <summary>
    /// Membership and Delta changes modules asked for (<see cref="MembershipChange"/>, <see cref="DeltaChange"/>), carried out
    /// in the order asked when the slot that asked ends: a Delta change is checked against the membership before it.
    /// </summary>
    private readonly Queue<object> _betweenSlotRequests = new();

    /// <summary>Between slots: adds or removes the chains and changes Delta as modules asked, in order; a refusal is reported to the asker.</summary>
    private void ApplyBetweenSlotRequests()
    {
        // RemoveChain runs a slot of its own; the requests after this one wait for it, in order.
        if (_applyingBetweenSlots) return;
        _applyingBetweenSlots = true;
        try
        {
            ApplyBetweenSlotRequestsInOrder();
        }
        finally
        {
            _applyingBetweenSlots = false;
        }
    }

    private bool _applyingBetweenSlots;

    private void ApplyBetweenSlotRequestsInOrder()
    {
        while (_betweenSlotRequests.TryDequeue(out var request))
        {
            if (request is DeltaChange delta)
            {
                ApplyDeltaChange(delta);
                continue;
            }
            var change = (MembershipChange)request;
            string? refusal = null;
            try
            {
                if (change.Remove) RemoveChain(change.ChainId);
                else AddChain(new ClusterChainOptions { ChainId = change.ChainId, Name = change.Name, BlockTime = change.BlockTime, GasLimit = change.GasLimit });
            }
            catch (Exception e) when (e is ClusterConfigurationException or ChainException)
            {
                refusal = e.Message;
            }
            change.Completed?.Invoke(change, refusal);
        }
    }

    private sealed class SlotModuleState(ClusterWriteBatch batch) : IModuleState
    {
        public bool IsPersistent => true;

        public void Put(string module, ReadOnlySpan<byte> key, byte[]? value) => batch.PutModuleState(module, key, value);
    }

    private sealed class InMemoryModuleState : IModuleState
    {
        public static InMemoryModuleState Instance { get; } = new();

        public bool IsPersistent => false;

        public void Put(string module, ReadOnlySpan<byte> key, byte[]? value)
        {
        }
    }
}

/// <summary>A member chain's clock (block timestamps) read from the cluster's <see cref="TimeProvider"/>.</summary>
internal sealed class TimeProviderClock(TimeProvider time) : IClock
{
    public DateTimeOffset UtcNow => time.GetUtcNow();
}
