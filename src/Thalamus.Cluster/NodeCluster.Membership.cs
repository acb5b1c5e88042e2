using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Storage;

namespace Thalamus.Cluster;

// Membership: the chains a cluster starts with, and chains added or removed between slots (an
// internal API now; governance drives it later).
public sealed partial class NodeCluster
{
    /// <summary>
    /// A chain was added (true) or removed (false) between slots: a host serves or stops serving its endpoint.
    /// Raised under the cluster's lock; a handler must not block (start its work on another thread).
    /// </summary>
    public event Action<MemberChain, bool>? MembershipChanged;

    /// <summary>Opens (or creates at genesis) one member chain's store and chain; <paramref name="resumed"/>: it had blocks already.</summary>
    private static ClusterMember OpenMember(ClusterOptions options, IReadOnlyList<Modules.IClusterModule> modules, ClusterChainOptions chainOptions,
        ClusterDatabase? database, TimeProvider time, Lock syncRoot, out bool resumed)
    {
        if (chainOptions.Fork is not null && database is not null)
            throw new ClusterConfigurationException($"chain {chainOptions.ChainId} forks {chainOptions.Fork.Url}: a fork lives in memory only; start the cluster without a data directory");
        IChainStore store = database is null ? new MemoryChainStore() : database.GetChainStore(chainOptions.ChainId);
        resumed = store.HeadNumber is not null;
        var genesis = GenesisFor(options, modules, chainOptions, options.GenesisTimestamp);
        var chain = new MemberChain(chainOptions.ToProfile(), genesis, store, clock: new TimeProviderClock(time), syncRoot: syncRoot);
        return new ClusterMember(chain, chainOptions);
    }

