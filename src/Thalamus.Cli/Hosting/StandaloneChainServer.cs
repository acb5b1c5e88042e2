using Thalamus.Chain;
using Thalamus.Crypto;
using Thalamus.Rpc;

namespace Thalamus.Cli.Hosting;

/// <summary>
/// One chain outside a cluster served on its own JSON-RPC endpoint and sealed on its own interval: what
/// <c>thalamus node</c> (<see cref="ChainHost"/>) and the devnet's embedded parent chain (<see cref="ParentHost"/>) both run.
/// </summary>
internal sealed record StandaloneChainServer(RpcDispatcher Dispatcher, JsonRpcServer Server, IntervalSealer Sealer)
{
    /// <summary>Starts the endpoint, then the sealer; <paramref name="label"/> names the chain in error lines (e.g. "chain 1").</summary>
    public static async Task<StandaloneChainServer> StartAsync(MemberChain chain, System.Net.IPAddress host, int port, IReadOnlyList<DevAccount> unlocked,
        string label, CancellationToken cancellationToken)
    {
        var options = new RpcServerOptions
        {
            Host = host,
            Port = port,
            Accounts = unlocked.Select(a => new UnlockedAccount(a.Address, a.PrivateKey)).ToArray(),
            OnInternalError = e => Console.Error.WriteLine($"{label}: internal error: {e}"),
        };
        var dispatcher = new RpcDispatcher(new MemberChainBackend(chain), options);
        var server = new JsonRpcServer(dispatcher);
        try
        {
            await server.StartAsync(cancellationToken).ConfigureAwait(false);
        }
        catch
        {
            await server.DisposeAsync().ConfigureAwait(false);
            dispatcher.Dispose();
            throw;
        }
        var sealer = new IntervalSealer(chain);
        sealer.Error += e => Console.Error.WriteLine($"{label}: sealing failed: {e.Message}");
        sealer.Start();
        return new StandaloneChainServer(dispatcher, server, sealer);
    }
}
