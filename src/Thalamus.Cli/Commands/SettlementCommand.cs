using System.CommandLine;
using Thalamus.Cli.Configuration;
using Thalamus.Cli.Hosting;
using Thalamus.Cluster;
using Thalamus.Core;
using Thalamus.Settlement;

namespace Thalamus.Cli.Commands;

/// <summary>
/// <c>thalamus settlement deploy --parent URL --key HEX --config cluster.yaml</c>: deploys the settlement contract on any
/// parent chain for the cluster the configuration describes (its genesis commitment: every chain's profile and genesis,
/// with the protocol modules' predeploys) and prints its address; <c>devnet --config cluster.yaml --settlement ADDRESS</c>
/// then settles on it. The genesis must be reproducible: the file fixes <c>genesisTimestamp</c>.
/// Exit codes: 0 (deployed), 1 (the parent refused or did not answer), 2 (bad arguments).
/// </summary>
public static class SettlementCommand
{
    public static Command Create()
    {
        var parent = new Option<string>("--parent") { Description = "the parent chain's JSON-RPC URL", Required = true };
        var key = new Option<string>("--key") { Description = "a funded parent key that sends the deployment", Required = true };
        var config = new Option<string?>("--config", "-c") { Description = "the cluster.yaml the devnet will run (it must fix genesisTimestamp)" };
        var chains = new Option<int?>("--chains", "-n") { Description = "number of member chains, as devnet's flag" };
        var baseChainId = new Option<ulong?>("--base-chain-id") { Description = "chain id of the first chain, as devnet's flag" };
        var accounts = new Option<int?>("--accounts", "-a") { Description = "number of funded dev accounts, as devnet's flag" };
        var mnemonic = new Option<string?>("--mnemonic", "-m") { Description = "BIP-39 mnemonic of the dev accounts, as devnet's flag" };
        var challengeWindow = new Option<string?>("--challenge-window") { Description = "how long a batch can be challenged (default: the file's, else 10s)" };
        var deploy = new Command("deploy", "Deploy the settlement contract on a parent chain for a cluster configuration; prints its address.");
        foreach (var option in new Option[] { parent, key, config, chains, baseChainId, accounts, mnemonic, challengeWindow }) deploy.Options.Add(option);
        deploy.SetAction(result =>
        {
            Uri url;
            ParentAccount deployer;
            ClusterLaunchSettings settings;
            try
            {
                url = Uri.TryCreate(result.GetValue(parent), UriKind.Absolute, out var u) && u.Scheme is "http" or "https"
                    ? u : throw new ClusterConfigException($"--parent {result.GetValue(parent)} is not an http(s) URL");
                deployer = Hex.TryDecode(result.GetValue(key)!, out var bytes) && bytes.Length == 32
                    ? new ParentAccount(bytes) : throw new ClusterConfigException("--key is not a 32-byte hex key");
                var file = result.GetValue(config) is { } path ? ClusterConfigReader.Load(path) : null;
                if (file?.GenesisTimestamp is null)
                    throw new ClusterConfigException("the contract commits to the cluster's genesis, whose timestamp must be fixed: give --config with a cluster.yaml that sets genesisTimestamp");
                settings = ClusterLaunchSettings.Resolve(file, new ClusterOverrides
                {
                    Chains = result.GetValue(chains),
                    BaseChainId = result.GetValue(baseChainId),
                    AccountCount = result.GetValue(accounts),
                    Mnemonic = result.GetValue(mnemonic),
                    Settle = true,
                    ChallengeWindow = DevnetCommand.ParseDuration("--challenge-window", result.GetValue(challengeWindow)),
                    Ephemeral = true,
                });
            }
            catch (ClusterConfigException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return 2;
            }
            try
            {
                var (address, commitment) = Deploy(url, deployer, settings);
                Console.Error.WriteLine($"settlement contract for genesis {commitment} deployed on chain at {url}; run: devnet --config … --parent-rpc {url} --settlement {address.ToChecksumString()}");
                Console.Out.WriteLine(address.ToChecksumString());
                return 0;
            }
            catch (ParentChainException e)
            {
                Console.Error.WriteLine("error: the parent refused the deployment: " + e.Message);
                return 1;
            }
        });
        var command = new Command("settlement", "Joint settlement on a parent chain (see docs/settlement.md).");
        command.Subcommands.Add(deploy);
        return command;
    }

    /// <summary>
    /// Deploys the contract for the cluster <paramref name="settings"/> describe: its genesis commitment is the one the
    /// node's settlement module computes (a cluster built in memory with the same options and protocol modules).
    /// </summary>
    public static (Address Address, Hash256 GenesisCommitment) Deploy(Uri parentUrl, ParentAccount deployer, ClusterLaunchSettings settings)
    {
        ArgumentNullException.ThrowIfNull(settings);
        var launch = settings.Settlement ?? new SettlementLaunch();
        var modules = ProtocolModules.Create(settings, parent: null);
        Hash256 commitment;
        var cluster = NodeCluster.Create(settings.Options, null, modules);
        try
        {
            commitment = Keccak256.Compute(GenesisCodec.Encode([.. cluster.Chains.Select(c => new ChainSpec(c.Profile, cluster.GenesisOf(c.ChainId)))]));
        }
        finally
        {
            cluster.DisposeAsync().AsTask().GetAwaiter().GetResult();
            foreach (var module in modules) (module as IDisposable)?.Dispose();
        }
        using var parent = new JsonRpcParentChain(parentUrl);
        var terms = new SettlementTerms
        {
            ChallengeWindowSeconds = (ulong)launch.ChallengeWindow.TotalSeconds,
            ArbitrationTimeoutSeconds = (ulong)launch.ArbitrationTimeout.TotalSeconds,
        };
        var contract = SettlementContract.Deploy(parent, deployer, ParentAccount.FromName(SettlementOptions.PosterName).Address, terms, commitment);
        return (contract.Address, commitment);
    }
}
