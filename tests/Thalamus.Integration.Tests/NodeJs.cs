namespace Thalamus.Integration.Tests;

/// <summary>The Node.js runtime the contract toolchain and the ethers.js tests run on.</summary>
internal static class NodeJs
{
    private static readonly Lazy<string?> LazyExecutable = new(() =>
        Environment.GetEnvironmentVariable("THALAMUS_NODE") is { Length: > 0 } configured ? configured : ExternalProcess.FindOnPath("node"));

    /// <summary>The node executable (THALAMUS_NODE, else the first "node" on PATH), or null.</summary>
    public static string? Executable => LazyExecutable.Value;

    public const string MissingReason = "Node.js is not installed (no \"node\" on PATH and THALAMUS_NODE unset); the contract and ethers.js tests need it. CI has it.";

    /// <summary>Fails with the fix if a folder's npm packages are not installed.</summary>
    public static void RequirePackages(string directory)
    {
        if (!Directory.Exists(Path.Combine(directory, "node_modules")))
            throw new InvalidOperationException($"The npm packages of {directory} are not installed: run scripts/setup.sh (or npm ci in that folder).");
    }

    public static Task<ProcessResult> RunAsync(IEnumerable<string> arguments, string workingDirectory, TimeSpan timeout,
        IReadOnlyDictionary<string, string>? environment = null) =>
        ExternalProcess.RunAsync(Executable ?? throw new InvalidOperationException(MissingReason), arguments, workingDirectory, timeout, environment);
}
