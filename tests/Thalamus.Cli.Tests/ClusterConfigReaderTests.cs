using System.Net;
using System.Numerics;
using System.Runtime.CompilerServices;
using Thalamus.Cli.Configuration;
using Thalamus.Core;
using Thalamus.Crypto;
using Xunit;

namespace Thalamus.Cli.Tests;

/// <summary>
/// cluster.yaml is read strictly: every documented setting is honoured, and every mistake is one
/// line naming the file, the line and the setting (never a silent default, never a stack trace).
/// </summary>
public sealed class ClusterConfigReaderTests
{
    private static ClusterConfigException Fails(string yaml) =>
        Assert.Throws<ClusterConfigException>(() => ClusterConfigReader.Parse(yaml, "c.yaml", "/base"));

    [Fact]
    public void Every_setting_is_read()
    {
        const string yaml = """
            # a full configuration
            delta: 3s
            dataDir: ./state
            ephemeral: true
            host: 0.0.0.0
            basePort: 10000
            accounts: { mnemonic: "abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about", count: 4, balanceEth: 2.5 }
            genesisTimestamp: 1700000000
            deliveryGasLimit: 2_000_000
            deliveryGasBudget: 8_000_000
            crossCallGasCap: 7000000
            maxCrossCallDepth: 3
            rpcGasCap: 200_000_000
            chains:
              - { chainId: 901, name: alpha, blockTime: 0, gasLimit: 40000000, maxTransactionBytes: 65536, port: 9999 }
              - chainId: 902
                blockTime: 1500ms
            """;
        var config = ClusterConfigReader.Parse(yaml, "c.yaml", "/base");

        Assert.Equal(TimeSpan.FromSeconds(3), config.Delta);
        Assert.Equal(Path.GetFullPath("/base/state"), config.DataDirectory);
        Assert.True(config.Ephemeral);
        Assert.Equal(IPAddress.Any, config.Host);
        Assert.Equal(10000, config.BasePort);
        Assert.StartsWith("abandon", config.Mnemonic);
        Assert.Equal(4, config.AccountCount);
        Assert.Equal(UInt256.FromBigInteger(BigInteger.Parse("2500000000000000000")), config.AccountBalanceWei);
        Assert.Equal(1_700_000_000UL, config.GenesisTimestamp);
        Assert.Equal(2_000_000UL, config.DeliveryGasLimit);
        Assert.Equal(8_000_000UL, config.DeliveryGasBudget);
        Assert.Equal(7_000_000L, config.CrossCallGasCap);
        Assert.Equal(3, config.MaxCrossCallDepth);
        Assert.Equal(200_000_000UL, config.RpcGasCap);

        Assert.Equal(2, config.Chains.Count);
        var alpha = config.Chains[0];
        Assert.Equal(901UL, alpha.ChainId);
        Assert.Equal("alpha", alpha.Name);
        Assert.Equal(TimeSpan.Zero, alpha.BlockTime);
        Assert.Equal(40_000_000UL, alpha.GasLimit);
        Assert.Equal(65536, alpha.MaxTransactionBytes);
        Assert.Equal(9999, alpha.Port);
        Assert.Equal(15, alpha.Line);
        var second = config.Chains[1];
        Assert.Equal(902UL, second.ChainId);
        Assert.Null(second.Name);
        Assert.Equal(TimeSpan.FromMilliseconds(1500), second.BlockTime);
        Assert.Null(second.Port);
        Assert.Equal(10001, ClusterConfigFile.ResolvePort(config.BasePort, second.Port, 1));
    }

    [Fact]
    public void Left_out_settings_take_the_documented_defaults()
    {
        var config = ClusterConfigReader.Parse("chains:\n  - chainId: 5\n", "c.yaml", "/base");
        var defaults = new ClusterConfigFile();
        Assert.Null(config.Delta);
        Assert.Null(config.DataDirectory);
        Assert.False(config.Ephemeral);
        Assert.Equal(IPAddress.Loopback, config.Host);
        Assert.Equal(9545, config.BasePort);
        Assert.Equal(DevAccounts.DefaultMnemonic, config.Mnemonic);
        Assert.Equal(10, config.AccountCount);
        Assert.Equal(UInt256.FromBigInteger(BigInteger.Pow(10, 22)), config.AccountBalanceWei);
        Assert.Null(config.GenesisTimestamp);
        Assert.Equal(defaults.DeliveryGasLimit, config.DeliveryGasLimit);
        Assert.Null(config.DeliveryGasBudget);
        Assert.Equal(defaults.CrossCallGasCap, config.CrossCallGasCap);
        Assert.Equal(defaults.MaxCrossCallDepth, config.MaxCrossCallDepth);
        Assert.Equal(50_000_000UL, config.RpcGasCap);
        var chain = Assert.Single(config.Chains);
        Assert.Equal(30_000_000UL, chain.GasLimit);
        Assert.Equal(128 * 1024, chain.MaxTransactionBytes);
        Assert.Equal(TimeSpan.Zero, chain.BlockTime);
    }

