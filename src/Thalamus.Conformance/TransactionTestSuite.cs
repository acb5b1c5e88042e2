namespace Thalamus.Conformance;

// PLACEHOLDER: replaced by the real runner. Until then every case is reported as failed, never passed.
public sealed class TransactionTestSuite : IConformanceSuite
{
    public string Name => "tx";
    public string DefaultRelativePath => "ethereum-tests/TransactionTests";
    public IEnumerable<CaseOutcome> Run(string path)
    {
        foreach (var file in ConformancePaths.JsonFiles(path))
            yield return CaseOutcome.Fail(Path.GetFileName(file), "runner not implemented");
    }
}
