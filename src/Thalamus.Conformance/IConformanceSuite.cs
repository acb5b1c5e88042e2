namespace Thalamus.Conformance;

/// <summary>
/// One of the Ethereum Foundation's test suites. <see cref="Run"/> takes a file or a folder
/// (searched recursively for <c>*.json</c>) and yields one outcome per case; it never throws
/// for bad test data: a case that cannot be read is a failed case with the reason.
/// </summary>
public interface IConformanceSuite
{
    /// <summary>Short name used on the command line (<c>rlp</c>, <c>trie</c>, <c>tx</c>, <c>state</c>).</summary>
    string Name { get; }

    /// <summary>The default data path, relative to the conformance root (e.g. <c>ethereum-tests/RLPTests</c>).</summary>
    string DefaultRelativePath { get; }

    IEnumerable<CaseOutcome> Run(string path);
}
