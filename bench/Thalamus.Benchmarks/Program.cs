using BenchmarkDotNet.Running;
using Thalamus.Benchmarks;

// `-- cluster [--quick]`: the Stopwatch-based cluster measurements (bench/cluster/README.md).
if (args.Length > 0 && args[0] == "cluster") return ClusterBenchmarks.Run(args[1..]);

// `-- tracing [runs]`: Stopwatch medians of TracingBenchmarks (snailtracer's struct log is too long for an in-process BenchmarkDotNet job).
if (args.Length > 0 && args[0] == "tracing") return TracingBenchmarks.RunStopwatch(args[1..]);
// `-- restart [--blocks N]`: opening a persistent cluster with N blocks against an empty one.
if (args.Length > 0 && args[0] == "restart") return RestartBenchmark.Run(args[1..]);
// `-- multicast [--quick] [--size N]`: publish → all-delivered latency and gas per delivery (docs/multicast.md).
if (args.Length > 0 && args[0] == "multicast") return MulticastBenchmark.Run(args[1..]);

// `-- settlement [--seconds S]`: joint settlement's figures (docs/settlement.md).
if (args.Length > 0 && args[0] == "settlement") return SettlementBenchmark.Run(args[1..]);
// `-- rtc [--runs N]`: remote transaction calls: gas of atomic RTCs of k calls against plain calls, RTC latency (docs/rtc.md).
if (args.Length > 0 && args[0] == "rtc") return RtcBenchmark.Run(args[1..]);

// `-- mulmod [--rounds N]`: MULMOD by a repeated modulus, Barrett path against the division path, in one process.
if (args.Length > 0 && args[0] == "mulmod") return MulModBenchmark.Run(args[1..]);

// Every benchmark class in this assembly, selectable with --filter (e.g. --filter '*Keccak*').
BenchmarkSwitcher.FromAssembly(typeof(Program).Assembly).Run(args);
return 0;
