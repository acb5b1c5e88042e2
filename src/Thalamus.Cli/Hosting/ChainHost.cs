using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Rpc;

namespace Thalamus.Cli.Hosting;

/// <summary>
/// One running member chain: the chain over its store, its JSON-RPC server (HTTP and WebSocket on
/// one port) and its interval sealer. <c>thalamus node</c> runs one; <c>thalamus devnet</c> several.
/// Stopping finishes in-flight requests and the block being sealed before returning.
/// </summary>
public sealed class ChainHost : IAsyncDisposable
{
    private readonly JsonRpcServer _server;
    private readonly RpcDispatcher _dispatcher;
    private readonly IntervalSealer _sealer;
    private bool _stopped;

    private ChainHost(MemberChain chain, RpcDispatcher dispatcher, JsonRpcServer server, IntervalSealer sealer, bool resumed)
    {
        Chain = chain;
        _dispatcher = dispatcher;
        _server = server;
        _sealer = sealer;
        Resumed = resumed;
    }

    public MemberChain Chain { get; }
    public bool Resumed { get; }
    public int Port => _server.Port;
    public Uri HttpUrl => _server.HttpUrl;
    public Uri WebSocketUrl => _server.WebSocketUrl;

    /// <summary>Opens the chain over <paramref name="store"/> (genesis on first use) and starts serving it.</summary>
    public static async Task<ChainHost> StartAsync(ChainHostSettings settings, IChainStore store, IReadOnlyList<DevAccount> accounts, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(store);
        var profile = new ChainProfile
        {
            ChainId = settings.ChainId,
            Name = settings.Name ?? $"thalamus-{settings.ChainId}",
            BlockTime = settings.BlockTime,
            BlockGasLimit = settings.GasLimit,
            RpcGasCap = settings.RpcGasCap,
        };
        var alloc = new Dictionary<Address, GenesisAccount>();
        foreach (var account in accounts) alloc[account.Address] = new GenesisAccount { Balance = settings.AccountBalanceWei };
        if (settings.LoadedState is { } loaded)
            foreach (var (address, account) in loaded) alloc[address] = account;
        var genesis = new GenesisConfig
        {
            ChainId = settings.ChainId,
            Timestamp = settings.GenesisTimestamp,
            GasLimit = settings.GasLimit,
            Alloc = alloc,
        };
        var resumed = store.HeadNumber is not null;
        var chain = new MemberChain(profile, genesis, store);
        var served = await StandaloneChainServer.StartAsync(chain, settings.Host, settings.Port, accounts, $"chain {settings.ChainId}", cancellationToken).ConfigureAwait(false);
        return new ChainHost(chain, served.Dispatcher, served.Server, served.Sealer, resumed);
    }

    /// <summary>Stops accepting requests, lets in-flight ones and the block being sealed finish.</summary>
    public async Task StopAsync()
    {
        if (_stopped) return;
        _stopped = true;
        await _server.StopAsync().ConfigureAwait(false);
        await _sealer.DisposeAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync().ConfigureAwait(false);
        await _server.DisposeAsync().ConfigureAwait(false);
        _dispatcher.Dispose();
    }
}
