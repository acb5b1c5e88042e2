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

    public IEnumerable<CaseOutcome> Run(string path)
    {
        var files = ConformancePaths.JsonFiles(path);
        var root = Directory.Exists(path) ? path : Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        return files
            .AsParallel()
            .AsOrdered()
            .WithDegreeOfParallelism(Math.Max(1, MaxParallelism))
            .SelectMany(file => StateTestFileRunner.Run(file, Path.GetRelativePath(root, file)));
    }
}
