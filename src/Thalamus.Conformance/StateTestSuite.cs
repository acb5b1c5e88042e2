namespace Thalamus.Conformance;

/// <summary>
/// The GeneralStateTests runner for the Cancun fork: for every <c>post.Cancun[i]</c> entry it builds
/// the pre-state, applies the transaction and compares the state root and the logs hash.
/// Files run in parallel; outcomes come back in file order.
/// </summary>
public sealed class StateTestSuite : IConformanceSuite
{
    /// <summary>The fork whose post-states are checked.</summary>
    public const string Fork = "Cancun";

    public string Name => "state";
    public string DefaultRelativePath => "ethereum-tests/GeneralStateTests";

    /// <summary>Degree of parallelism over files (defaults to the processor count).</summary>
    public int MaxParallelism { get; init; } = Environment.ProcessorCount;

    /// <summary>
    /// Files whose cases are reported as skipped, with the reason, instead of run; keyed by the path
    /// relative to the folder being run, with '/' separators (e.g. <c>stTimeConsuming/CALLBlake2f_MaxRounds.json</c>).
    /// </summary>
    public IReadOnlyDictionary<string, string> SkippedFiles { get; init; } = new Dictionary<string, string>();

    public IEnumerable<CaseOutcome> Run(string path)
    {
        var files = ConformancePaths.JsonFiles(path);
        var root = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        return files
            .AsParallel()
            .AsOrdered()
            .WithDegreeOfParallelism(Math.Max(1, MaxParallelism))
            .SelectMany(file =>
            {
                var relative = Path.GetRelativePath(root, file).Replace(Path.DirectorySeparatorChar, '/');
                return StateTestFileRunner.Run(file, relative, SkippedFiles.GetValueOrDefault(relative));
            });
    }
}
