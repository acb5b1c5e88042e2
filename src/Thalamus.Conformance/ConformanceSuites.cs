namespace Thalamus.Conformance;

/// <summary>The suites the CLI and the test projects know, by name.</summary>
public static class ConformanceSuites
{
    public static IReadOnlyList<IConformanceSuite> All { get; } =
    [
        new RlpTestSuite(),
        new TrieTestSuite(),
        new TransactionTestSuite(),
        new StateTestSuite(),
    ];

    public static IConformanceSuite? Find(string name) =>
        All.FirstOrDefault(s => string.Equals(s.Name, name, StringComparison.OrdinalIgnoreCase));
}
