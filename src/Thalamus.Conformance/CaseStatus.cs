namespace Thalamus.Conformance;

/// <summary>How one conformance case ended.</summary>
public enum CaseStatus
{
    Passed,
    Failed,
    Skipped,
}
