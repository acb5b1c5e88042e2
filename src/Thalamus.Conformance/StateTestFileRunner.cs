using System.Text.Json;

namespace Thalamus.Conformance;

/// <summary>Runs every Cancun case of one state-test file; never throws (a broken file or case is a failed case).</summary>
internal static class StateTestFileRunner
{
    /// <summary>When set, every failing case is run again with the EIP-3155 tracer, its trace written to this folder.</summary>
    public const string TraceEnvironmentVariable = "THALAMUS_STATETEST_TRACE_DIR";

    private static string? TraceDirectory => Environment.GetEnvironmentVariable(TraceEnvironmentVariable) is { Length: > 0 } dir ? dir : null;

    public static List<CaseOutcome> Run(string file, string displayName, string? skipReason = null)
    {
        var outcomes = new List<CaseOutcome>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(file));
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            outcomes.Add(CaseOutcome.Fail(displayName, $"cannot read test file: {e.Message}"));
            return outcomes;
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                outcomes.Add(CaseOutcome.Fail(displayName, "test file is not a JSON object"));
                return outcomes;
            }
            foreach (var test in document.RootElement.EnumerateObject())
                RunTest(displayName, test.Name, test.Value, skipReason, outcomes);
        }
        return outcomes;
    }

    private static void RunTest(string displayName, string testName, JsonElement test, string? skipReason, List<CaseOutcome> outcomes)
    {
        if (!test.TryGetProperty("post", out var post) || !post.TryGetProperty(StateTestSuite.Fork, out var cases)) return;
        if (skipReason is not null)
        {
            for (var i = 0; i < cases.GetArrayLength(); i++)
            {
                var label = cases[i].TryGetProperty("indexes", out var ix)
                    ? $" (d{ix.GetProperty("data")}g{ix.GetProperty("gas")}v{ix.GetProperty("value")})"
                    : "";
                outcomes.Add(CaseOutcome.Skip($"{displayName}:{testName}:{StateTestSuite.Fork}[{i}]{label}", skipReason));
            }
            return;
        }

        StateTestFixture fixture;
        try
        {
            fixture = StateTestFixture.Parse(test);
        }
        catch (Exception e)
        {
            outcomes.Add(CaseOutcome.Fail($"{displayName}:{testName}", $"cannot parse test: {e.GetType().Name}: {e.Message}"));
            return;
        }

        var index = 0;
        foreach (var entry in cases.EnumerateArray())
        {
            var name = $"{displayName}:{testName}:{StateTestSuite.Fork}[{index}]";
            try
            {
                var expectation = StateTestExpectation.Parse(entry);
                name += $" ({expectation.IndexLabel})";
                var outcome = StateTestCaseRunner.Run(name, fixture, expectation);
                outcomes.Add(outcome);
                if (outcome.Status == CaseStatus.Failed && TraceDirectory is { } directory)
                    StateTestTraceWriter.Write(directory, outcome.Name, fixture, expectation);
            }
            catch (Exception e)
            {
                outcomes.Add(CaseOutcome.Fail(name, $"unexpected {e.GetType().Name}: {e.Message}"));
            }
            index++;
        }
    }
}
