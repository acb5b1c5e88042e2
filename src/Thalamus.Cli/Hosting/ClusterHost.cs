using Thalamus.Chain;
using Thalamus.Cli.Configuration;
using Thalamus.Cluster;
using Thalamus.Rpc;
using Thalamus.Storage;

namespace Thalamus.Cli.Hosting;

/// <summary>
/// A running node-cluster: the cluster (its slot scheduler seals every chain; no per-chain
/// sealer), one JSON-RPC server per member chain serving that chain's Ethereum methods and the
/// cluster_* methods (as its access policy allows), the JWT-authenticated admin endpoint when
/// configured, and the database when persistent. Stopping goes servers first (no new
/// requests, in-flight ones finish), then the scheduler (the slot being sealed finishes), then the
/// database.
/// </summary>
public sealed class ClusterHost : IAsyncDisposable
{
    private readonly List<(JsonRpcServer Server, RpcDispatcher Dispatcher)> _servers;
    private readonly ClusterDatabase? _database;
    private bool _stopped;
    private bool _disposed;

    private ClusterHost(NodeCluster cluster, ClusterDatabase? database, List<(JsonRpcServer, RpcDispatcher)> servers, IReadOnlyList<ClusterEndpoint> endpoints,
        JsonRpcServer? admin, string? createdSecret, ParentHost? parent)
    {
        Parent = parent;
        Cluster = cluster;
        _database = database;
        _servers = servers;
        _endpoints.AddRange(endpoints);
        AdminUrl = admin?.HttpUrl;
        CreatedJwtSecret = createdSecret;
    }

    public NodeCluster Cluster { get; }

    private readonly List<ClusterEndpoint> _endpoints = [];
    private Func<ulong, RpcServerOptions>? _serverOptions;

    /// <summary>The parent chain settlement posts to; null when settlement is off.</summary>
    public ParentHost? Parent { get; }

    /// <summary>Each member chain's endpoint, in the cluster's chain order (chains added at run time by governance included).</summary>
    public IReadOnlyList<ClusterEndpoint> Endpoints
    {
        get { lock (_endpoints) return [.. _endpoints]; }
    }

    /// <summary>The JWT-authenticated admin endpoint (operator methods); null when none is configured.</summary>
    public Uri? AdminUrl { get; }

    /// <summary>The secret file this start created because it was missing; null when it existed or there is no admin endpoint.</summary>
    public string? CreatedJwtSecret { get; }

    /// <summary>
    /// Opens the database (if any), builds the cluster (genesis, or resuming every chain at its
    /// head), starts every chain's server and then the scheduler. On failure everything already
    /// started is stopped again before the exception propagates.
    /// </summary>
    public static async Task<ClusterHost> StartAsync(ClusterLaunchSettings settings, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var database = settings.DatabasePath is { } path ? OpenDatabase(path) : null;
        NodeCluster? cluster = null;
        var servers = new List<(JsonRpcServer, RpcDispatcher)>();
        ParentHost? parent = null;
        try
        {
            if (settings.Settlement is { } settlement) parent = await ParentHost.StartAsync(settlement, settings, cancellationToken).ConfigureAwait(false);
            cluster = NodeCluster.Create(settings.Options, database, ProtocolModules.Create(settings, parent));
            cluster.Error += e => Console.Error.WriteLine($"cluster: slot failed: {e.Message}");
            if (settings.Settlement is { KillInRollback: true })
                cluster.AfterChainRewound = chainId =>
                {
                    Console.Error.WriteLine($"fault injection: killing the node (SIGKILL) in the middle of a rollback, after chain {chainId} was rewound");
                    using var self = System.Diagnostics.Process.GetCurrentProcess();
                    self.Kill();
                };
            // A production node funds the configured accounts at genesis but holds no keys for the RPC.
            UnlockedAccount[] accounts = settings.Dev ? settings.Options.Accounts.Select(a => new UnlockedAccount(a.Address, a.PrivateKey)).ToArray() : [];
            var endpoints = new List<ClusterEndpoint>();
            var methods = cluster.RpcMethods;
            // A chain added at run time (a governance admission) is served on a port of its own (the configured one, or any free one).
            RpcServerOptions ServerOptions(ulong chainId) => new()
            {
                Host = settings.Host,
                Port = settings.TryPortOf(chainId) ?? 0,
                Accounts = accounts,
                Access = settings.Access,
                Methods = methods,
                OnInternalError = e => Console.Error.WriteLine($"chain {chainId}: internal error: {e}"),
            };
            foreach (var chain in cluster.Chains)
            {
                var chainId = chain.ChainId;
                var options = ServerOptions(chainId);
                var dispatcher = new RpcDispatcher(new MemberChainBackend(chain), options);
                var server = new JsonRpcServer(dispatcher);
                servers.Add((server, dispatcher));
                await server.StartAsync(cancellationToken).ConfigureAwait(false);
                cluster.SetEndpoints(chainId, server.HttpUrl, server.WebSocketUrl);
                endpoints.Add(new ClusterEndpoint(chain, server.Port, server.HttpUrl, server.WebSocketUrl));
            }
            JsonRpcServer? admin = null;
            string? created = null;
            if (settings.Admin is { } adminSettings)
            {
                (admin, created) = await StartAdminAsync(adminSettings, cluster, servers, cancellationToken).ConfigureAwait(false);
            }
            var host = new ClusterHost(cluster, database, servers, endpoints, admin, created, parent) { _serverOptions = ServerOptions };
            cluster.MembershipChanged += host.OnMembershipChanged;
            cluster.Start();
            return host;
        }
        catch
        {
            await StopServersAsync(servers).ConfigureAwait(false);
            await DisposeServersAsync(servers).ConfigureAwait(false);
            if (cluster is not null) await cluster.DisposeAsync().ConfigureAwait(false);
            if (parent is not null) await parent.DisposeAsync().ConfigureAwait(false);
            database?.Dispose();
            throw;
        }
    }

