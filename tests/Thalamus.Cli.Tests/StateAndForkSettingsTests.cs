using Thalamus.Cli.Commands;
using Thalamus.Cli.Configuration;
using Thalamus.Core;
using Xunit;

namespace Thalamus.Cli.Tests;

/// <summary><c>--load-state</c>, <c>--dump-state</c>, <c>--fork</c> and a chain's <c>fork:</c>, checked before anything starts.</summary>
public sealed class StateAndForkSettingsTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-cli-state-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    private string Write(string name, string json)
    {
        var path = Path.Combine(_directory, name);
        File.WriteAllText(path, json);
        return path;
    }

    private const string Account = "0x00000000000000000000000000000000000000aa";

    [Fact]
    public void A_cluster_dump_gives_each_listed_chain_its_accounts_and_leaves_the_others_at_the_default_genesis()
    {
        var path = Write("cluster.json", $"{{\"thalamusClusterState\":1,\"chains\":{{\"902\":{{\"accounts\":{{\"{Account}\":{{\"nonce\":4,\"balance\":\"0x10\",\"code\":\"0x\",\"storage\":{{\"0x1\":\"0x2\"}}}}}}}}}}}}");

        var settings = ClusterLaunchSettings.Resolve(null, new ClusterOverrides { Chains = 2, LoadStatePath = path, DumpStatePath = "out.json" });

        Assert.Null(settings.Options.Chains[0].LoadedState);
        var loaded = settings.Options.Chains[1].LoadedState!;
        var account = loaded[Address.Parse(Account)];
        Assert.Equal(4UL, account.Nonce);
        Assert.Equal((UInt256)16, account.Balance);
        Assert.Equal((UInt256)2, account.Storage![1]);
        Assert.Equal(Path.GetFullPath("out.json"), settings.DumpStatePath);
    }

    [Fact]
    public void One_chain_s_anvil_dump_is_given_to_every_chain()
    {
        var path = Write("anvil.json", $"{{\"block\":null,\"accounts\":{{\"{Account}\":{{\"nonce\":1,\"balance\":\"0x1\",\"code\":\"0x6001\",\"storage\":{{}}}}}}}}");

        var settings = ClusterLaunchSettings.Resolve(null, new ClusterOverrides { Chains = 3, LoadStatePath = path });

        Assert.All(settings.Options.Chains, chain => Assert.Equal(new byte[] { 0x60, 0x01 }, chain.LoadedState![Address.Parse(Account)].Code));
    }

    [Theory]
    [InlineData("{\"thalamusClusterState\":1,\"chains\":{\"77\":{\"accounts\":{}}}}", "the dump holds chain 77, which is not a member of this cluster (901, 902)")]
    [InlineData("{\"thalamusClusterState\":2,\"chains\":{}}", "unsupported cluster state version 2 (this node reads 1)")]
    [InlineData("[1, 2]", "the state dump must be a JSON object")]
    [InlineData("{\"accounts\":{\"0xaa\":{}}}", "accounts: \"0xaa\" is not an address")]
    public void A_load_state_file_that_does_not_fit_is_refused_with_the_reason(string json, string reason)
    {
        var path = Write("bad.json", json);

        var error = Assert.Throws<ClusterConfigException>(() => ClusterLaunchSettings.Resolve(null, new ClusterOverrides { Chains = 2, LoadStatePath = path }));

        Assert.Equal($"--load-state {path}: {reason}", error.Message);
    }

    [Theory]
    [InlineData("31337=http://127.0.0.1:8545", 31337UL, "http://127.0.0.1:8545/", null)]
    [InlineData("1=https://user@rpc.example.org/v1@19000000", 1UL, "https://user@rpc.example.org/v1", 19000000UL)]
    public void A_fork_flag_names_the_chain_the_url_and_the_optional_block(string text, ulong chainId, string url, ulong? block)
    {
        var fork = Assert.Single(DevnetCommand.ParseForks([text]));

        Assert.Equal(chainId, fork.Key);
        Assert.Equal(url, fork.Value.Url.ToString());
        Assert.Equal(block, fork.Value.Block);
    }

    [Theory]
    [InlineData("http://127.0.0.1:8545", "--fork http://127.0.0.1:8545: expected CHAIN_ID=URL[@BLOCK]")]
    [InlineData("0=http://127.0.0.1:8545", "--fork 0=http://127.0.0.1:8545: expected CHAIN_ID=URL[@BLOCK]")]
    [InlineData("5=ws://127.0.0.1:8545", "--fork 5=ws://127.0.0.1:8545: 'ws://127.0.0.1:8545' is not an http:// or https:// URL")]
    public void A_malformed_fork_flag_is_refused_with_the_expected_form(string text, string message)
    {
        var error = Assert.Throws<ClusterConfigException>(() => DevnetCommand.ParseForks([text]));

        Assert.StartsWith(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_chain_s_fork_setting_is_read_from_the_file()
    {
        var file = ClusterConfigReader.Parse("chains:\n  - { chainId: 10, fork: \"http://127.0.0.1:8545@42\" }\n  - { chainId: 11 }\n", "c.yaml", "/base", "/base/c.yaml");

        Assert.Equal(new ForkSpec(new Uri("http://127.0.0.1:8545"), 42), file.Chains[0].Fork);
        Assert.Null(file.Chains[1].Fork);
    }

    [Fact]
    public void A_fork_with_a_data_directory_is_refused_before_the_remote_is_asked()
    {
        // Port 9 (discard) is not asked: the refusal comes first.
        var error = Assert.Throws<ClusterConfigException>(() => ClusterLaunchSettings.Resolve(null, new ClusterOverrides
        {
            DataDirectory = _directory,
            Forks = DevnetCommand.ParseForks(["31337=http://127.0.0.1:9"]),
        }));

        Assert.Equal("a forked chain lives in memory only: drop --data-dir (or the file's dataDir) or use --ephemeral", error.Message);
    }
}
