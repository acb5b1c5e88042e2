using System.Text.Json;
using Thalamus.Core;

namespace Thalamus.Conformance;

/// <summary>
/// The ethereum-tests TransactionTests: each case is raw transaction bytes and, per fork, either
/// the expected sender, hash and intrinsic gas or the expected rejection. Thalamus runs Cancun,
/// so each case is judged against its Cancun expectation, or for files that stop at an earlier
/// fork, against the latest fork they name. The tests are filled for chain id 1.
/// </summary>
public sealed class TransactionTestSuite : IConformanceSuite
{
    public const ulong ChainId = 1;

    public string Name => "tx";

    public string DefaultRelativePath => "ethereum-tests/TransactionTests";

    public IEnumerable<CaseOutcome> Run(string path)
    {
        foreach (var file in ConformancePaths.JsonFiles(path))
        {
            var fileName = File.Exists(path) ? Path.GetFileName(file) : Path.GetRelativePath(path, file);
            foreach (var outcome in RunFile(file, fileName)) yield return outcome;
        }
    }

    private static List<CaseOutcome> RunFile(string file, string fileName)
    {
        var outcomes = new List<CaseOutcome>();
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllBytes(file));
        }
        catch (Exception e) when (e is JsonException or IOException or UnauthorizedAccessException)
        {
            outcomes.Add(CaseOutcome.Fail(fileName, $"cannot read the test file: {e.Message}"));
            return outcomes;
        }
        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                outcomes.Add(CaseOutcome.Fail(fileName, "the test file is not a JSON object of test cases"));
                return outcomes;
            }
            foreach (var testCase in document.RootElement.EnumerateObject())
                outcomes.Add(TransactionTestCase.Run($"{fileName}/{testCase.Name}", testCase.Value, ChainId));
        }
        return outcomes;
    }
}
