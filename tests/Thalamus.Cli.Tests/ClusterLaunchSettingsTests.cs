using System.Net;
using Thalamus.Cli.Configuration;
using Thalamus.Crypto;
using Xunit;

namespace Thalamus.Cli.Tests;

/// <summary>How the command-line flags combine with cluster.yaml (flags win) and the devnet defaults.</summary>
public sealed class ClusterLaunchSettingsTests
{
    private const string OtherMnemonic = "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about";

    private static ClusterConfigFile File(string yaml) => ClusterConfigReader.Parse(yaml, "c.yaml", "/base", "/base/c.yaml");

    [Fact]
    public void Without_a_file_devnet_runs_three_automine_chains_in_memory()
    {
        var settings = ClusterLaunchSettings.Resolve(null, new ClusterOverrides());
        Assert.Equal([901UL, 902UL, 903UL], settings.Options.Chains.Select(c => c.ChainId));
        Assert.All(settings.Options.Chains, c => Assert.Equal(TimeSpan.Zero, c.BlockTime));
        Assert.Equal([9545, 9546, 9547], settings.Options.Chains.Select(c => settings.PortOf(c.ChainId)));
        Assert.Null(settings.DatabasePath);
        Assert.Equal(IPAddress.Loopback, settings.Host);
        Assert.Equal(10, settings.Options.Accounts.Count);
        Assert.Equal(DevAccounts.Derive(count: 1)[0].Address, settings.Options.Accounts[0].Address);
        Assert.Null(settings.ConfigPath);
    }

    [Fact]
    public void Flags_alone_choose_count_ids_ports_and_storage()
    {
        var settings = ClusterLaunchSettings.Resolve(null, new ClusterOverrides
        {
            Chains = 2, BaseChainId = 10, BasePort = 0, BlockTime = TimeSpan.FromSeconds(2), Delta = TimeSpan.FromSeconds(4),
            DataDirectory = "some-dir", AccountCount = 3, Mnemonic = OtherMnemonic, Host = IPAddress.IPv6Loopback,
        });
        Assert.Equal([10UL, 11UL], settings.Options.Chains.Select(c => c.ChainId));
        Assert.All(settings.Options.Chains, c => Assert.Equal(0, settings.PortOf(c.ChainId)));
        Assert.All(settings.Options.Chains, c => Assert.Equal(TimeSpan.FromSeconds(2), c.BlockTime));
        Assert.Equal(TimeSpan.FromSeconds(4), settings.Options.EffectiveDelta);
        Assert.Equal(Path.Combine(Path.GetFullPath("some-dir"), "chains.db"), settings.DatabasePath);
        Assert.Equal(DevAccounts.Derive(OtherMnemonic, 3).Select(a => a.Address), settings.Options.Accounts.Select(a => a.Address));
        Assert.Equal(IPAddress.IPv6Loopback, settings.Host);
    }

    [Fact]
    public void The_file_is_used_where_no_flag_is_given()
    {
        var settings = ClusterLaunchSettings.Resolve(File("""
            delta: 5s
            dataDir: data
            basePort: 8000
            genesisTimestamp: 1700000000
            deliveryGasLimit: 2000000
            deliveryGasBudget: 6000000
            crossCallGasCap: 3000000
            maxCrossCallDepth: 4
            accounts: { count: 2, balanceEth: 1 }
            chains:
              - { chainId: 901, name: alpha, blockTime: 1s, gasLimit: 40000000, maxTransactionBytes: 65536 }
              - { chainId: 950, blockTime: 2s, port: 8100 }
            """), new ClusterOverrides());
        var options = settings.Options;
        Assert.Equal("/base/c.yaml", settings.ConfigPath);
        Assert.Equal(TimeSpan.FromSeconds(5), options.EffectiveDelta);
        Assert.Equal(Path.Combine(Path.GetFullPath("/base/data"), "chains.db"), settings.DatabasePath);
        Assert.Equal(8000, settings.PortOf(901));
        Assert.Equal(8100, settings.PortOf(950));
        Assert.Equal(1_700_000_000UL, options.GenesisTimestamp);
        Assert.Equal(2_000_000UL, options.DeliveryGasLimit);
        Assert.Equal(6_000_000UL, options.DeliveryGasBudget);
        Assert.Equal(3_000_000L, options.CrossCallGasCap);
        Assert.Equal(4, options.MaxCrossCallDepth);
        Assert.Equal(2, options.Accounts.Count);
        Assert.Equal(ClusterConfigFile.EthToWei(1), options.AccountBalanceWei);
        var alpha = options.Chains[0];
        Assert.Equal("alpha", alpha.Name);
        Assert.Equal(TimeSpan.FromSeconds(1), alpha.BlockTime);
        Assert.Equal(40_000_000UL, alpha.GasLimit);
        Assert.Equal(65536, alpha.MaxTransactionBytes);
        Assert.Equal(TimeSpan.FromSeconds(2), options.Chains[1].BlockTime);
    }

