using System.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Thalamus.Core;
using Thalamus.Evm;

namespace Thalamus.Cli.Commands;

/// <summary>
/// <c>thalamus evm run --code HEX | --codefile F [--input HEX] [--gas N] [--bench] [--trace]</c>:
/// calls a piece of runtime bytecode and prints its output and the gas it used; with
/// <c>--bench</c>, also the median time of repeated runs and the gas rate.
/// </summary>
public static class EvmRunCommand
{
    private const long DefaultGas = 10_000_000_000;

    public static Command Create()
    {
        var code = new Option<string?>("--code") { Description = "runtime bytecode as hex; (NxHEX) repeats HEX N times" };
        var codeFile = new Option<string?>("--codefile") { Description = "file holding the runtime bytecode as hex (e.g. a .bin-runtime)" };
        var input = new Option<string?>("--input") { Description = "call data as hex; (NxHEX) repeats HEX N times" };
        var gas = new Option<long>("--gas") { Description = "gas limit of the call", DefaultValueFactory = _ => DefaultGas };
        var bench = new Option<bool>("--bench") { Description = "repeat the call (after a warm-up) and report the median time and Mgas/s" };
        var trace = new Option<bool>("--trace") { Description = "write an EIP-3155 JSON trace to stderr" };

        var command = new Command("run", "Run bytecode: prints the output, the gas used and, with --bench, the median time over repeated runs.");
        command.Options.Add(code);
        command.Options.Add(codeFile);
        command.Options.Add(input);
        command.Options.Add(gas);
        command.Options.Add(bench);
        command.Options.Add(trace);
        command.SetAction(result => Run(
            result.GetValue(code), result.GetValue(codeFile), result.GetValue(input),
            result.GetValue(gas), result.GetValue(bench), result.GetValue(trace)));
        return command;
    }

    private static int Run(string? codeHex, string? codeFile, string? inputHex, long gas, bool bench, bool trace)
    {
        byte[] code, input;
        try
        {
            if ((codeHex is null) == (codeFile is null))
            {
                Console.Error.WriteLine("error: give exactly one of --code HEX or --codefile FILE");
                return 2;
            }
            code = RepeatedHex.Decode(codeHex ?? File.ReadAllText(codeFile!));
            input = string.IsNullOrWhiteSpace(inputHex) ? [] : RepeatedHex.Decode(inputHex);
        }
        catch (Exception e) when (e is FormatException or IOException or UnauthorizedAccessException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
        if (gas <= 0)
        {
            Console.Error.WriteLine("error: --gas must be positive");
            return 2;
        }

        var tracer = trace ? new Eip3155Tracer(Console.Error) : null;
        var runner = new CodeRunner(code, tracer);
        var result = runner.Run(input, gas);
        var gasUsed = gas - result.GasLeft;
        tracer?.OnTransactionEnd(result.Output, gasUsed, result.Error);

        Console.WriteLine($"output: {Hex.Encode(result.Output, prefix: false)}");
        Console.WriteLine($"gas used: {gasUsed}");
        if (!result.Success) Console.WriteLine($"error: {result.Error}");
        if (bench) Benchmark(code, input, gas, gasUsed);
        return 0;
    }

    /// <summary>Warm-up (so the JIT reaches its final tier), then timed runs until about 2 s have passed (5 to 1000 runs).</summary>
    private static void Benchmark(byte[] code, byte[] input, long gas, long gasUsed)
    {
        var runner = new CodeRunner(code);
        var warmUp = Stopwatch.StartNew();
        var warmUpRuns = 0;
        while (warmUpRuns < 3 || (warmUp.Elapsed < TimeSpan.FromSeconds(1) && warmUpRuns < 200))
        {
            runner.Run(input, gas);
            warmUpRuns++;
        }

        var times = new List<double>();
        var cpuTimes = new List<double>();
        var total = Stopwatch.StartNew();
        while (times.Count < 5 || (total.Elapsed < TimeSpan.FromSeconds(2) && times.Count < 1000))
        {
            var cpuStart = ThreadCpuMilliseconds();
            var start = Stopwatch.GetTimestamp();
            runner.Run(input, gas);
            times.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            cpuTimes.Add(ThreadCpuMilliseconds() - cpuStart);
        }
        var median = Median(times);
        var mgasPerSecond = median > 0 ? gasUsed / (median / 1000) / 1e6 : double.PositiveInfinity;
        var c = CultureInfo.InvariantCulture;
        Console.WriteLine(string.Create(c, $"runs: {times.Count} (after {warmUpRuns} warm-up)"));
        Console.WriteLine(string.Create(c, $"median: {median:F3} ms (min {times.Min():F3} ms)"));
        Console.WriteLine(string.Create(c, $"rate: {mgasPerSecond:F1} Mgas/s"));
        // On a shared machine wall time includes waiting for a core; the thread's CPU time does not.
        if (OperatingSystem.IsLinux())
            Console.WriteLine(string.Create(c, $"cpu median: {Median(cpuTimes):F3} ms ({gasUsed / (Median(cpuTimes) / 1000) / 1e6:F1} Mgas/s of CPU time)"));
    }

    private static double Median(List<double> values)
    {
        var sorted = values.Order().ToList();
        var n = sorted.Count;
        return n % 2 == 1 ? sorted[n / 2] : (sorted[n / 2 - 1] + sorted[n / 2]) / 2;
    }

    [StructLayout(LayoutKind.Sequential)]
    private struct Timespec
    {
        public long Seconds;
        public long Nanoseconds;
    }

    private const int ClockThreadCpuTime = 3; // CLOCK_THREAD_CPUTIME_ID on Linux

    [DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec time);

    private static double ThreadCpuMilliseconds() =>
        OperatingSystem.IsLinux() && ClockGetTime(ClockThreadCpuTime, out var t) == 0 ? t.Seconds * 1e3 + t.Nanoseconds / 1e6 : 0;
}
