using System.CommandLine;
using System.Globalization;
using Thalamus.Chain;
using Thalamus.Cli.Hosting;
using Thalamus.Crypto;
using Thalamus.Storage;

namespace Thalamus.Cli.Commands;

/// <summary>
/// <c>thalamus devnet [--chains N]</c>: a local cluster of member chains in one process, each with
/// its own chain id and JSON-RPC endpoint, the dev accounts funded on every chain, and a table of
/// endpoints printed at start (like supersim). In memory unless <c>--data-dir</c> is given, in which
/// case every chain lives in one SQLite database and a restart resumes each at its head.
/// </summary>
public static class DevnetCommand
{
    public const int MaxChains = 64;

    public static Command Create()
    {
        var chains = new Option<int>("--chains", "-n") { Description = $"number of member chains (1 to {MaxChains})", DefaultValueFactory = _ => 3 };
        var baseChainId = new Option<ulong>("--base-chain-id") { Description = "chain id of the first chain; the others count up", DefaultValueFactory = _ => 901 };
        var basePort = new Option<int>("--base-port") { Description = "JSON-RPC port of the first chain; the others count up", DefaultValueFactory = _ => 9545 };
        var blockTime = new Option<double?>("--block-time", "-b") { Description = "seal a block every S seconds on every chain instead of one per transaction" };
        var dataDir = new Option<string?>("--data-dir") { Description = "keep the cluster in this directory (default: in memory)" };
        var accounts = new Option<int>("--accounts", "-a") { Description = "number of funded dev accounts", DefaultValueFactory = _ => 10 };
        var mnemonic = new Option<string?>("--mnemonic", "-m") { Description = "BIP-39 mnemonic of the dev accounts (default: anvil's test mnemonic)" };

        var command = new Command("devnet", "Start a local cluster of member chains with funded dev accounts; prints every endpoint.");
        foreach (var option in new Option[] { chains, baseChainId, basePort, blockTime, dataDir, accounts, mnemonic })
            command.Options.Add(option);
        command.SetAction(result =>
        {
            var count = result.GetValue(chains);
            var firstId = result.GetValue(baseChainId);
            var firstPort = result.GetValue(basePort);
            var seconds = result.GetValue(blockTime);
            var accountCount = result.GetValue(accounts);
            string? error =
                count is < 1 or > MaxChains ? $"--chains must be between 1 and {MaxChains}" :
                firstId == 0 || firstId > ulong.MaxValue - (ulong)count ? "--base-chain-id must be positive and leave room for every chain" :
                firstPort is < 0 or > 65535 || (firstPort > 0 && firstPort + count - 1 > 65535) ? "--base-port must leave room for every chain's port (0 picks free ports)" :
                seconds is { } s && (double.IsNaN(s) || s <= 0 || s > 86_400) ? "--block-time must be between 0 and 86400 seconds (exclusive of 0)" :
                accountCount is < 0 or > 1000 ? "--accounts must be between 0 and 1000" :
                null;
            if (error is not null)
            {
                Console.Error.WriteLine("error: " + error);
                return 2;
            }
            try
            {
                var devAccounts = DevAccounts.Derive(result.GetValue(mnemonic) ?? DevAccounts.DefaultMnemonic, accountCount);
                var blockInterval = seconds is { } t ? TimeSpan.FromSeconds(t) : TimeSpan.Zero;
                return RunAsync(count, firstId, firstPort, blockInterval, result.GetValue(dataDir), devAccounts).GetAwaiter().GetResult();
            }
            catch (Exception e) when (HostFailure.IsUserFacing(e))
            {
                Console.Error.WriteLine("error: " + HostFailure.Describe(e));
                return 1;
            }
        });
        return command;
    }

    private static async Task<int> RunAsync(int count, ulong firstChainId, int firstPort, TimeSpan blockTime, string? dataDir, IReadOnlyList<DevAccount> accounts)
    {
        using var signal = new ShutdownSignal();
        ClusterDatabase? database = dataDir is { Length: > 0 } ? ClusterDatabase.Open(Path.Combine(Path.GetFullPath(dataDir), "chains.db")) : null;
        var hosts = new List<ChainHost>(count);
        try
        {
            for (var i = 0; i < count; i++)
            {
                var chainId = firstChainId + (ulong)i;
                IChainStore store = database is null ? new MemoryChainStore() : database.GetChainStore(chainId);
                var settings = new ChainHostSettings
                {
                    ChainId = chainId,
                    Name = $"thalamus-devnet-{i}",
                    Port = firstPort == 0 ? 0 : firstPort + i,
                    BlockTime = blockTime,
                };
                hosts.Add(await ChainHost.StartAsync(settings, store, accounts, signal.Token).ConfigureAwait(false));
            }
            PrintBanner(hosts, accounts, blockTime, database is null ? "in memory" : Path.GetFullPath(dataDir!));
            await signal.WaitAsync().ConfigureAwait(false);
            Console.Error.WriteLine("shutting down: finishing in-flight requests...");
        }
        finally
        {
            foreach (var host in hosts) await host.DisposeAsync().ConfigureAwait(false);
            database?.Dispose();
        }
        return 0;
    }

    private static void PrintBanner(IReadOnlyList<ChainHost> hosts, IReadOnlyList<DevAccount> accounts, TimeSpan blockTime, string storage)
    {
        var o = Console.Out;
        o.WriteLine($"Thalamus devnet: {hosts.Count} member chains");
        o.WriteLine();
        o.WriteLine("Chains");
        o.WriteLine("==================");
        o.WriteLine($"{"chain id",-10} {"head",-8} {"HTTP",-26} WebSocket");
        foreach (var host in hosts)
            o.WriteLine($"{host.Chain.ChainId,-10} {"#" + host.Chain.Head.Number.ToString(CultureInfo.InvariantCulture),-8} {host.HttpUrl.ToString().TrimEnd('/'),-26} {host.WebSocketUrl.ToString().TrimEnd('/')}");
        o.WriteLine();
        o.WriteLine("Dev accounts (funded with 10000 ETH on every chain)");
        o.WriteLine("==================");
        for (var i = 0; i < accounts.Count; i++) o.WriteLine($"({i}) {accounts[i].Address.ToChecksumString()}  {accounts[i].PrivateKeyHex}");
        o.WriteLine();
        o.WriteLine($"Sealing:  {(blockTime > TimeSpan.Zero ? $"every {blockTime.TotalSeconds.ToString(CultureInfo.InvariantCulture)} s" : "automine (a block per transaction)")}");
        o.WriteLine($"Storage:  {storage}");
        o.WriteLine();
        o.WriteLine("Ready. Ctrl-C stops every chain.");
        o.Flush();
    }
}
