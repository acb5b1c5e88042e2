using System.Collections.Concurrent;
using System.Globalization;
using System.Runtime.CompilerServices;
using System.Text.Json;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Thalamus.Core;
using Thalamus.Evm;

namespace Thalamus.Benchmarks;

/// <summary>
/// The standard EVM benchmarks (ipsilon/evm-benchmarks, as evmone runs them): each case calls a
/// program's runtime code with one input, from a fresh state every run. Reports the median time
/// and the gas rate (Mgas/s). Data comes from ../shared/conformance/evm-benchmarks (or
/// $THALAMUS_CONFORMANCE_DIR/evm-benchmarks).
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project bench/Thalamus.Benchmarks -- --filter '*EvmBenchmarks*'</c>
/// </remarks>
[Config(typeof(GasRateConfig))]
public class EvmBenchmarks
{
    private const long Gas = 100_000_000_000;

    /// <summary>Case names: PROGRAM/INPUT-LABEL, as evmone names them.</summary>
    public static IEnumerable<string> CaseNames =>
    [
        "snailtracer/benchmark",
        "weierstrudel/1",
        "weierstrudel/14",
        "blake2b_huff/8415nulls",
        "blake2b_huff/65536nulls",
        "blake2b_shifts/8415nulls",
        "sha1_divs/5311",
        "sha1_shifts/5311",
        "micro/jump_around/empty",
        "micro/jumpdests_0xffff/empty",
        "micro/loop_with_many_jumpdests/empty",
        "micro/memory_grow_mload/by32",
        "micro/memory_grow_mstore/by32",
        "micro/signextend/one",
    ];

    private CodeRunner _runner = null!;
    private byte[] _input = [];

    [ParamsSource(nameof(CaseNames))]
    public string Case { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var (code, input) = Load(Case);
        _runner = new CodeRunner(code);
        _input = input;
        var result = _runner.Run(_input, Gas);
        if (!result.Success) throw new InvalidOperationException($"{Case} failed: {result.Error}");
    }

    [Benchmark]
    public long Execute() => _runner.Run(_input, Gas).GasLeft;

    // ---- case data ----

    private static readonly ConcurrentDictionary<string, long> s_gasUsed = new();

    /// <summary>Gas one run of the case uses (measured once per process).</summary>
    public static long GasUsed(string caseName) => s_gasUsed.GetOrAdd(caseName, name =>
    {
        var (code, input) = Load(name);
        return Gas - new CodeRunner(code).Run(input, Gas).GasLeft;
    });

    /// <summary>The runtime code and call data of a case.</summary>
    public static (byte[] Code, byte[] Input) Load(string caseName)
    {
        var root = Path.Combine(DataRoot(), "evm-benchmarks");
        if (caseName == "snailtracer/benchmark")
        {
            // Only in state-test form: the contract's code in the pre-state, the call in the transaction.
            using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(root, "benchmarks", "main", "snailtracer.json")));
            var test = json.RootElement.EnumerateObject().First().Value;
            var to = test.GetProperty("transaction").GetProperty("to").GetString()!;
            var account = test.GetProperty("pre").EnumerateObject().First(a => string.Equals(a.Name, to, StringComparison.OrdinalIgnoreCase)).Value;
            return (Hex.Decode(account.GetProperty("code").GetString()!),
                    Hex.Decode(test.GetProperty("transaction").GetProperty("data")[0].GetString()!));
        }

        var slash = caseName.LastIndexOf('/');
        var program = caseName[..slash];
        var label = caseName[(slash + 1)..];
        var folder = program.StartsWith("micro/", StringComparison.Ordinal) ? "" : "main/";
        var basePath = Path.Combine(root, "expected-outputs", folder + program);
        var code = RepeatedHex.Decode(File.ReadAllText(basePath + ".bin-runtime"));
        var lines = File.ReadAllLines(basePath + ".inputs");
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i])) continue;
            if (lines[i].Trim() == label) return (code, RepeatedHex.Decode(i + 1 < lines.Length ? lines[i + 1] : ""));
            i += 2; // skip this block's input and output lines
        }
        throw new InvalidOperationException($"no input '{label}' in {basePath}.inputs");
    }

    /// <summary>$THALAMUS_CONFORMANCE_DIR, else ../shared/conformance beside the repository this file was built from.</summary>
    private static string DataRoot([CallerFilePath] string sourceFile = "")
    {
        var fromEnv = Environment.GetEnvironmentVariable("THALAMUS_CONFORMANCE_DIR");
        if (!string.IsNullOrWhiteSpace(fromEnv)) return fromEnv;
        foreach (var start in new[] { Path.GetDirectoryName(sourceFile) ?? "", Directory.GetCurrentDirectory() })
            for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
                if (File.Exists(Path.Combine(dir.FullName, "Thalamus.slnx")))
                    return Path.GetFullPath(Path.Combine(dir.FullName, "..", "shared", "conformance"));
        throw new DirectoryNotFoundException("conformance data not found: set THALAMUS_CONFORMANCE_DIR");
    }

    /// <summary>Adds the median and the gas rate (gas used by one run / median time).</summary>
    public sealed class GasRateConfig : ManualConfig
    {
        public GasRateConfig()
        {
            AddColumn(StatisticColumn.Median);
            AddColumn(new GasRateColumn());
            SummaryStyle = SummaryStyle.Default.WithMaxParameterColumnWidth(48);
        }
    }

    private sealed class GasRateColumn : IColumn
    {
        public string Id => "EvmGasRate";
        public string ColumnName => "Mgas/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Millions of gas per second at the median time";
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;
        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var median = summary[benchmarkCase]?.ResultStatistics?.Median;
            if (median is not > 0 || benchmarkCase.Parameters["Case"] is not string caseName) return "-";
            var gas = GasUsed(caseName);
            return (gas / (median.Value / 1e9) / 1e6).ToString("F1", CultureInfo.InvariantCulture);
        }
    }
}
