using System.Globalization;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Cli.Configuration;
using Thalamus.Cli.Hosting;
using Thalamus.Storage;

namespace Thalamus.Cli.Commands;

/// <summary>
/// Runs <c>thalamus node</c>: opens (or creates) the chain, starts the JSON-RPC server and the
/// interval sealer, prints the endpoint and the dev accounts, and on SIGINT/SIGTERM stops in
/// order: no new requests, in-flight requests and the block being sealed finish, then the
/// database closes.
/// </summary>
public static class NodeRunner
{
    public static int Run(NodeSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        try
        {
            return RunAsync(settings).GetAwaiter().GetResult();
        }
        catch (Cli.Configuration.ClusterConfigException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
        catch (Exception e) when (HostFailure.IsUserFacing(e))
        {
            Console.Error.WriteLine("error: " + HostFailure.Describe(e));
            return 1;
        }
    }

    private static async Task<int> RunAsync(NodeSettings settings)
    {
        var accounts = DevAccounts.Derive(settings.Mnemonic ?? DevAccounts.DefaultMnemonic, settings.AccountCount);
        using var signal = new ShutdownSignal();

        ClusterDatabase? database = null;
        try
        {
            IChainStore store;
            if (settings.Ephemeral)
            {
                store = new MemoryChainStore();
            }
            else
            {
                database = ClusterDatabase.Open(Path.Combine(settings.ResolvedDataDirectory, "chains.db"));
                store = database.GetChainStore(settings.ChainId);
            }
            var hostSettings = new ChainHostSettings
            {
                ChainId = settings.ChainId,
                Host = settings.Host,
                Port = settings.Port,
                BlockTime = settings.BlockTime,
                GasLimit = settings.GasLimit,
                RpcGasCap = settings.RpcGasCap,
                AccountBalanceWei = settings.AccountBalanceWei,
                LoadedState = settings.LoadStatePath is { } load ? StateDumpFile.ReadForChains(load, [settings.ChainId]).GetValueOrDefault(settings.ChainId) : null,
            };
            await using var host = await ChainHost.StartAsync(hostSettings, store, accounts, signal.Token).ConfigureAwait(false);
            var chain = host.Chain;
            PrintBanner(settings, chain, accounts, host, host.Resumed);
            await signal.WaitAsync().ConfigureAwait(false);

            Console.Error.WriteLine("shutting down: finishing in-flight requests...");
            await host.StopAsync().ConfigureAwait(false);
            var head = chain.Head;
            Console.Error.WriteLine($"stopped at block #{head.Number} {head.Hash}");
            if (settings.DumpStatePath is { } dumpPath)
            {
                StateDumpFile.WriteChain(dumpPath, chain);
                Console.Error.WriteLine($"state written to {dumpPath}");
            }
        }
        finally
        {
            database?.Dispose();
        }
        return 0;
    }

    private static void PrintBanner(NodeSettings settings, MemberChain chain, IReadOnlyList<DevAccount> accounts, ChainHost server, bool resumed)
    {
        var o = Console.Out;
        if (!settings.Quiet)
        {
            o.WriteLine($"Thalamus member chain {settings.ChainId}");
            o.WriteLine();
            o.WriteLine("Available Accounts");
            o.WriteLine("==================");
            var eth = EthText(settings.AccountBalanceWei);
            for (var i = 0; i < accounts.Count; i++) o.WriteLine($"({i}) {accounts[i].Address.ToChecksumString()} ({eth} ETH at genesis)");
            o.WriteLine();
            o.WriteLine("Private Keys");
            o.WriteLine("==================");
            for (var i = 0; i < accounts.Count; i++) o.WriteLine($"({i}) {accounts[i].PrivateKeyHex}");
            o.WriteLine();
            o.WriteLine("Wallet");
            o.WriteLine("==================");
            o.WriteLine($"Mnemonic:          {settings.Mnemonic ?? DevAccounts.DefaultMnemonic}");
            o.WriteLine($"Derivation path:   {DevAccounts.DefaultDerivationPath}/");
            o.WriteLine();
            o.WriteLine($"Chain ID:          {settings.ChainId}");
            o.WriteLine($"Block gas limit:   {settings.GasLimit}");
            o.WriteLine($"RPC gas cap:       {(settings.RpcGasCap == 0 ? "the block gas limit" : settings.RpcGasCap)} (eth_call, eth_estimateGas, eth_createAccessList)");
            o.WriteLine($"Sealing:           {(settings.BlockTime > TimeSpan.Zero ? $"every {settings.BlockTimeSeconds!.Value.ToString(CultureInfo.InvariantCulture)} s" : "automine (a block per transaction)")}");
            o.WriteLine($"Storage:           {(settings.Ephemeral ? "in memory (--ephemeral)" : Path.Combine(settings.ResolvedDataDirectory, "chains.db"))}");
            var head = chain.Head;
            o.WriteLine($"Head:              #{head.Number} {head.Hash}{(resumed ? " (resumed)" : " (new genesis)")}");
            o.WriteLine();
            o.WriteLine($"HTTP:              {server.HttpUrl.ToString().TrimEnd('/')}");
            o.WriteLine($"WebSocket:         {server.WebSocketUrl.ToString().TrimEnd('/')}");
            o.WriteLine();
        }
        // anvil prints this line last; scripts wait for it.
        o.WriteLine($"Listening on {settings.Host}:{server.Port}");
        o.Flush();
    }

    private static string EthText(UInt256 wei)
    {
        var value = wei.ToBigInteger();
        var whole = System.Numerics.BigInteger.DivRem(value, System.Numerics.BigInteger.Pow(10, 18), out var fraction);
        return fraction.IsZero ? whole.ToString(CultureInfo.InvariantCulture) : ((decimal)value / 1_000_000_000_000_000_000m).ToString(CultureInfo.InvariantCulture);
    }
}