    [Fact]
    public void A_file_without_chains_leaves_them_to_the_command_line()
    {
        var config = ClusterConfigReader.Parse("delta: 2s\n", "c.yaml", "/base");
        Assert.Empty(config.Chains);
    }

    [Theory]
    [InlineData("2s", 2000)]
    [InlineData("500ms", 500)]
    [InlineData("1.5s", 1500)]
    [InlineData("2", 2000)]
    [InlineData("0.25", 250)]
    [InlineData("1m", 60_000)]
    [InlineData("0", 0)]
    public void Durations_accept_units_and_bare_seconds(string text, int milliseconds)
    {
        var config = ClusterConfigReader.Parse($"chains:\n  - {{ chainId: 1, blockTime: {text} }}\n", "c.yaml", "/base");
        Assert.Equal(TimeSpan.FromMilliseconds(milliseconds), config.Chains[0].BlockTime);
    }

    [Theory]
    [InlineData("2x")]
    [InlineData("-1s")]
    [InlineData("s")]
    [InlineData("2 days")]
    [InlineData("2d")]
    [InlineData("100000s")]
    public void A_malformed_duration_names_the_setting_and_line(string text)
    {
        var e = Fails($"delta: 1s\nchains:\n  - {{ chainId: 1, blockTime: \"{text}\" }}\n");
        Assert.StartsWith("c.yaml:3:", e.Message);
        Assert.Contains("chains[0].blockTime", e.Message);
        Assert.Contains(text, e.Message);
    }

    [Fact]
    public void System_gas_shares_are_read_per_module_and_left_out_they_stay_null()
    {
        var config = ClusterConfigReader.Parse("systemGasShares: { messenger: 0.25, rtc: 0.1 }\nchains:\n  - chainId: 1\n", "c.yaml", "/base");
        Assert.Equal(new Dictionary<string, double> { ["messenger"] = 0.25, ["rtc"] = 0.1 }, config.SystemGasShares);
        Assert.Null(ClusterConfigReader.Parse("chains:\n  - chainId: 1\n", "c.yaml", "/base").SystemGasShares);
    }

    [Theory]
    [InlineData("1.5")]
    [InlineData("-0.1")]
    [InlineData("half")]
    public void A_system_gas_share_outside_zero_to_one_names_the_module_and_line(string share)
    {
        var e = Fails($"chains:\n  - chainId: 1\nsystemGasShares:\n  messenger: {share}\n");
        Assert.StartsWith("c.yaml:4:", e.Message);
        Assert.Contains("systemGasShares.messenger", e.Message);
        Assert.Contains(share, e.Message);
    }

    [Fact]
    public void An_unknown_setting_is_an_error_naming_the_key_and_line()
    {
        var e = Fails("delta: 2s\n\ndetla: 3s\nchains:\n  - chainId: 1\n");
        Assert.StartsWith("c.yaml:3:1: ", e.Message);
        Assert.Contains("'detla'", e.Message);
    }

    [Fact]
    public void A_misspelt_case_suggests_the_setting()
    {
        var e = Fails("chains:\n  - chainId: 1\nbaseport: 1000\n");
        Assert.StartsWith("c.yaml:3:1: ", e.Message);
        Assert.Contains("did you mean 'basePort'", e.Message);
    }

    [Fact]
    public void An_unknown_chain_setting_is_an_error_naming_the_key_and_line()
    {
        var e = Fails("chains:\n  - chainId: 1\n  - chainId: 2\n    blocktime: 2s\n");
        Assert.StartsWith("c.yaml:4:5: ", e.Message);
        Assert.Contains("'blocktime'", e.Message);
        Assert.Contains("blockTime", e.Message);
    }

