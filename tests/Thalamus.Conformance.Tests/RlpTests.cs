using Thalamus.Conformance;
using Xunit;
using Xunit.Abstractions;

namespace Thalamus.Conformance.Tests;

/// <summary>Every case of ethereum-tests/RLPTests passes, through the same suite the CLI runs.</summary>
public class RlpTests(ITestOutputHelper output)
{
    /// <summary>The stored RLPTests hold 55 cases; fewer means data went missing.</summary>
    private const int MinimumCaseCount = 55;

    [Fact]
    public void Every_rlp_case_passes()
    {
        var suite = ConformanceSuites.Find("rlp")!;
        var path = ConformancePaths.Resolve(suite.DefaultRelativePath);
        Assert.True(Directory.Exists(path), $"RLPTests not found at {path} (set {ConformancePaths.EnvironmentVariable})");

        var report = ConformanceReport.Collect(suite.Run(path));
        foreach (var failure in report.Failures) output.WriteLine($"FAIL {failure.Name}: {failure.Detail}");
        output.WriteLine(report.Summary);

        Assert.True(report.Passed >= MinimumCaseCount, $"only {report.Passed} cases passed under {path}: {report.Summary}");
        Assert.Equal(0, report.Failed);
        Assert.Equal(0, report.Skipped);
    }
}
