using Thalamus.Evm;

namespace Thalamus.Evm.Tests;

/// <summary>
/// One block of an evmone-style <c>.inputs</c> file: a label line, an input hex line and an
/// expected-output hex line (either may be empty); blocks are separated by blank lines.
/// </summary>
public sealed record BenchmarkInput(string Label, byte[] Input, byte[] ExpectedOutput)
{
    public static IReadOnlyList<BenchmarkInput> ReadAll(string path)
    {
        var lines = File.ReadAllLines(path);
        var blocks = new List<BenchmarkInput>();
        var i = 0;
        while (i < lines.Length)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                i++;
                continue;
            }
            var label = lines[i].Trim();
            var input = i + 1 < lines.Length ? lines[i + 1] : "";
            var output = i + 2 < lines.Length ? lines[i + 2] : "";
            blocks.Add(new BenchmarkInput(label, RepeatedHex.Decode(input), RepeatedHex.Decode(output)));
            i += 3;
        }
        return blocks;
    }
}