    [Fact]
    public void Flags_override_the_file()
    {
        var file = File("""
            delta: 5s
            dataDir: data
            basePort: 8000
            accounts: { count: 2 }
            chains:
              - { chainId: 901, blockTime: 1s }
              - { chainId: 902, blockTime: 2s, port: 8100 }
            """);
        var settings = ClusterLaunchSettings.Resolve(file, new ClusterOverrides
        {
            BlockTime = TimeSpan.FromMilliseconds(500), Delta = TimeSpan.FromSeconds(1), BasePort = 0, Ephemeral = true,
            AccountCount = 5, Mnemonic = OtherMnemonic,
        });
        Assert.All(settings.Options.Chains, c => Assert.Equal(TimeSpan.FromMilliseconds(500), c.BlockTime));
        Assert.Equal(TimeSpan.FromSeconds(1), settings.Options.EffectiveDelta);
        // --base-port replaces the chains' own ports too.
        Assert.Equal(0, settings.PortOf(901));
        Assert.Equal(0, settings.PortOf(902));
        Assert.Null(settings.DatabasePath);
        Assert.Equal(DevAccounts.Derive(OtherMnemonic, 5).Select(a => a.Address), settings.Options.Accounts.Select(a => a.Address));

        var elsewhere = ClusterLaunchSettings.Resolve(File("ephemeral: true\nchains:\n  - chainId: 1\n"), new ClusterOverrides { DataDirectory = "/elsewhere" });
        Assert.Equal(Path.Combine("/elsewhere", "chains.db"), elsewhere.DatabasePath);
    }

    [Fact]
    public void The_rpc_gas_cap_reaches_every_chain_from_the_file_or_the_flag()
    {
        var file = File("rpcGasCap: 0\nchains:\n  - chainId: 901\n  - chainId: 902\n");
        var fromFile = ClusterLaunchSettings.Resolve(file, new ClusterOverrides());
        Assert.All(fromFile.Options.Chains, c => Assert.Equal(0UL, c.RpcGasCap));

        var fromFlag = ClusterLaunchSettings.Resolve(file, new ClusterOverrides { RpcGasCap = 1_000_000_000 });
        Assert.All(fromFlag.Options.Chains, c => Assert.Equal(1_000_000_000UL, c.RpcGasCap));

        var devnet = ClusterLaunchSettings.Resolve(null, new ClusterOverrides());
        Assert.All(devnet.Options.Chains, c => Assert.Equal(50_000_000UL, c.RpcGasCap));

        var e = Assert.Throws<ClusterConfigException>(() => ClusterLaunchSettings.Resolve(null, new ClusterOverrides { RpcGasCap = 5 }));
        Assert.Equal("--rpc-gas-cap 5 is below a plain transfer's 21000 gas (0 means the block gas limit)", e.Message);
    }

    [Fact]
    public void Chain_count_flags_cannot_rewrite_a_files_chain_list()
    {
        var e = Assert.Throws<ClusterConfigException>(() => ClusterLaunchSettings.Resolve(File("chains:\n  - chainId: 1\n"), new ClusterOverrides { Chains = 4 }));
        Assert.Contains("--chains", e.Message);
        Assert.Contains("/base/c.yaml", e.Message);
    }

    [Fact]
    public void A_file_without_chains_takes_them_from_the_flags()
    {
        var settings = ClusterLaunchSettings.Resolve(File("delta: 3s\n"), new ClusterOverrides { Chains = 4, BaseChainId = 100 });
        Assert.Equal([100UL, 101UL, 102UL, 103UL], settings.Options.Chains.Select(c => c.ChainId));
    }

    [Theory]
    [InlineData(0, null, null, "--chains")]
    [InlineData(65, null, null, "--chains")]
    [InlineData(3, 0UL, null, "--base-chain-id")]
    [InlineData(3, ulong.MaxValue, null, "--base-chain-id")]
    [InlineData(3, null, 65534, "--base-port")]
    [InlineData(3, null, -1, "--base-port")]
    public void Bad_flag_values_name_the_flag(int chains, ulong? baseChainId, int? basePort, string flag)
    {
        var e = Assert.Throws<ClusterConfigException>(() => ClusterLaunchSettings.Resolve(null, new ClusterOverrides { Chains = chains, BaseChainId = baseChainId, BasePort = basePort }));
        Assert.Contains(flag, e.Message);
    }

