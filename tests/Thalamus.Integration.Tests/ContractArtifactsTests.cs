using Xunit;
using Xunit.Abstractions;

namespace Thalamus.Integration.Tests;

/// <summary>The committed Solidity artifacts must be what contracts/compile.mjs produces now.</summary>
public sealed class ContractArtifactsTests(ITestOutputHelper output)
{
    private static readonly TimeSpan CompileTimeout = TimeSpan.FromMinutes(3);

    [NodeFact]
    public async Task Committed_artifacts_are_up_to_date()
    {
        NodeJs.RequirePackages(RepositoryPaths.ContractsDirectory);
        var result = await NodeJs.RunAsync(["compile.mjs", "--check"], RepositoryPaths.ContractsDirectory, CompileTimeout);
        output.WriteLine(result.Output);
        Assert.True(result.Succeeded,
            $"contracts/artifacts is stale (exit {result.ExitCode}); run `node contracts/compile.mjs` and commit the result.{Environment.NewLine}{result.Output}");
    }

    [NodeFact]
    public async Task Check_fails_when_a_source_changes()
    {
        NodeJs.RequirePackages(RepositoryPaths.ContractsDirectory);
        // A scratch copy of the toolchain whose one source differs from what the artifacts were built from.
        string scratch = Directory.CreateTempSubdirectory("thalamus-contracts-").FullName;
        try
        {
            string contracts = RepositoryPaths.ContractsDirectory;
            File.Copy(Path.Combine(contracts, "compile.mjs"), Path.Combine(scratch, "compile.mjs"));
            CopyDirectory(Path.Combine(contracts, "src"), Path.Combine(scratch, "src"));
            CopyDirectory(Path.Combine(contracts, "artifacts"), Path.Combine(scratch, "artifacts"));
            Directory.CreateSymbolicLink(Path.Combine(scratch, "node_modules"), Path.Combine(contracts, "node_modules"));
            string source = Path.Combine(scratch, "src", "Reverter.sol");
            File.AppendAllText(source, "\n// changed after compiling\n");

            var result = await NodeJs.RunAsync(["compile.mjs", "--check"], scratch, CompileTimeout);
            output.WriteLine(result.Output);
            Assert.False(result.TimedOut, result.Output);
            Assert.Equal(1, result.ExitCode);
            Assert.Contains("stale: Reverter", result.Output);
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }
    }

    private static void CopyDirectory(string from, string to)
    {
        Directory.CreateDirectory(to);
        foreach (string file in Directory.GetFiles(from))
            File.Copy(file, Path.Combine(to, Path.GetFileName(file)));
        foreach (string dir in Directory.GetDirectories(from))
            CopyDirectory(dir, Path.Combine(to, Path.GetFileName(dir)));
    }
}