    /// <summary>
    /// Every member's genesis: the dev accounts funded, the accounts of a loaded state dump over
    /// them, then the cluster's predeploys and each module's accounts (their code always the node's;
    /// a dump's balance, nonce and storage kept, so message nonces continue and delivered messages stay delivered).
    /// </summary>
    /// <exception cref="ClusterConfigurationException">a module claims an address a predeploy or another module has.</exception>
    private static GenesisConfig GenesisFor(ClusterOptions options, IReadOnlyList<Modules.IClusterModule> modules, ClusterChainOptions chain, ulong timestamp)
    {
        var alloc = new Dictionary<Address, GenesisAccount>();
        foreach (var account in options.Accounts) alloc[account.Address] = new GenesisAccount { Balance = options.AccountBalanceWei };
        if (chain.LoadedState is { } loaded)
            foreach (var (address, account) in loaded) alloc[address] = account;
        void Predeploy(Address address, GenesisAccount predeploy) =>
            alloc[address] = chain.LoadedState is { } dump && dump.TryGetValue(address, out var dumped)
                ? new GenesisAccount { Balance = dumped.Balance, Nonce = Math.Max(dumped.Nonce, predeploy.Nonce), Code = predeploy.Code ?? dumped.Code, Storage = dumped.Storage }
                : predeploy;
        foreach (var (address, predeploy) in ClusterPredeploys.GenesisAllocations()) Predeploy(address, predeploy);
        var claimed = new Dictionary<Address, string>();
        foreach (var module in modules)
            foreach (var (address, account) in module.GenesisAllocations(chain.ChainId, timestamp))
            {
                if (claimed.TryGetValue(address, out var other) || ClusterPredeploys.IsPredeploy(address))
                    throw new ClusterConfigurationException(
                        $"module \"{module.Name}\" puts an account at {address} in genesis, where {(other is null ? "a cluster predeploy" : $"module \"{other}\"")} has one");
                claimed[address] = module.Name;
                Predeploy(address, account);
            }
        if (chain.Fork is { } fork)
        {
            return new GenesisConfig
            {
                ChainId = chain.ChainId, Timestamp = fork.Timestamp, GasLimit = chain.GasLimit, Alloc = alloc,
                RemoteState = fork.State, Number = fork.Number, ParentHash = fork.ParentHash, BaseFeePerGas = fork.BaseFeePerGas,
            };
        }
        return new GenesisConfig { ChainId = chain.ChainId, Timestamp = timestamp, GasLimit = chain.GasLimit, Alloc = alloc };
    }

    /// <summary>Wires a member into the cluster: its cross-chain handler, its schedule and its native contracts.</summary>
    private void Join(ClusterMember member, long nextDueMs)
    {
        _byId[member.ChainId] = member;
        member.CrossCalls = new CrossChainCallHandler(_liveScope, member);
        member.Admission = new Admission(this, member, simulation: false);
        member.NextDueMs = nextDueMs;
        member.Chain.ReservedSender = Thalamus.Modules.SystemAccount.RefusalFor;
        member.Chain.AttachCoordinator(_coordinator, NativeContractsOf(member.ChainId));
    }

    /// <summary>
    /// Adds a chain between slots: it starts at its genesis (from <paramref name="chainOptions"/>, the
    /// cluster's accounts and predeploys; an existing chain in the database resumes at its head) and
    /// receives the messages sent to it from now on (earlier ones failed as sent to a non-member).
    /// </summary>
    /// <exception cref="ClusterConfigurationException">the id is taken, or the options break a rule (e.g. a block time above Delta).</exception>
    public MemberChain AddChain(ClusterChainOptions chainOptions)
    {
        ArgumentNullException.ThrowIfNull(chainOptions);
        lock (SyncRoot)
        {
            if (_slotDepth > 0) throw new InvalidOperationException("a chain joins between slots, not inside one");
            if (_byId.ContainsKey(chainOptions.ChainId))
                throw new ClusterConfigurationException($"chain {chainOptions.ChainId} is already a member of this cluster");
            if (_members.Length >= ClusterOptions.MaxChains) throw new ClusterConfigurationException($"a cluster has at most {ClusterOptions.MaxChains} chains");
            new ClusterOptions { Chains = [chainOptions], Delta = TimeSpan.FromMilliseconds(DeltaMs) }.Validate();
            var member = OpenMember(Options, _modules, chainOptions, _database, Time, SyncRoot, out _);
            Join(member, LogicalTimeMs + (long)chainOptions.BlockTime.TotalMilliseconds);
            _members = [.. _members, member];
            Chains = _members.Select(m => m.Chain).ToArray();
            MembershipChanged?.Invoke(member.Chain, true);
            return member.Chain;
        }
    }

    /// <summary>
    /// Removes a chain between slots: it stops sealing and holding the others, and every message still
    /// queued to it fails with the reason "ClusterMessenger: chain N was removed from the cluster" and is
    /// returned to its sender on its source chain (ClusterMessenger.returnMessage, in a slot of its own and the
    /// source's next block). Its blocks stay in the database; later sends to it fail as to any non-member.
    /// </summary>
    /// <exception cref="ChainException">no such member (-32602).</exception>
    /// <exception cref="ClusterConfigurationException">it is the last chain.</exception>
    public void RemoveChain(ulong chainId)
    {
        lock (SyncRoot)
        {
            if (_slotDepth > 0) throw new InvalidOperationException("a chain leaves between slots, not inside one");
            var member = Member(chainId);
            if (_members.Length == 1) throw new ClusterConfigurationException($"chain {chainId} is the cluster's last chain");
            _members = [.. _members.Where(m => !ReferenceEquals(m, member))];
            _byId.Remove(chainId);
            Chains = _members.Select(m => m.Chain).ToArray();
            RunInSlot(() =>
            {
                var reason = Abi.EncodeError($"ClusterMessenger: chain {chainId} was removed from the cluster");
                var nowMs = NowMs;
                foreach (var message in _messages.Inbox(chainId).ToList())
                    _messages.MarkReturnPending(message, nowMs, reason);
                // Chains it held may seal again.
                foreach (var other in _members)
                    if (other.IsAutomine && CanSealMember(other) && other.Chain.HasExecutablePending()) other.Chain.AutomineIfEnabled();
                return 0;
            });
            MembershipChanged?.Invoke(member.Chain, false);
        }
    }
}
