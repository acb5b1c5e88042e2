using System.CommandLine;
using Thalamus.Cli.Commands;
using Xunit;

namespace Thalamus.Cli.Tests;

/// <summary>devnet and node --config refuse a bad configuration or bad flags with one line and exit code 2, before starting anything.</summary>
[Collection(nameof(ConsoleCollection))]
public sealed class ClusterCommandLineTests
{
    private static (int ExitCode, string Out, string Error) Run(params string[] args)
    {
        var (previousOut, previousError) = (Console.Out, Console.Error);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            return (CliApplication.Run(args), stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }
    }

    private static string TempConfig(string yaml)
    {
        var path = Path.Combine(Path.GetTempPath(), $"thalamus-cli-{Guid.NewGuid():N}.yaml");
        File.WriteAllText(path, yaml);
        return path;
    }

    private static void AssertOneLineError(string error, string expected)
    {
        Assert.StartsWith("error: ", error);
        Assert.Contains(expected, error);
        Assert.DoesNotContain("   at ", error); // no stack trace
    }

    [Theory]
    [InlineData("devnet")]
    [InlineData("node")]
    public void A_missing_config_file_is_a_clear_error(string command)
    {
        var (exitCode, output, error) = Run(command, "--config", "/nonexistent/thalamus/cluster.yaml");
        Assert.Equal(2, exitCode);
        AssertOneLineError(error, "/nonexistent/thalamus/cluster.yaml: cannot read the cluster configuration: no such file");
        Assert.Equal("", output);
    }

    [Fact]
    public void An_unknown_key_in_the_config_is_reported_with_its_line()
    {
        var path = TempConfig("delta: 2s\nchains:\n  - { chainId: 901, blocktime: 1s }\n");
        try
        {
            var (exitCode, _, error) = Run("node", "--config", path);
            Assert.Equal(2, exitCode);
            AssertOneLineError(error, $"{path}:3:");
            Assert.Contains("'blocktime'", error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Broken_yaml_is_reported_with_its_line()
    {
        var path = TempConfig("chains:\n  - { chainId: 901\n");
        try
        {
            var (exitCode, _, error) = Run("devnet", "--config", path);
            Assert.Equal(2, exitCode);
            AssertOneLineError(error, "invalid YAML");
            Assert.Matches($@"{System.Text.RegularExpressions.Regex.Escape(path)}:\d+:\d+: ", error);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Chains_flag_with_a_files_chain_list_is_refused()
    {
        var path = TempConfig("chains:\n  - chainId: 901\n");
        try
        {
            var (exitCode, _, error) = Run("devnet", "--config", path, "--chains", "2");
            Assert.Equal(2, exitCode);
            AssertOneLineError(error, "--chains");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("--chain-id", "5")]
    [InlineData("--port", "9000")]
    [InlineData("--automine")]
    [InlineData("--gas-limit", "40000000")]
    public void Node_config_refuses_single_chain_flags(params string[] flag)
    {
        var (exitCode, _, error) = Run(["node", "--config", Path.Combine(ClusterConfigReaderTests.RepositoryRoot(), "samples", "cluster.yaml"), .. flag]);
        Assert.Equal(2, exitCode);
        AssertOneLineError(error, $"{flag[0]} cannot be combined with --config");
    }

    [Fact]
    public void Node_config_refuses_a_dev_namespace_unless_the_file_says_dev_true()
    {
        var path = TempConfig("api: [eth, evm]\nchains:\n  - chainId: 901\n");
        try
        {
            var (exitCode, output, error) = Run("node", "--config", path);
            Assert.Equal(2, exitCode);
            AssertOneLineError(error, $"{path}: api: 'evm' is a dev namespace; it is served only with dev: true");
            Assert.Equal("", output);
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void Jwt_prints_a_token_the_admin_endpoint_accepts()
    {
        var path = Path.Combine(Path.GetTempPath(), $"thalamus-jwt-{Guid.NewGuid():N}");
        try
        {
            var secret = Thalamus.Rpc.JwtAuthenticator.CreateSecretFile(path);
            var (exitCode, output, error) = Run("jwt", "--secret", path);
            Assert.Equal(0, exitCode);
            Assert.Equal("", error);
            Assert.Null(new Thalamus.Rpc.JwtAuthenticator(secret).Refuse("Bearer " + output.Trim()));

            File.WriteAllText(path, "0x12");
            (exitCode, _, error) = Run("jwt", "--secret", path);
            Assert.Equal(2, exitCode);
            AssertOneLineError(error, "a JWT secret is 32 bytes");
            (exitCode, _, error) = Run("jwt", "--secret", path + ".missing");
            Assert.Equal(2, exitCode);
            AssertOneLineError(error, path + ".missing: no such file");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("--chains", "abc")]
    [InlineData("--base-port", "port")]
    [InlineData("--no-such-flag")]
    public void Unparsable_arguments_exit_2_with_a_message(params string[] args)
    {
        var (exitCode, _, error) = Run(["devnet", .. args]);
        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: ", error);
        Assert.Contains("thalamus devnet --help", error);
        Assert.DoesNotContain("System.", error);
    }

    [Theory]
    [InlineData("--delta", "0")]
    [InlineData("--delta", "soon")]
    [InlineData("--block-time", "2x")]
    [InlineData("--host", "localhost")]
    [InlineData("--accounts", "5000")]
    [InlineData("--mnemonic", "not a mnemonic")]
    public void Devnet_rejects_bad_values_before_starting(string flag, string value)
    {
        var (exitCode, output, error) = Run("devnet", flag, value);
        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: ", error);
        Assert.Equal("", output);
    }

    [Fact]
    public void Devnet_refuses_a_delta_shorter_than_the_block_time()
    {
        var (exitCode, _, error) = Run("devnet", "--block-time", "2s", "--delta", "1s");
        Assert.Equal(2, exitCode);
        AssertOneLineError(error, "delta");
    }

    [Fact]
    public void Devnet_refuses_ephemeral_with_a_data_dir()
    {
        var (exitCode, _, error) = Run("devnet", "--ephemeral", "--data-dir", "/tmp/x");
        Assert.Equal(2, exitCode);
        AssertOneLineError(error, "--ephemeral");
    }
}
