using System.Text.Json;
using Thalamus.Crypto;
using Xunit;

namespace Thalamus.Crypto.Tests;

/// <summary>
/// The 122 consensus-spec verify_kzg_proof cases as the execution-spec state test
/// Pyspecs/cancun/eip4844_blobs/point_evaluation_precompile_external_vectors.json sends them to 0x0a
/// (transaction data = the precompile input). Cases named *_correct_proof_* must verify; incorrect and
/// invalid ones must not. The conformance folder is found like Thalamus.Conformance does
/// (THALAMUS_CONFORMANCE_DIR, else ../shared/conformance beside the repository root).
/// </summary>
public class KzgExternalVectorTests
{
    private const string RelativePath = "ethereum-tests/GeneralStateTests/Pyspecs/cancun/eip4844_blobs/point_evaluation_precompile_external_vectors.json";

    private static string ConformanceRoot([System.Runtime.CompilerServices.CallerFilePath] string sourceFile = "")
    {
        string? fromEnv = Environment.GetEnvironmentVariable("THALAMUS_CONFORMANCE_DIR");
        if (!string.IsNullOrWhiteSpace(fromEnv))
            return Path.GetFullPath(fromEnv);
        // The source file's own folder covers builds with an --artifacts-path outside the repository.
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory, Path.GetDirectoryName(sourceFile) ?? "." })
        {
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                if (File.Exists(Path.Combine(dir.FullName, "Thalamus.slnx")))
                    return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "conformance"));
            }
        }
        throw new DirectoryNotFoundException("conformance data not found (set THALAMUS_CONFORMANCE_DIR)");
    }

    [Fact]
    public void Every_external_vector_gets_the_expected_answer()
    {
        string path = Path.Combine(ConformanceRoot(), RelativePath);
        using JsonDocument doc = JsonDocument.Parse(File.ReadAllText(path));
        var mismatches = new List<string>();
        int cases = 0, correct = 0;
        foreach (JsonProperty test in doc.RootElement.EnumerateObject())
        {
            string data = test.Value.GetProperty("transaction").GetProperty("data")[0].GetString()!;
            bool expected = test.Name.Contains("_correct_proof_", StringComparison.Ordinal);
            bool actual = Kzg.TryVerifyPointEvaluation(Convert.FromHexString(data.AsSpan(2)));
            cases++;
            if (expected)
                correct++;
            if (actual != expected)
                mismatches.Add($"{test.Name}: expected {expected}, got {actual}");
        }
        Assert.Equal(122, cases);
        Assert.True(correct > 0 && correct < cases);
        Assert.Empty(mismatches);
    }
}
