using System.CommandLine;
using Thalamus.Cli.Commands;
using Thalamus.Conformance;
using Xunit;

namespace Thalamus.Cli.Tests;

/// <summary>
/// The CLI's contract with its user: bad arguments are a clear error with exit code 2 (never a
/// stack trace), a conformance run closes with the summary line, and 'evm run' prints the output.
/// Console output is process-wide, so these run one at a time.
/// </summary>
[Collection(nameof(ConsoleCollection))]
public sealed class CommandLineTests
{
    private static (int ExitCode, string Out, string Error) Invoke(Command command, params string[] args)
    {
        var (previousOut, previousError) = (Console.Out, Console.Error);
        using var stdout = new StringWriter();
        using var stderr = new StringWriter();
        Console.SetOut(stdout);
        Console.SetError(stderr);
        try
        {
            var root = new RootCommand { command };
            var exitCode = root.Parse([command.Name, .. args]).Invoke();
            return (exitCode, stdout.ToString(), stderr.ToString());
        }
        finally
        {
            Console.SetOut(previousOut);
            Console.SetError(previousError);
        }
    }

    [Theory]
    [InlineData("--chains", "0")]
    [InlineData("--chains", "65")]
    [InlineData("--base-port", "70000")]
    [InlineData("--block-time", "-1")]
    [InlineData("--base-chain-id", "0")]
    [InlineData("--rpc-gas-cap", "100")]
    public void Devnet_rejects_bad_arguments_with_a_clear_error(string option, string value)
    {
        var (exitCode, _, error) = Invoke(DevnetCommand.Create(), option, value);
        Assert.Equal(2, exitCode);
        Assert.StartsWith("error: ", error);
    }

    [Fact]
    public void Node_rejects_conflicting_sealing_options()
    {
        var (exitCode, _, error) = Invoke(NodeCommand.Create(), "--ephemeral", "--automine", "--block-time", "2");
        Assert.Equal(2, exitCode);
        Assert.Contains("exclude each other", error);
    }

    [Fact]
    public void Node_rejects_an_rpc_gas_cap_below_a_plain_transfer()
    {
        var (exitCode, _, error) = Invoke(NodeCommand.Create(), "--ephemeral", "--rpc-gas-cap", "20000");
        Assert.Equal(2, exitCode);
        Assert.Equal("error: --rpc-gas-cap 20000 is below a plain transfer's 21000 gas (0 means the block gas limit)", error.Trim());
    }

    [Fact]
    public void Conformance_on_a_missing_path_is_an_error_not_a_crash()
    {
        var (exitCode, _, error) = Invoke(ConformanceCommand.Create(), "rlp", "/nonexistent/thalamus-test-data");
        Assert.Equal(2, exitCode);
        Assert.Contains("no such file or folder", error);
    }

    [Fact]
    public void Conformance_run_closes_with_the_summary_line()
    {
        var path = ConformancePaths.Resolve("ethereum-tests/RLPTests");
        Assert.True(Directory.Exists(path), $"RLPTests not found at {path}");
        var (exitCode, output, _) = Invoke(ConformanceCommand.Create(), "rlp", path);
        Assert.Equal(0, exitCode);
        var last = output.TrimEnd().Split('\n')[^1];
        Assert.Matches(@"^\d+ passed, 0 failed, 0 skipped$", last);
    }

    [Fact]
    public void Evm_run_prints_the_returned_word_and_the_gas_used()
    {
        // PUSH1 1, PUSH1 2, ADD, PUSH1 0, MSTORE, PUSH1 32, PUSH1 0, RETURN: returns 3 as a word.
        var (exitCode, output, _) = Invoke(EvmCommand.Create(), "run", "--code", "0x600160020160005260206000f3");
        Assert.Equal(0, exitCode);
        Assert.Contains("output: " + new string('0', 63) + "3", output);
        Assert.Contains("gas used: ", output);
    }

    [Fact]
    public void Evm_run_with_bad_hex_is_an_error_not_a_crash()
    {
        var (exitCode, _, error) = Invoke(EvmCommand.Create(), "run", "--code", "0x6g");
        Assert.NotEqual(0, exitCode);
        Assert.StartsWith("error", error.TrimStart());
    }
}

[CollectionDefinition(nameof(ConsoleCollection), DisableParallelization = true)]
public sealed class ConsoleCollection;