    [Fact]
    public void Ephemeral_and_a_data_dir_exclude_each_other()
    {
        var e = Assert.Throws<ClusterConfigException>(() => ClusterLaunchSettings.Resolve(null, new ClusterOverrides { Ephemeral = true, DataDirectory = "d" }));
        Assert.Contains("--ephemeral", e.Message);
    }

    [Fact]
    public void A_bad_mnemonic_flag_is_a_configuration_error()
    {
        var e = Assert.Throws<ClusterConfigException>(() => ClusterLaunchSettings.Resolve(null, new ClusterOverrides { Mnemonic = "one two three" }));
        Assert.StartsWith("--mnemonic: ", e.Message);
    }

    [Fact]
    public void The_clusters_own_rules_are_checked_before_anything_starts()
    {
        // Delta shorter than a block time: that chain's next block could come too late.
        var e = Assert.Throws<ClusterConfigException>(() =>
            ClusterLaunchSettings.Resolve(File("delta: 1s\nchains:\n  - { chainId: 1, blockTime: 2s }\n"), new ClusterOverrides()));
        Assert.StartsWith("/base/c.yaml: ", e.Message);
        Assert.Contains("delta", e.Message);

        var gas = Assert.Throws<ClusterConfigException>(() =>
            ClusterLaunchSettings.Resolve(File("chains:\n  - { chainId: 1, gasLimit: 1000000 }\n"), new ClusterOverrides()));
        Assert.Contains("gas limit", gas.Message);

        Assert.Throws<ClusterConfigException>(() => ClusterLaunchSettings.Resolve(null, new ClusterOverrides { Delta = TimeSpan.Zero }));
    }

    [Fact]
    public void Devnet_is_dev_by_default_and_node_config_is_production_unless_the_file_says_dev_true()
    {
        var devnet = ClusterLaunchSettings.Resolve(null, new ClusterOverrides());
        Assert.True(devnet.Dev);
        Assert.True(devnet.Access.Serves("anvil"));
        Assert.True(devnet.Access.ServesOperatorMethods);

        var node = ClusterLaunchSettings.Resolve(File("delta: 1s\n"), new ClusterOverrides { DevByDefault = false });
        Assert.False(node.Dev);
        Assert.Equal(["eth", "net", "web3", "rpc", "cluster", "thalamus"], node.Access.Namespaces);
        Assert.False(node.Access.ServesOperatorMethods);
        Assert.Null(node.Admin);

        Assert.True(ClusterLaunchSettings.Resolve(File("dev: true\n"), new ClusterOverrides { DevByDefault = false }).Dev);
        Assert.False(ClusterLaunchSettings.Resolve(File("dev: false\n"), new ClusterOverrides()).Dev);
        Assert.Equal(["eth", "rpc", "debug"], ClusterLaunchSettings.Resolve(File("api: [eth, debug]\n"), new ClusterOverrides { DevByDefault = false }).Access.Namespaces);
    }

    [Fact]
    public void A_dev_namespace_in_a_file_that_does_not_say_dev_is_refused_by_node_config_and_served_by_devnet()
    {
        var file = File("api: [eth, anvil]\n");
        var e = Assert.Throws<ClusterConfigException>(() => ClusterLaunchSettings.Resolve(file, new ClusterOverrides { DevByDefault = false }));
        Assert.Equal("/base/c.yaml: api: 'anvil' is a dev namespace; it is served only with dev: true", e.Message);
        Assert.True(ClusterLaunchSettings.Resolve(file, new ClusterOverrides()).Access.Serves("anvil"));
    }

    [Fact]
    public void The_admin_port_may_not_be_a_chains_port()
    {
        var e = Assert.Throws<ClusterConfigException>(() => ClusterLaunchSettings.Resolve(
            File("basePort: 9545\nadmin: { port: 9546, jwtSecret: ./jwt }\nchains:\n  - { chainId: 1 }\n  - { chainId: 2 }\n"), new ClusterOverrides()));
        Assert.Equal("/base/c.yaml: admin.port 9546 is already chain 2's JSON-RPC port; give the admin endpoint a port of its own", e.Message);
    }

    [Fact]
    public void The_sample_configuration_is_a_valid_cluster()
    {
        var file = ClusterConfigReader.Load(Path.Combine(ClusterConfigReaderTests.RepositoryRoot(), "samples", "cluster.yaml"));
        var settings = ClusterLaunchSettings.Resolve(file, new ClusterOverrides());
        Assert.Equal(file.Chains.Select(c => c.ChainId), settings.Options.Chains.Select(c => c.ChainId));
        settings.Options.Validate();
    }
}
