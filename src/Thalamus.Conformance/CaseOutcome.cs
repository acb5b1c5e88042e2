namespace Thalamus.Conformance;

/// <summary>The result of one conformance case: its name, status, and for failures or skips the reason.</summary>
public readonly record struct CaseOutcome(string Name, CaseStatus Status, string? Detail = null)
{
    public static CaseOutcome Pass(string name) => new(name, CaseStatus.Passed);
    public static CaseOutcome Fail(string name, string detail) => new(name, CaseStatus.Failed, detail);
    public static CaseOutcome Skip(string name, string reason) => new(name, CaseStatus.Skipped, reason);
}
