namespace Thalamus.Conformance;

// PLACEHOLDER: replaced by the real runner. Until then every case is reported as failed, never passed.
public sealed class RlpTestSuite : IConformanceSuite
{
    public string Name => "rlp";
    public string DefaultRelativePath => "ethereum-tests/RLPTests";
    public IEnumerable<CaseOutcome> Run(string path)
    {
        foreach (var file in ConformancePaths.JsonFiles(path))
            yield return CaseOutcome.Fail(Path.GetFileName(file), "runner not implemented");
    }
}
