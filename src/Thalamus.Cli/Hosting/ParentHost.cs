using Thalamus.Chain;
using Thalamus.Cli.Configuration;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Rpc;
using Thalamus.Settlement;
using Thalamus.Storage;

namespace Thalamus.Cli.Hosting;

/// <summary>
/// The parent chain settlement posts to: the embedded one (a standalone <see cref="MemberChain"/> that automines and
/// seals at least every <see cref="SettlementLaunch.ParentBlockTime"/>, with its own JSON-RPC endpoint, kept in
/// <c>parent.db</c> beside the cluster's database), or a JSON-RPC endpoint (the poster is topped up from the first
/// dev account, which is anvil's own with the default mnemonic). Only the hosting lives here; the settlement logic is
/// in Thalamus.Settlement.
/// </summary>
public sealed class ParentHost : IAsyncDisposable
{
    private static readonly UInt256 PosterFloat = UInt256.FromBigInteger(System.Numerics.BigInteger.Pow(10, 20));

    private readonly JsonRpcServer? _server;
    private readonly RpcDispatcher? _dispatcher;
    private readonly IntervalSealer? _sealer;
    private readonly ClusterDatabase? _database;

    private ParentHost(IParentChain parent, Uri url, JsonRpcServer? server, RpcDispatcher? dispatcher, IntervalSealer? sealer, ClusterDatabase? database)
    {
        Parent = parent;
        Url = url;
        _server = server;
        _dispatcher = dispatcher;
        _sealer = sealer;
        _database = database;
    }

    public IParentChain Parent { get; }

    /// <summary>The parent's JSON-RPC endpoint (the embedded one's own, or the configured one).</summary>
    public Uri Url { get; }

    public bool Embedded => _server is not null;

    public static async Task<ParentHost> StartAsync(SettlementLaunch launch, ClusterLaunchSettings settings, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(launch);
        ArgumentNullException.ThrowIfNull(settings);
        var poster = ParentAccount.FromName(SettlementOptions.PosterName);
        if (launch.ParentRpc is { } url)
        {
            var remote = new JsonRpcParentChain(url);
            try
            {
                if (remote.BalanceOf(poster.Address) < PosterFloat && settings.Options.Accounts.Count > 0)
                    remote.Send(new ParentAccount(settings.Options.Accounts[0].PrivateKey), poster.Address, [], PosterFloat);
            }
            catch (ParentChainException e)
            {
                remote.Dispose();
                throw new InvalidOperationException($"parent.rpc {url}: {e.Message}", e);
            }
            return new ParentHost(remote, url, null, null, null, null);
        }

        ClusterDatabase? database = null;
        IChainStore? store = null;
        if (settings.DatabasePath is { } path)
        {
            database = ClusterDatabase.Open(Path.Combine(Path.GetDirectoryName(path)!, "parent.db"));
            store = database.GetChainStore(launch.ParentChainId);
        }
        var chain = InProcessParentChain.CreateChain([poster.Address, .. settings.Options.Accounts.Select(a => a.Address)], launch.ParentChainId,
            genesisTimestamp: (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds(), store: store);
        chain.SetIntervalMining(launch.ParentBlockTime);
        StandaloneChainServer served;
        try
        {
            served = await StandaloneChainServer.StartAsync(chain, settings.Host, launch.ParentPort, settings.Dev ? settings.Options.Accounts : [],
                "parent chain", cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            database?.Dispose();
            throw;
        }
        return new ParentHost(new InProcessParentChain(chain), served.Server.HttpUrl, served.Server, served.Dispatcher, served.Sealer, database);
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.StopAsync().ConfigureAwait(false);
            await _sealer!.DisposeAsync().ConfigureAwait(false);
            await _server.DisposeAsync().ConfigureAwait(false);
            _dispatcher!.Dispose();
        }
        (Parent as IDisposable)?.Dispose();
        _database?.Dispose();
    }
}