    [Fact]
    public void An_unknown_accounts_setting_is_an_error()
    {
        var e = Fails("accounts: { mnemonic: \"test test test test test test test test test test test junk\", balance: 5 }\n");
        Assert.StartsWith("c.yaml:1:", e.Message);
        Assert.Contains("'balance'", e.Message);
    }

    [Fact]
    public void A_repeated_chain_id_names_both_lines()
    {
        var e = Fails("chains:\n  - chainId: 7\n  - chainId: 8\n  - chainId: 7\n");
        Assert.StartsWith("c.yaml:4:", e.Message);
        Assert.Contains("chain id 7", e.Message);
        Assert.Contains("line 2", e.Message);
    }

    [Fact]
    public void Two_chains_on_one_port_is_an_error()
    {
        var e = Fails("chains:\n  - { chainId: 1, port: 9000 }\n  - { chainId: 2, port: 9000 }\n");
        Assert.StartsWith("c.yaml:3:", e.Message);
        Assert.Contains("port 9000", e.Message);
    }

    [Fact]
    public void An_explicit_port_clashing_with_a_base_port_slot_is_an_error()
    {
        var e = Fails("basePort: 9000\nchains:\n  - chainId: 1\n  - { chainId: 2, port: 9000 }\n");
        Assert.StartsWith("c.yaml:4:", e.Message);
        Assert.Contains("port 9000 is already used by chain 1", e.Message);
    }

    [Fact]
    public void Port_zero_may_repeat_because_each_gets_a_free_port()
    {
        var config = ClusterConfigReader.Parse("basePort: 0\nchains:\n  - chainId: 1\n  - { chainId: 2, port: 0 }\n", "c.yaml", "/base");
        Assert.Equal(2, config.Chains.Count);
    }

    [Fact]
    public void A_chain_without_an_id_is_an_error()
    {
        var e = Fails("chains:\n  - chainId: 1\n  - name: beta\n");
        Assert.StartsWith("c.yaml:3:5: ", e.Message);
        Assert.Contains("'chainId' is required", e.Message);
    }

    [Theory]
    [InlineData("basePort: 70000\n", "basePort", 1)]
    [InlineData("basePort: -1\n", "basePort", 1)]
    [InlineData("host: localhost\n", "host", 1)]
    [InlineData("ephemeral: maybe\n", "ephemeral", 1)]
    [InlineData("delta: 0\n", "delta", 1)]
    [InlineData("dataDir:\n", "dataDir", 1)]
    [InlineData("maxCrossCallDepth: 0\n", "maxCrossCallDepth", 1)]
    [InlineData("deliveryGasLimit: lots\n", "deliveryGasLimit", 1)]
    [InlineData("rpcGasCap: 1000\n", "rpcGasCap: 1000 is below a plain transfer's 21000 gas", 1)]
    [InlineData("rpcGasCap: -1\n", "rpcGasCap", 1)]
    [InlineData("\naccounts: { count: 5000 }\n", "accounts.count", 2)]
    [InlineData("accounts:\n  balanceEth: -5\n", "accounts.balanceEth", 2)]
    [InlineData("accounts:\n  mnemonic: \"not a real mnemonic\"\n", "accounts.mnemonic", 2)]
    [InlineData("chains:\n  - { chainId: 0 }\n", "chains[0].chainId", 2)]
    [InlineData("chains:\n  - { chainId: 1, gasLimit: 1.5 }\n", "chains[0].gasLimit", 2)]
    [InlineData("chains:\n  - { chainId: 1, port: [1, 2] }\n", "chains[0].port", 2)]
    [InlineData("chains: 3\n", "chains", 1)]
    [InlineData("chains: []\n", "chains", 1)]
    [InlineData("chains:\n  - 901\n", "chains[0]", 2)]
    public void A_bad_value_names_the_setting_and_line(string yaml, string setting, int line)
    {
        var e = Fails(yaml);
        Assert.StartsWith($"c.yaml:{line}:", e.Message);
        Assert.Contains(setting, e.Message);
        Assert.DoesNotContain("\n", e.Message);
    }

    [Theory]
    [InlineData("delta: 2s\nchains:\n  - { chainId: 1\n  - chainId: 2\n")]
    [InlineData("delta: 2s\nchains: a: b\n")]
    [InlineData("delta: \"2s\nchains: []\n")]
    [InlineData("chains:\n  - chainId: 1\n bad indent: 2\n")]
    public void Broken_yaml_is_reported_with_its_line_and_column(string yaml)
    {
        var e = Fails(yaml);
        Assert.Matches(@"^c\.yaml:\d+:\d+: invalid YAML: \S", e.Message);
        Assert.DoesNotContain("\n", e.Message);
        Assert.DoesNotContain("Idx:", e.Message);
    }

