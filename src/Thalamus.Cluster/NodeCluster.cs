using System.Diagnostics;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Rpc;
using Thalamus.Storage;

namespace Thalamus.Cluster;

/// <summary>
/// A node-cluster: every member chain in one process, advanced slot by slot by one scheduler, so
/// that a message sent on chain A at logical time T runs on chain B by T + Delta and a contract on
/// A can call a contract on B synchronously, every touched chain committing or reverting together.
/// All chains share one lock (a slot is one critical section) and, when persistent, one database
/// in which each slot's blocks on every chain commit in one transaction.
/// </summary>
/// <remarks>
/// Split by concern: <c>NodeCluster.Slots.cs</c> (slots and the coordinator the chains call),
/// <c>NodeCluster.Messages.cs</c> (indexing and delivering messages), <c>NodeCluster.Liveness.cs</c>
/// (halt, resume, holds, status), <c>NodeCluster.Scheduler.cs</c> (the interval clock).
/// </remarks>
public sealed partial class NodeCluster : IAsyncDisposable
{
    private readonly ClusterDatabase? _database;
    private readonly ClusterMember[] _members;
    private readonly Dictionary<ulong, ClusterMember> _byId = [];
    private readonly MessageIndex _messages = new();
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly LiveCrossCallScope _liveScope;

    private NodeCluster(ClusterOptions options, ClusterDatabase? database, ClusterMember[] members, bool resumed)
    {
        Options = options;
        _database = database;
        _members = members;
        Resumed = resumed;
        _liveScope = new LiveCrossCallScope(this);
        var coordinator = new ClusterCoordinator(this);
        foreach (var member in members)
        {
            _byId[member.ChainId] = member;
            member.CrossCalls = new CrossChainCallHandler(_liveScope, member);
            member.Admission = new Admission(this, member, simulation: false);
            member.NextDueMs = (long)member.Options.BlockTime.TotalMilliseconds;
            member.Chain.AttachCoordinator(coordinator);
        }
        Chains = members.Select(m => m.Chain).ToArray();
        RpcBackend = new ClusterRpcBackend(this);
        lock (SyncRoot) RebuildMessageIndex();
    }

    public ClusterOptions Options { get; }

    /// <summary>The member chains in the configured order.</summary>
    public IReadOnlyList<MemberChain> Chains { get; }

    /// <summary>True when the chains resumed from a database instead of starting at genesis.</summary>
    public bool Resumed { get; }

    /// <summary>What the cluster_* JSON-RPC methods call (every chain's endpoint serves them).</summary>
    public IClusterBackend RpcBackend { get; }

    /// <summary>Raised on the scheduler thread when a scheduled slot fails; the cluster keeps running.</summary>
    public event Action<Exception>? Error;

    /// <summary>Logical time: milliseconds since this cluster started.</summary>
    public long LogicalTimeMs => _clock.ElapsedMilliseconds;

    /// <summary>
    /// Opens every chain of <paramref name="options"/> in <paramref name="database"/> (null: in
    /// memory), writing the genesis of any that is new: the dev accounts funded, and the predeploys.
    /// </summary>
    /// <exception cref="ClusterConfigurationException">the options break a rule.</exception>
    public static NodeCluster Create(ClusterOptions options, ClusterDatabase? database = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var alloc = new Dictionary<Address, GenesisAccount>();
        foreach (var account in options.Accounts) alloc[account.Address] = new GenesisAccount { Balance = options.AccountBalanceWei };
        foreach (var (address, account) in ClusterPredeploys.GenesisAllocations()) alloc[address] = account;

        var syncRoot = new Lock();
        var members = new ClusterMember[options.Chains.Count];
        var resumed = false;
        for (var i = 0; i < members.Length; i++)
        {
            var chainOptions = options.Chains[i];
            IChainStore store = database is null ? new MemoryChainStore() : database.GetChainStore(chainOptions.ChainId);
            resumed |= store.HeadNumber is not null;
            var genesis = new GenesisConfig
            {
                ChainId = chainOptions.ChainId,
                Timestamp = options.GenesisTimestamp,
                GasLimit = chainOptions.GasLimit,
                Alloc = alloc,
            };
            var chain = new MemberChain(chainOptions.ToProfile(), genesis, store, clock: null, syncRoot: syncRoot);
            members[i] = new ClusterMember(chain, chainOptions);
        }
        return new NodeCluster(options, database, members, resumed);
    }

    /// <summary>The member with this chain id.</summary>
    /// <exception cref="ChainException">no such member (-32602).</exception>
    public MemberChain GetChain(ulong chainId) => Member(chainId).Chain;

    /// <summary>Tells cluster_chains where a chain is served.</summary>
    public void SetEndpoints(ulong chainId, Uri http, Uri webSocket)
    {
        var member = Member(chainId);
        member.HttpUrl = http;
        member.WebSocketUrl = webSocket;
    }

    internal ClusterMember? FindMember(ulong chainId) => _byId.GetValueOrDefault(chainId);

    internal IReadOnlyList<ClusterMember> Members => _members;

    internal Lock SyncRoot => _members[0].Chain.SyncRoot;

    private ClusterMember Member(ulong chainId) =>
        FindMember(chainId) ?? throw new ChainException($"chain {chainId} is not a member of this cluster", ChainException.InvalidParamsCode);

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
