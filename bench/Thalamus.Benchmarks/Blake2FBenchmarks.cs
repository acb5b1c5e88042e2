using System.Buffers.Binary;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Thalamus.Crypto;

namespace Thalamus.Benchmarks;

/// <summary>
/// The EIP-152 BLAKE2b F precompile at 12 rounds (one BLAKE2b block) and 1,000,000 rounds (the
/// round loop alone), through the EVM entry point and on the portable scalar path, with ns per round.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(PerRoundConfig))]
public class Blake2FBenchmarks
{
    private readonly byte[] _input = new byte[Blake2F.InputLength];
    private readonly byte[] _output = new byte[Blake2F.OutputLength];
    private readonly ulong[] _state = new ulong[8];
    private readonly ulong[] _message = new ulong[16];

    [Params(12, 1_000_000)]
    public int Rounds { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        new Random(1).NextBytes(_input);
        BinaryPrimitives.WriteUInt32BigEndian(_input, (uint)Rounds);
        _input[212] = 1;
        for (int i = 0; i < 16; i++)
            _message[i] = BinaryPrimitives.ReadUInt64LittleEndian(_input.AsSpan(68 + 8 * i));
    }

    /// <summary>What the precompile runs: decode, the fastest path for this CPU, encode.</summary>
    [Benchmark(Baseline = true)]
    public bool TryCompress() => Blake2F.TryCompress(_input, _output);

    /// <summary>The fallback used without AVX2.</summary>
    [Benchmark]
    public void Scalar() => Blake2F.CompressScalar((uint)Rounds, _state, _message, 128, 0, true);

    private sealed class PerRoundConfig : ManualConfig
    {
        public PerRoundConfig() => AddColumn(new NanosecondsPerRoundColumn());
    }

    /// <summary>Mean time divided by the round count.</summary>
    private sealed class NanosecondsPerRoundColumn : IColumn
    {
        public string Id => "NsPerRound";
        public string ColumnName => "ns/round";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Mean time divided by the number of rounds (nanoseconds)";

        public bool IsAvailable(Summary summary) => true;

        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) =>
            GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var mean = summary[benchmarkCase]?.ResultStatistics?.Mean;
            if (mean is null or <= 0) return "-";
            var rounds = Convert.ToDouble(benchmarkCase.Parameters["Rounds"], System.Globalization.CultureInfo.InvariantCulture);
            return (mean.Value / rounds).ToString("F2", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
