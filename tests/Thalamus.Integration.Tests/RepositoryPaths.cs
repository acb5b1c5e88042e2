using System.Reflection;

namespace Thalamus.Integration.Tests;

/// <summary>Where the repository's pieces are, found from the test assembly's location.</summary>
internal static class RepositoryPaths
{
    private static readonly Lazy<string> LazyRoot = new(FindRoot);

    /// <summary>The repository root: the nearest ancestor holding Thalamus.slnx.</summary>
    public static string Root => LazyRoot.Value;

    public static string ContractsDirectory => Path.Combine(Root, "contracts");

    /// <summary>The ethers.js client tests (package.json, lib/, test/).</summary>
    public static string ClientTestsDirectory => Path.Combine(Root, "tests", "Thalamus.Integration.Tests", "js");

    /// <summary>
    /// THALAMUS_REPO_ROOT if set; else the nearest ancestor of the test assembly or the current
    /// directory holding Thalamus.slnx; else the folder recorded at build time (the build output
    /// may be outside the repository).
    /// </summary>
    private static string FindRoot()
    {
        if (Environment.GetEnvironmentVariable("THALAMUS_REPO_ROOT") is { Length: > 0 } configured)
            return configured;
        foreach (string start in new[] { AppContext.BaseDirectory, Directory.GetCurrentDirectory() })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (IsRoot(dir.FullName))
                    return dir.FullName;
            }
        }
        string? recorded = typeof(RepositoryPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "ThalamusRepositoryRoot")?.Value;
        if (recorded is not null && IsRoot(recorded))
            return recorded;
        throw new InvalidOperationException(
            $"Cannot find the repository root (a folder with Thalamus.slnx) above {AppContext.BaseDirectory} or {Directory.GetCurrentDirectory()}, nor at {recorded ?? "(none recorded)"}; set THALAMUS_REPO_ROOT.");
    }

    private static bool IsRoot(string directory) => File.Exists(Path.Combine(directory, "Thalamus.slnx"));
}