    /// <summary>
    /// The admin endpoint: the cluster's methods with its operator methods, behind a JWT check
    /// (secret read from the file, or written there first when it is missing, as geth does).
    /// It answers for the cluster, not for a chain, so it serves no eth_* method.
    /// </summary>
    private static async Task<(JsonRpcServer Server, string? CreatedSecret)> StartAdminAsync(
        ClusterConfigAdmin admin, NodeCluster cluster, List<(JsonRpcServer, RpcDispatcher)> servers, CancellationToken cancellationToken)
    {
        byte[] secret;
        string? created = null;
        try
        {
            if (File.Exists(admin.JwtSecretPath))
            {
                secret = JwtAuthenticator.ReadSecretFile(admin.JwtSecretPath);
            }
            else
            {
                secret = JwtAuthenticator.CreateSecretFile(admin.JwtSecretPath);
                created = admin.JwtSecretPath;
            }
        }
        catch (InvalidDataException e)
        {
            throw new InvalidOperationException("admin.jwtSecret: " + e.Message, e);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new IOException($"admin.jwtSecret: cannot read or create {admin.JwtSecretPath}: {e.Message}", e);
        }
        var options = new RpcServerOptions
        {
            Host = admin.Host,
            Port = admin.Port,
            Access = RpcAccessPolicy.ForAdminEndpoint(),
            Authentication = new JwtAuthenticator(secret),
            AllowAnyOrigin = false, // operator tools are not browser pages
            Methods = cluster.RpcMethods,
            OnInternalError = e => Console.Error.WriteLine($"admin endpoint: internal error: {e}"),
        };
        var dispatcher = new RpcDispatcher(new MemberChainBackend(cluster.Chains[0]), options);
        var server = new JsonRpcServer(dispatcher);
        servers.Add((server, dispatcher));
        await server.StartAsync(cancellationToken).ConfigureAwait(false);
        return (server, created);
    }

    /// <summary>Raised under the cluster's lock between slots: serves an added chain, stops serving a removed one (on the thread pool).</summary>
    private void OnMembershipChanged(MemberChain chain, bool added) => _ = Task.Run(async () =>
    {
        try
        {
            if (added) await ServeAsync(chain).ConfigureAwait(false);
            else await StopServingAsync(chain.ChainId).ConfigureAwait(false);
        }
        catch (Exception e) when (e is IOException or InvalidOperationException or System.Net.Sockets.SocketException)
        {
            Console.Error.WriteLine($"chain {chain.ChainId}: cannot {(added ? "serve" : "stop serving")} it: {e.Message}");
        }
    });

    private async Task ServeAsync(MemberChain chain)
    {
        if (_stopped || _serverOptions is null) return;
        var dispatcher = new RpcDispatcher(new MemberChainBackend(chain), _serverOptions(chain.ChainId));
        var server = new JsonRpcServer(dispatcher);
        await server.StartAsync().ConfigureAwait(false);
        Cluster.SetEndpoints(chain.ChainId, server.HttpUrl, server.WebSocketUrl);
        lock (_endpoints)
        {
            _servers.Add((server, dispatcher));
            _endpoints.Add(new ClusterEndpoint(chain, server.Port, server.HttpUrl, server.WebSocketUrl));
        }
        Console.Out.WriteLine($"chain {chain.ChainId} joined the cluster: {server.HttpUrl} {server.WebSocketUrl}");
    }

    private async Task StopServingAsync(ulong chainId)
    {
        JsonRpcServer? server;
        lock (_endpoints)
        {
            var endpoint = _endpoints.FirstOrDefault(e => e.Chain.ChainId == chainId);
            _endpoints.RemoveAll(e => e.Chain.ChainId == chainId);
            server = _servers.FirstOrDefault(s => endpoint is not null && s.Server.HttpUrl == endpoint.HttpUrl).Server;
        }
        Console.Out.WriteLine($"chain {chainId} left the cluster");
        if (server is not null) await server.StopAsync().ConfigureAwait(false);
    }

    /// <summary>Stops accepting requests, lets in-flight ones finish, then stops the scheduler after its current slot.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await StopServersAsync(_servers).ConfigureAwait(false);
        await Cluster.StopAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        if (_disposed) return;
        await StopAsync().ConfigureAwait(false);
        _disposed = true;
        await DisposeServersAsync(_servers).ConfigureAwait(false);
        await Cluster.DisposeAsync().ConfigureAwait(false);
        foreach (var module in Cluster.Modules.OfType<IDisposable>()) module.Dispose();
        if (Parent is not null) await Parent.DisposeAsync().ConfigureAwait(false);
        _database?.Dispose();
    }

    private static ClusterDatabase OpenDatabase(string path)
    {
        try
        {
            return ClusterDatabase.Open(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The bare runtime message ("Could not find file ...") does not say what was being done.
            throw new IOException($"cannot open the cluster database {path}: {e.Message}", e);
        }
    }

    private static async Task StopServersAsync(List<(JsonRpcServer Server, RpcDispatcher Dispatcher)> servers)
    {
        // Every chain at once: a slow client on one must not hold the others open.
        await Task.WhenAll(servers.Select(s => s.Server.StopAsync())).ConfigureAwait(false);
    }

    private static async Task DisposeServersAsync(List<(JsonRpcServer Server, RpcDispatcher Dispatcher)> servers)
    {
        foreach (var (server, dispatcher) in servers)
        {
            await server.DisposeAsync().ConfigureAwait(false);
            dispatcher.Dispose();
        }
    }
}
