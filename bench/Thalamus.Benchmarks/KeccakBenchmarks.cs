using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Thalamus.Core;

namespace Thalamus.Benchmarks;

/// <summary>Keccak-256 over 32 B (a word), 1 KiB and 1 MiB, with throughput in MB/s.</summary>
[MemoryDiagnoser]
[Config(typeof(ThroughputConfig))]
public class KeccakBenchmarks
{
    private byte[] _input = [];
    private readonly byte[] _output = new byte[32];

    [Params(32, 1024, 1024 * 1024)]
    public int Size { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        _input = new byte[Size];
        new Random(1).NextBytes(_input);
    }

    [Benchmark]
    public void Keccak256Span() => Keccak256.Compute(_input, _output);

    [Benchmark]
    public Hash256 Keccak256Hash() => Keccak256.Compute(_input);

    private sealed class ThroughputConfig : ManualConfig
    {
        public ThroughputConfig() => AddColumn(new MegabytesPerSecondColumn());
    }

    /// <summary>Input bytes per second of the mean time (10^6 bytes per MB).</summary>
    private sealed class MegabytesPerSecondColumn : IColumn
    {
        public string Id => "MBps";
        public string ColumnName => "MB/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Input megabytes (10^6 bytes) hashed per second";

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            if (mean is null or <= 0) return "-";
            var size = Convert.ToDouble(benchmarkCase.Parameters["Size"], System.Globalization.CultureInfo.InvariantCulture);
            return (size / mean.Value * 1e9 / 1e6).ToString("F1", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
