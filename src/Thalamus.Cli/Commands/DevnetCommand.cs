using System.CommandLine;
using System.Net;
using Thalamus.Cli.Configuration;

namespace Thalamus.Cli.Commands;

/// <summary>
/// <c>thalamus devnet [--chains N] [--config cluster.yaml] ...</c>: a local node-cluster of member
/// chains in one process, each with its own chain id, profile and JSON-RPC endpoint, the dev
/// accounts funded on every chain, and a table of endpoints printed at start (like supersim). In
/// memory unless <c>--data-dir</c> (or the file's <c>dataDir</c>) is given; then every chain lives
/// in one SQLite database and a restart resumes each at its head. Flags override the file.
/// </summary>
public static class DevnetCommand
{
    public const int MaxChains = ClusterLaunchSettings.MaxFlagChains;

    public static Command Create()
    {
        var config = new Option<string?>("--config", "-c") { Description = "cluster.yaml to start from (see docs/cluster-config.md); flags override it" };
        var chains = new Option<int?>("--chains", "-n") { Description = $"number of member chains, 1 to {MaxChains} (default 3)" };
        var baseChainId = new Option<ulong?>("--base-chain-id") { Description = "chain id of the first chain; the others count up (default 901)" };
        var basePort = new Option<int?>("--base-port") { Description = "JSON-RPC port of the first chain; the others count up (default 9545; 0 picks free ports)" };
        var blockTime = new Option<string?>("--block-time", "-b") { Description = "every chain's block time: 2s, 500ms or seconds; 0 = automine (the default)" };
        var delta = new Option<string?>("--delta") { Description = "delivery bound for cross-chain messages (default: the largest block time, 1s when all automine)" };
        var ephemeral = new Option<bool>("--ephemeral") { Description = "keep everything in memory (the default without a data directory)" };
        var dataDir = new Option<string?>("--data-dir") { Description = "keep the cluster in this directory (chains.db); a restart resumes it" };
        var accounts = new Option<int?>("--accounts", "-a") { Description = "number of funded dev accounts (default 10)" };
        var mnemonic = new Option<string?>("--mnemonic", "-m") { Description = "BIP-39 mnemonic of the dev accounts (default: anvil's test mnemonic)" };
        var host = new Option<string?>("--host") { Description = "address every chain listens on (default 127.0.0.1)" };
        var rpcGasCap = RpcGasCapOption();
        var json = new Option<bool>("--json") { Description = "print the endpoints, accounts and predeploys as one line of JSON instead of the table" };
        var settle = new Option<bool>("--settle") { Description = "settle the cluster on a parent chain (embedded unless --parent-rpc; see docs/settlement.md)" };
        var parentRpc = new Option<string?>("--parent-rpc") { Description = "settle on this Ethereum JSON-RPC endpoint (e.g. anvil) instead of the embedded parent chain" };
        var parentPort = new Option<int?>("--parent-port") { Description = $"JSON-RPC port of the embedded parent chain (default {SettlementLaunch.DefaultParentPort}; 0 picks a free port)" };
        var slotsPerBatch = new Option<int?>("--slots-per-batch") { Description = "settlement slots (slots that sealed blocks) per batch (default 4)" };
        var challengeWindow = new Option<string?>("--challenge-window") { Description = "how long a batch can be challenged on the parent (default 10s)" };
        var faultSlot = new Option<ulong?>("--fault-slot") { Description = "fault injection: assert a wrong state root in the batch holding this settlement slot" };
        var faultKillInRollback = new Option<bool>("--fault-kill-in-rollback")
        {
            Description = "fault injection for crash tests: the node kills itself (SIGKILL) right after the first chain of a rollback is rewound; the next start finishes it",
        };
        var settlementContract = new Option<string?>("--settlement") { Description = "settle on this settlement contract (deployed by `thalamus settlement deploy` for the same configuration)" };
        var endpointsFile = new Option<string?>("--endpoints-file") { Description = "write that JSON to this file once every chain answers (deleted at a clean stop): run in the background and poll for it" };

        var loadState = new Option<string?>("--load-state") { Description = "start every new chain from this state dump: a cluster dump (--dump-state) or one chain's anvil state, given to every chain" };
        var dumpState = new Option<string?>("--dump-state") { Description = "at a clean stop, write every chain's state to this file (a cluster dump that --load-state reads)" };
        var fork = new Option<string[]>("--fork") { Description = "fork a member from a remote chain: CHAIN_ID=URL[@BLOCK] (the remote's chain id; its latest block by default); repeatable", AllowMultipleArgumentsPerToken = false };
        var command = new Command("devnet", "Start a local cluster of member chains with funded dev accounts; prints every endpoint.");
        foreach (var option in new Option[] { config, chains, baseChainId, basePort, blockTime, delta, ephemeral, dataDir, accounts, mnemonic, host, rpcGasCap, json, endpointsFile, loadState, dumpState, fork, settle, parentRpc, parentPort, slotsPerBatch, challengeWindow, faultSlot, faultKillInRollback, settlementContract })
            command.Options.Add(option);
        command.SetAction(result =>
        {
            ClusterLaunchSettings settings;
            try
            {
                var overrides = new ClusterOverrides
                {
                    Chains = result.GetValue(chains),
                    BaseChainId = result.GetValue(baseChainId),
                    BasePort = result.GetValue(basePort),
                    BlockTime = ParseDuration("--block-time", result.GetValue(blockTime)),
                    Delta = ParseDuration("--delta", result.GetValue(delta)),
                    Ephemeral = result.GetValue(ephemeral),
                    DataDirectory = result.GetValue(dataDir),
                    AccountCount = result.GetValue(accounts),
                    Mnemonic = result.GetValue(mnemonic),
                    Host = ParseHost(result.GetValue(host)),
                    RpcGasCap = result.GetValue(rpcGasCap),
                    LoadStatePath = result.GetValue(loadState),
                    DumpStatePath = result.GetValue(dumpState),
                    Forks = ParseForks(result.GetValue(fork)),
                    Settle = result.GetValue(settle),
                    ParentRpc = result.GetValue(parentRpc) is { } rpc
                        ? Uri.TryCreate(rpc, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https" ? uri : throw new ClusterConfigException($"--parent-rpc {rpc} is not an http(s) URL")
                        : null,
                    ParentPort = result.GetValue(parentPort),
                    SlotsPerBatch = result.GetValue(slotsPerBatch),
                    ChallengeWindow = ParseDuration("--challenge-window", result.GetValue(challengeWindow)),
                    FaultSlot = result.GetValue(faultSlot),
                    FaultKillInRollback = result.GetValue(faultKillInRollback),
                    SettlementContract = result.GetValue(settlementContract) is { } contract
                        ? Core.Address.TryParse(contract, out var address) ? address : throw new ClusterConfigException($"--settlement {contract} is not an address")
                        : null,
                };
                var file = result.GetValue(config) is { } path ? ClusterConfigReader.Load(path) : null;
                settings = ClusterLaunchSettings.Resolve(file, overrides);
            }
            catch (ClusterConfigException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 2;
            }
            return ClusterRunner.Run(settings, json: result.GetValue(json), endpointsFile: result.GetValue(endpointsFile));
        });
        return command;
    }

    /// <summary><c>--fork CHAIN_ID=URL[@BLOCK]</c> values; throws <see cref="ClusterConfigException"/> for a malformed one.</summary>
    public static IReadOnlyList<KeyValuePair<ulong, ForkSpec>> ParseForks(string[]? values)
    {
        var forks = new List<KeyValuePair<ulong, ForkSpec>>();
        foreach (var text in values ?? [])
        {
            if (!ForkSpec.TryParse(text, out var id, out var spec, out var why)) throw new ClusterConfigException($"--fork {text}: {why}");
            if (forks.Any(f => f.Key == id)) throw new ClusterConfigException($"--fork names chain {id} twice");
            forks.Add(new(id, spec!));
        }
        return forks;
    }

    /// <summary>A duration flag (null when not given); throws <see cref="ClusterConfigException"/> naming the flag.</summary>
    public static TimeSpan? ParseDuration(string flag, string? text)
    {
        if (text is null) return null;
        if (!DurationText.TryParse(text, out var duration))
            throw new ClusterConfigException($"{flag} '{text}' is not {DurationText.Expected} (between 0 and 1 day)");
        return duration;
    }

    /// <summary><c>--rpc-gas-cap</c>, the same on <c>devnet</c> and <c>node</c> (null when not given).</summary>
    public static Option<ulong?> RpcGasCapOption() => new("--rpc-gas-cap")
    {
        Description = $"most gas one eth_call, eth_estimateGas or eth_createAccessList may use; 0 = the block gas limit (default {Chain.ChainProfile.DefaultRpcGasCap}, as geth)",
    };

    public static IPAddress? ParseHost(string? text) =>
        text is null ? null :
        IPAddress.TryParse(text, out var address) ? address :
        throw new ClusterConfigException($"--host {text} is not an IP address");
}
