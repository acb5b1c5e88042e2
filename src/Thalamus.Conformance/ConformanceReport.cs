namespace Thalamus.Conformance;

/// <summary>Tallies outcomes, prints one line per failure (and per skip), and the closing summary line.</summary>
public sealed class ConformanceReport
{
    public int Passed { get; private set; }
    public int Failed { get; private set; }
    public int Skipped { get; private set; }
    public List<CaseOutcome> Failures { get; } = [];
    public List<CaseOutcome> Skips { get; } = [];

    public void Add(CaseOutcome outcome)
    {
        switch (outcome.Status)
        {
            case CaseStatus.Passed: Passed++; break;
            case CaseStatus.Failed: Failed++; Failures.Add(outcome); break;
            default: Skipped++; Skips.Add(outcome); break;
        }
    }

    public string Summary => $"{Passed} passed, {Failed} failed, {Skipped} skipped";

    /// <summary>Runs the outcomes through, writing failures as they come; returns the report.</summary>
    public static ConformanceReport Collect(IEnumerable<CaseOutcome> outcomes, TextWriter? output = null, bool listSkips = true)
    {
        var report = new ConformanceReport();
        foreach (var outcome in outcomes)
        {
            report.Add(outcome);
            if (output is null) continue;
            if (outcome.Status == CaseStatus.Failed) output.WriteLine($"FAIL {outcome.Name}: {outcome.Detail}");
            else if (outcome.Status == CaseStatus.Skipped && listSkips) output.WriteLine($"SKIP {outcome.Name}: {outcome.Detail}");
        }
        output?.WriteLine(report.Summary);
        return report;
    }
}
