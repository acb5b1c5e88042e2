using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.Modules;
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
/// (halt, resume, holds, status), <c>NodeCluster.Scheduler.cs</c> (the interval clock),
/// <c>NodeCluster.Modules.cs</c> (the module seam: system transactions, native contracts, slots, RPC).
/// </remarks>
public sealed partial class NodeCluster : IAsyncDisposable
{
    private readonly ClusterDatabase? _database;
    // Replaced (never mutated) when membership changes, under the lock.
    private ClusterMember[] _members;
    private readonly Lock _syncRoot;
    private readonly ClusterCoordinator _coordinator;
    private readonly Dictionary<ulong, ClusterMember> _byId = [];
    private readonly MessageIndex _messages = new();
    private readonly LiveCrossCallScope _liveScope;

    private NodeCluster(ClusterOptions options, ClusterDatabase? database, ClusterMember[] members, bool resumed,
        TimeProvider time, IReadOnlyList<IClusterModule> modules)
    {
        Options = options;
        _database = database;
        _members = members;
        Resumed = resumed;
        _syncRoot = members[0].Chain.SyncRoot;
        Time = time;
        _deltaMs = (long)options.EffectiveDelta.TotalMilliseconds;
        _startTimestamp = time.GetTimestamp();
        _liveScope = new LiveCrossCallScope(this);
        foreach (var member in members) _byId[member.ChainId] = member;
        // The built-in protocols first, on the same seam as any other module.
        _messenger = new ClusterMessengerModule(this);
        _modules = [_messenger, new CrossChainCallModule(), new ClusterRpcModule(new ClusterRpcBackend(this)), .. modules];
        CheckModules();
        _coordinator = new ClusterCoordinator(this);
        foreach (var member in members) Join(member, (long)member.Options.BlockTime.TotalMilliseconds);
        Chains = members.Select(m => m.Chain).ToArray();
        RpcMethods = new RpcMethodRegistry();
        foreach (var module in _modules) module.RegisterRpcMethods(RpcMethods);
        lock (SyncRoot)
        {
            // A rollback a crash interrupted is finished before anything else (docs/cluster.md, "Rollback"): read now, carried out
            // once the modules have read their rows (before any slot, including one a membership change runs).
            LoadStoredRollback();
            foreach (var module in _modules) module.Attach(_host);
            // Membership and Delta a module restores at start (decisions carried before a restart) take effect before the first slot.
            if (_betweenSlotRequests.Count > 0) ApplyBetweenSlotRequests();
            CompletePendingRollbackLocked();
        }
    }

    public ClusterOptions Options { get; }

    /// <summary>The member chains in the configured order (chains added at run time last).</summary>
    public IReadOnlyList<MemberChain> Chains { get; private set; }

    /// <summary>True when the chains resumed from a database instead of starting at genesis.</summary>
    public bool Resumed { get; }

    /// <summary>The modules' JSON-RPC methods (cluster_* and any registered module's): every chain's endpoint serves them.</summary>
    public RpcMethodRegistry RpcMethods { get; }

    /// <summary>The cluster's one clock: block timestamps, message times and the scheduler read it.</summary>
    public TimeProvider Time { get; }

    /// <summary>Raised on the scheduler thread when a scheduled slot fails; the cluster keeps running.</summary>
    public event Action<Exception>? Error;

    private readonly long _startTimestamp;

    /// <summary>Logical time: milliseconds since this cluster started, on <see cref="Time"/>.</summary>
    public long LogicalTimeMs => (long)Time.GetElapsedTime(_startTimestamp).TotalMilliseconds;

    /// <summary>Unix time in milliseconds on <see cref="Time"/> (message times).</summary>
    internal long NowMs => Time.GetUtcNow().ToUnixTimeMilliseconds();

    /// <summary>
    /// Opens every chain of <paramref name="options"/> in <paramref name="database"/> (null: in
    /// memory), writing the genesis of any that is new: the dev accounts funded, and the predeploys.
    /// </summary>
    /// <param name="modules">Protocols plugged in besides the built-in ones (the messenger, synchronous calls, cluster_*), in order.</param>
    /// <param name="time">The cluster's clock (tests pass a manual one); the system clock by default.</param>
    /// <exception cref="ClusterConfigurationException">the options break a rule, or two modules clash.</exception>
    public static NodeCluster Create(ClusterOptions options, ClusterDatabase? database = null, IEnumerable<IClusterModule>? modules = null,
        TimeProvider? time = null)
    {
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        time ??= TimeProvider.System;
        var syncRoot = new Lock();
        IClusterModule[] added = [.. modules ?? []];
        var members = new ClusterMember[options.Chains.Count];
        var resumed = false;
        for (var i = 0; i < members.Length; i++)
        {
            var chainOptions = options.Chains[i];
            members[i] = OpenMember(options, added, chainOptions, database, time, syncRoot, out var opened);
            resumed |= opened;
        }
        return new NodeCluster(options, database, members, resumed, time, added);
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

    internal Lock SyncRoot => _syncRoot;

    private ClusterMember Member(ulong chainId) =>
        FindMember(chainId) ?? throw new ChainException($"chain {chainId} is not a member of this cluster", ChainException.InvalidParamsCode);

    public async ValueTask DisposeAsync() => await StopAsync().ConfigureAwait(false);
}