    [Fact]
    public void A_repeated_key_is_an_error()
    {
        var e = Fails("delta: 2s\ndelta: 3s\n");
        Assert.StartsWith("c.yaml:2:", e.Message);
        Assert.Contains("delta", e.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("# only a comment\n")]
    public void An_empty_file_is_an_error(string yaml)
    {
        var e = Fails(yaml);
        Assert.StartsWith("c.yaml", e.Message);
        Assert.Contains("empty", e.Message);
    }

    [Fact]
    public void A_list_at_the_top_is_an_error()
    {
        var e = Fails("- chainId: 1\n");
        Assert.StartsWith("c.yaml:1:1: ", e.Message);
    }

    [Fact]
    public void A_missing_file_is_one_clear_line()
    {
        var path = Path.Combine(Path.GetTempPath(), "thalamus-no-such-dir", "cluster.yaml");
        var e = Assert.Throws<ClusterConfigException>(() => ClusterConfigReader.Load(path));
        Assert.Equal($"{path}: cannot read the cluster configuration: no such file", e.Message);
    }

    [Fact]
    public void A_relative_data_dir_is_taken_from_the_files_folder()
    {
        var dir = Directory.CreateTempSubdirectory("thalamus-config-");
        try
        {
            var path = Path.Combine(dir.FullName, "cluster.yaml");
            File.WriteAllText(path, "dataDir: data\nchains:\n  - chainId: 1\n");
            var config = ClusterConfigReader.Load(path);
            Assert.Equal(Path.Combine(dir.FullName, "data"), config.DataDirectory);
            Assert.Equal(path, config.SourcePath);
        }
        finally
        {
            dir.Delete(recursive: true);
        }
    }

    [Fact]
    public void The_sample_configuration_loads()
    {
        var config = ClusterConfigReader.Load(Path.Combine(RepositoryRoot(), "samples", "cluster.yaml"));
        Assert.NotEmpty(config.Chains);
        Assert.Equal(config.Chains.Count, config.Chains.Select(c => c.ChainId).Distinct().Count());
    }

    [Fact]
    public void Every_setting_is_documented()
    {
        var doc = File.ReadAllText(Path.Combine(RepositoryRoot(), "docs", "cluster-config.md"));
        foreach (var key in ClusterConfigReader.TopLevelKeys.Concat(ClusterConfigReader.ChainKeys).Concat(ClusterConfigReader.AccountKeys).Concat(ClusterConfigReader.AdminKeys))
            Assert.Contains($"`{key}`", doc);
        foreach (var ns in Thalamus.Rpc.RpcNamespaces.All)
            Assert.Contains($"`{ns.Name}`", doc);
    }

    [Fact]
    public void Dev_api_and_admin_are_read()
    {
        var config = ClusterConfigReader.Parse("""
            dev: false
            api: [eth, net, debug]
            admin: { host: 127.0.0.2, port: 8551, jwtSecret: secrets/jwt.hex }
            """, "c.yaml", "/base");
        Assert.False(config.Dev);
        Assert.Equal(["eth", "net", "debug"], config.Api);
        Assert.Equal(IPAddress.Parse("127.0.0.2"), config.Admin!.Host);
        Assert.Equal(8551, config.Admin.Port);
        Assert.Equal(Path.GetFullPath("/base/secrets/jwt.hex"), config.Admin.JwtSecretPath);

        // geth's comma-separated form of --http.api works too; admin.host defaults to loopback.
        config = ClusterConfigReader.Parse("dev: true\napi: eth,net, anvil\nadmin: { port: 0, jwtSecret: /abs/jwt }\n", "c.yaml", "/base");
        Assert.True(config.Dev);
        Assert.Equal(["eth", "net", "anvil"], config.Api);
        Assert.Equal(IPAddress.Loopback, config.Admin!.Host);
        Assert.Equal("/abs/jwt", config.Admin.JwtSecretPath);
    }

    [Fact]
    public void Rtc_external_chains_and_their_relayers_are_read_in_preference_order()
    {
        var config = ClusterConfigReader.Parse($$"""
            rtc:
              failoverAfter: 3s
              external:
                - chainId: 31337
                  rpc: http://127.0.0.1:8545
                  gateway: 0x5FbDB2315678afecb367f032d93F642f64180aa3
                  relayers:
                    - { name: a, key: 0x{{new string('1', 64)}}, feeWei: 1000, latency: 2s }
                    - { name: b, key: 0x{{new string('2', 64)}} }
            """, "c.yaml", "/base");
        var chain = Assert.Single(config.Rtc!.External);
        Assert.Equal(TimeSpan.FromSeconds(3), config.Rtc.FailoverAfter);
        Assert.Equal(31337UL, chain.ChainId);
        Assert.Equal(new Uri("http://127.0.0.1:8545"), chain.Rpc);
        Assert.Equal(["a", "b"], chain.Relayers.Select(r => r.Name));
        Assert.Equal(new Thalamus.Core.UInt256(1000), chain.Relayers[0].FeeWei);
        Assert.Equal(2000UL, chain.Relayers[0].LatencyMs);
    }

    [Theory]
    [InlineData("rtc: { external: [{ chainId: 5, rpc: http://x, gateway: 0x5FbDB2315678afecb367f032d93F642f64180aa3, relayers: [] }] }", "needs chainId, rpc, gateway and at least one relayer")]
    [InlineData("rtc: { external: [{ chainId: 5, rpc: ftp://x }] }", "is not an http(s) URL")]
    [InlineData("rtc: { external: [{ relayers: [{ name: a, key: 0x12 }] }] }", "not a 32-byte hex private key")]
    [InlineData("rtc: { pollInterval: 0s }", "rtc.pollInterval: must be positive")]
    public void Bad_rtc_settings_are_refused_with_the_setting_named(string yaml, string reason)
    {
        var e = Assert.Throws<ClusterConfigException>(() => ClusterConfigReader.Parse(yaml, "c.yaml", "/base"));
        Assert.Contains(reason, e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Without_dev_api_or_admin_the_command_decides_and_there_is_no_admin_endpoint()
    {
        var config = ClusterConfigReader.Parse("delta: 1s\n", "c.yaml", "/base");
        Assert.Null(config.Dev);
        Assert.Null(config.Api);
        Assert.Null(config.Admin);
    }

    [Theory]
    [InlineData("dev: false\napi: [eth, anvil]\n", "c.yaml:2:12: api: 'anvil' is a dev namespace; it is served only with dev: true")]
    [InlineData("api: [eth, anvil]\ndev: false\n", "c.yaml:1:12: api: 'anvil' is a dev namespace")]
    [InlineData("api: [eth, admin]\n", "c.yaml:1:12: api: 'admin' holds operator methods, served only on the admin endpoint")]
    [InlineData("api: [eth, ethh]\n", "c.yaml:1:12: api: unknown namespace 'ethh'; known: eth, net, web3, rpc, cluster")]
    [InlineData("api: [eth, eth]\n", "c.yaml:1:12: api: 'eth' is listed twice")]
    [InlineData("api: []\n", "c.yaml:1:6: api: the list is empty")]
    [InlineData("dev: yes\n", "c.yaml:1:6: dev: expected true or false, found 'yes'")]
    [InlineData("admin: { jwtSecret: ./jwt }\n", "c.yaml:1:8: admin: 'port' is required")]
    [InlineData("admin: { port: 8551 }\n", "c.yaml:1:8: admin: 'jwtSecret' is required")]
    [InlineData("admin: { port: 8551, jwtSecret: ./jwt, jwtsecret: x }\n", "c.yaml:1:40: unknown admin setting 'jwtsecret' (did you mean 'jwtSecret'?)")]
    [InlineData("admin: { port: 70000, jwtSecret: ./jwt }\n", "c.yaml:1:16: admin.port: 70000 is out of range")]
    [InlineData("admin: { host: localhost, port: 1, jwtSecret: ./jwt }\n", "c.yaml:1:16: admin.host: 'localhost' is not an IP address")]
    [InlineData("admin: 8551\n", "c.yaml:1:8: admin: expected a mapping such as { port: 8551, jwtSecret: ./jwtsecret }")]
    public void A_mistake_in_dev_api_or_admin_is_reported_with_its_line_and_column(string yaml, string expected)
    {
        Assert.StartsWith(expected, Fails(yaml).Message);
    }

    internal static string RepositoryRoot([CallerFilePath] string thisFile = "") =>
        Path.GetFullPath(Path.Combine(Path.GetDirectoryName(thisFile)!, "..", ".."));
}
