using System.Text;
using Thalamus.Evm;

namespace Thalamus.Conformance;

/// <summary>Re-runs a failing case with the EIP-3155 tracer, for diffing against another client's trace.</summary>
internal static class StateTestTraceWriter
{
    public static void Write(string directory, string caseName, StateTestFixture fixture, StateTestExpectation expectation)
    {
        Directory.CreateDirectory(directory);
        var file = new StringBuilder(caseName.Length);
        foreach (var c in caseName) file.Append(char.IsLetterOrDigit(c) || c is '-' or '.' ? c : '_');
        if (file.Length > 180) file.Length = 180;
        using var writer = new StreamWriter(Path.Combine(directory, file + ".jsonl"));
        var outcome = StateTestCaseRunner.Run(caseName, fixture, expectation, new Eip3155Tracer(writer));
        writer.WriteLine($"# {outcome.Status}: {outcome.Detail}");
    }
}
