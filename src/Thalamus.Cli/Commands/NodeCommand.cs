using System.CommandLine;
using Thalamus.Cli.Configuration;

namespace Thalamus.Cli.Commands;

/// <summary>
/// <c>thalamus node --chain-id N --port P --data-dir D [--block-time S | --automine] [--ephemeral]</c>:
/// one member chain with its JSON-RPC endpoint (HTTP and WebSocket on one port), funded dev
/// accounts, SQLite persistence (or memory with --ephemeral). Ctrl-C / SIGTERM stop it cleanly.
/// <c>thalamus node --config cluster.yaml</c> runs a whole node-cluster from the file instead, the
/// same as <c>thalamus devnet --config</c>.
/// </summary>
public static class NodeCommand
{
    public static Command Create()
    {
        var chainId = new Option<ulong>("--chain-id") { Description = "chain id (EIP-155)", DefaultValueFactory = _ => 31337 };
        var host = new Option<string>("--host") { Description = "address to listen on (127.0.0.1 unless you mean to expose the node)", DefaultValueFactory = _ => "127.0.0.1" };
        var port = new Option<int>("--port", "-p") { Description = "JSON-RPC port, HTTP and WebSocket (0 picks a free one)", DefaultValueFactory = _ => 8545 };
        var dataDir = new Option<string?>("--data-dir") { Description = "directory of the chain database (default ~/.thalamus/node)" };
        var blockTime = new Option<double?>("--block-time", "-b") { Description = "seal a block every S seconds (interval mining) instead of one per transaction" };
        var automine = new Option<bool>("--automine") { Description = "seal a block per transaction, like anvil (the default)" };
        var ephemeral = new Option<bool>("--ephemeral") { Description = "keep everything in memory; nothing is written to disk" };
        var accounts = new Option<int>("--accounts", "-a") { Description = "number of funded dev accounts", DefaultValueFactory = _ => 10 };
        var balance = new Option<string>("--balance") { Description = "balance of each dev account, in ETH", DefaultValueFactory = _ => "10000" };
        var mnemonic = new Option<string?>("--mnemonic", "-m") { Description = "BIP-39 mnemonic the dev accounts derive from (default: anvil's test mnemonic)" };
        var gasLimit = new Option<ulong>("--gas-limit") { Description = "block gas limit", DefaultValueFactory = _ => 30_000_000 };
        var quiet = new Option<bool>("--quiet", "-q") { Description = "print only the endpoint line" };
        var config = new Option<string?>("--config", "-c") { Description = "run the node-cluster described by this cluster.yaml (see docs/cluster-config.md)" };
        var rpcGasCap = DevnetCommand.RpcGasCapOption();
        var loadState = new Option<string?>("--load-state") { Description = "start a new genesis from this state dump (anvil's JSON, or a cluster dump's entry for this chain)" };
        var dumpState = new Option<string?>("--dump-state") { Description = "at a clean stop, write the chain's state to this file in anvil's format (with --config: every chain's, as a cluster dump)" };

        var command = new Command("node", "Run a member chain with JSON-RPC over HTTP and WebSocket, funded dev accounts and SQLite persistence.");
        foreach (var option in new Option[] { chainId, host, port, dataDir, blockTime, automine, ephemeral, accounts, balance, mnemonic, gasLimit, quiet, config, rpcGasCap, loadState, dumpState })
            command.Options.Add(option);
        command.SetAction(result =>
        {
            if (result.GetValue(config) is { } configPath)
                return RunCluster(result, configPath, [chainId, port, automine, balance, gasLimit], host, dataDir, blockTime, ephemeral, accounts, mnemonic, quiet, rpcGasCap, loadState, dumpState);
            var settings = new NodeSettings
            {
                ChainId = result.GetValue(chainId),
                Port = result.GetValue(port),
                DataDirectory = result.GetValue(dataDir),
                BlockTimeSeconds = result.GetValue(blockTime),
                Automine = result.GetValue(automine),
                Ephemeral = result.GetValue(ephemeral),
                AccountCount = result.GetValue(accounts),
                Mnemonic = result.GetValue(mnemonic),
                GasLimit = result.GetValue(gasLimit),
                RpcGasCap = result.GetValue(rpcGasCap) ?? Chain.ChainProfile.DefaultRpcGasCap,
                Quiet = result.GetValue(quiet),
                LoadStatePath = result.GetValue(loadState),
                DumpStatePath = result.GetValue(dumpState),
            };
            var error = settings.Validate(result.GetValue(host) ?? "", result.GetValue(balance) ?? "");
            if (error is not null)
            {
                Console.Error.WriteLine("error: " + error);
                return 2;
            }
            return NodeRunner.Run(settings);
        });
        return command;
    }

    /// <summary><c>node --config</c>: the cluster from the file; the single-chain flags that still make sense override it.</summary>
    private static int RunCluster(
        ParseResult result, string configPath, Option[] singleChainOnly, Option<string> host, Option<string?> dataDir,
        Option<double?> blockTime, Option<bool> ephemeral, Option<int> accounts, Option<string?> mnemonic, Option<bool> quiet, Option<ulong?> rpcGasCap,
        Option<string?> loadState, Option<string?> dumpState)
    {
        ClusterLaunchSettings settings;
        try
        {
            foreach (var option in singleChainOnly)
                if (IsGiven(result, option))
                    throw new ClusterConfigException($"{option.Name} cannot be combined with --config: set it in the file (see docs/cluster-config.md)");
            if (result.GetValue(blockTime) is { } seconds && (double.IsNaN(seconds) || seconds < 0 || seconds > 86_400))
                throw new ClusterConfigException("--block-time must be between 0 and 86400 seconds");
            var overrides = new ClusterOverrides
            {
                Host = IsGiven(result, host) ? DevnetCommand.ParseHost(result.GetValue(host)) : null,
                DataDirectory = result.GetValue(dataDir),
                BlockTime = result.GetValue(blockTime) is { } s ? TimeSpan.FromMilliseconds(Math.Round(s * 1000)) : null,
                Ephemeral = result.GetValue(ephemeral),
                AccountCount = IsGiven(result, accounts) ? result.GetValue(accounts) : null,
                Mnemonic = result.GetValue(mnemonic),
                DevByDefault = false, // production unless the file says dev: true
                RpcGasCap = result.GetValue(rpcGasCap),
                LoadStatePath = result.GetValue(loadState),
                DumpStatePath = result.GetValue(dumpState),
            };
            settings = ClusterLaunchSettings.Resolve(ClusterConfigReader.Load(configPath), overrides);
        }
        catch (ClusterConfigException e)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return 2;
        }
        return ClusterRunner.Run(settings, result.GetValue(quiet));
    }

    /// <summary>True when the user typed the option (not just its default).</summary>
    private static bool IsGiven(ParseResult result, Option option) => result.GetResult(option) is { Implicit: false };
}
