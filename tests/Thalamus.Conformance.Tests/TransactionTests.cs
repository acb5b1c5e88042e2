using System.Text.Json;
using Thalamus.Conformance;
using Xunit;
using Xunit.Abstractions;

namespace Thalamus.Conformance.Tests;

/// <summary>
/// Runs ethereum-tests/TransactionTests (the Cancun expectation of each case, or the latest
/// fork a case names) and requires every case to pass; a skip must say why.
/// </summary>
public class TransactionTests(ITestOutputHelper output)
{
    private static readonly TransactionTestSuite Suite = new();

    private static string DataPath
    {
        get
        {
            var path = ConformancePaths.Resolve(Suite.DefaultRelativePath);
            Assert.True(Directory.Exists(path), $"TransactionTests not found at {path} (set {ConformancePaths.EnvironmentVariable})");
            return path;
        }
    }

    [Fact]
    public void Every_transaction_test_passes()
    {
        var log = new StringWriter();
        var report = ConformanceReport.Collect(Suite.Run(DataPath), log);
        output.WriteLine(log.ToString());

        Assert.True(report.Failed == 0, $"{report.Failed} TransactionTests case(s) failed:\n{log}");
        Assert.All(report.Skips, skip => Assert.False(string.IsNullOrWhiteSpace(skip.Detail), $"{skip.Name} was skipped without a reason"));
        Assert.True(report.Passed > 0, "no TransactionTests case ran");
    }

    [Fact]
    public void Every_case_in_the_data_is_judged()
    {
        // Guards against a runner that silently drops cases: count them straight from the JSON.
        var expected = 0;
        foreach (var file in ConformancePaths.JsonFiles(DataPath))
        {
            using var document = JsonDocument.Parse(File.ReadAllBytes(file));
            expected += document.RootElement.EnumerateObject().Count();
        }
        Assert.Equal(expected, Suite.Run(DataPath).Count());
    }

    [Fact]
    public void An_invalid_case_that_is_accepted_fails()
    {
        // A valid transaction relabelled as invalid must be reported as a failure, not a pass.
        var source = Path.Combine(DataPath, "ttSignature", "SenderTest.json");
        using var original = JsonDocument.Parse(File.ReadAllBytes(source));
        var testCase = original.RootElement.EnumerateObject().First();
        var txBytes = testCase.Value.GetProperty("txbytes").GetString();
        var forged = $$"""{ "{{testCase.Name}}": { "txbytes": "{{txBytes}}", "result": { "Cancun": { "exception": "TransactionException.INVALID_SIGNATURE_VRS" } } } }""";
        var file = Path.Combine(Path.GetTempPath(), $"thalamus-forged-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, forged);
        try
        {
            var outcome = Assert.Single(Suite.Run(file));
            Assert.Equal(CaseStatus.Failed, outcome.Status);
            Assert.Contains("was accepted", outcome.Detail);
        }
        finally
        {
            File.Delete(file);
        }
    }
}
