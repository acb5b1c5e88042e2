using Thalamus.Conformance;
using Thalamus.Core;
using Xunit;

namespace Thalamus.Evm.Tests;

/// <summary>
/// The standard EVM benchmark programs (evm-benchmarks/expected-outputs): every program, on every
/// input, returns exactly the expected output when its runtime code is called with plenty of gas.
/// </summary>
public sealed class EvmBenchmarkOutputTests
{
    private const long Gas = 100_000_000_000;

    private static string DataFolder => ConformancePaths.Resolve(Path.Combine("evm-benchmarks", "expected-outputs"));

    public static TheoryData<string, string> Cases()
    {
        var data = new TheoryData<string, string>();
        foreach (var inputs in Directory.GetFiles(DataFolder, "*.inputs", SearchOption.AllDirectories).Order(StringComparer.Ordinal))
        {
            var program = Path.GetRelativePath(DataFolder, Path.ChangeExtension(inputs, null));
            foreach (var block in BenchmarkInput.ReadAll(inputs)) data.Add(program, block.Label);
        }
        return data;
    }

    [Fact]
    public void The_data_is_there_and_every_main_program_has_inputs()
    {
        Assert.True(Directory.Exists(DataFolder), $"benchmark data not found at {DataFolder} (set {ConformancePaths.EnvironmentVariable})");
        foreach (var name in new[] { "blake2b_huff", "blake2b_shifts", "sha1_divs", "sha1_shifts", "weierstrudel" })
            Assert.NotEmpty(BenchmarkInput.ReadAll(Path.Combine(DataFolder, "main", name + ".inputs")));
    }

    [Theory]
    [MemberData(nameof(Cases))]
    public void Program_returns_the_expected_output(string program, string label)
    {
        var code = RepeatedHex.Decode(File.ReadAllText(Path.Combine(DataFolder, program + ".bin-runtime")));
        var input = BenchmarkInput.ReadAll(Path.Combine(DataFolder, program + ".inputs")).Single(b => b.Label == label);

        var result = new CodeRunner(code).Run(input.Input, Gas);

        Assert.Equal(ExecutionStatus.Success, result.Status);
        Assert.Equal(Hex.Encode(input.ExpectedOutput, prefix: false), Hex.Encode(result.Output, prefix: false));
    }
}
