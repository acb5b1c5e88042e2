using System.Diagnostics;
using System.Reflection;
using System.Runtime.Loader;
using System.Text;
using System.Text.RegularExpressions;

// Two builds of the EVM in one process, alternating: each build's Thalamus.Evm.dll (with the
// Thalamus.Core.dll beside it) is loaded into its own AssemblyLoadContext and runs the same code
// and input through its CodeRunner, one call each in turn, so that both see the same machine load.
// Times are the calling thread's CPU time (clock_gettime), so a loaded machine's preemptions do
// not count. Prints each build's median and minimum and the median of the per-round ratios.
//
//   dotnet run -c Release --project bench/evm-ab -- <dirA> <dirB> <code hex or file> <input hex or file> [seconds]
if (args.Length < 4)
{
    Console.Error.WriteLine("usage: evm-ab <dirA> <dirB> <code hex|file> <input hex|file> [seconds]");
    return 2;
}

var code = Hex(ReadArg(args[2]));
var input = Hex(ReadArg(args[3]));
var seconds = args.Length > 4 ? double.Parse(args[4], System.Globalization.CultureInfo.InvariantCulture) : 10;
var a = new Build(args[0], code);
var b = new Build(args[1], code);

var outA = a.Run(input);
var outB = b.Run(input);
if (!outA.AsSpan().SequenceEqual(outB))
{
    Console.Error.WriteLine($"outputs differ: A {Convert.ToHexString(outA)} B {Convert.ToHexString(outB)}");
    return 1;
}

// Warm-up: both fully optimised (the interpreter is compiled at full optimisation from its first call anyway).
var warm = Stopwatch.StartNew();
while (warm.Elapsed.TotalSeconds < Math.Min(2, seconds / 4)) { a.Run(input); b.Run(input); }

var timesA = new List<double>();
var timesB = new List<double>();
var ratios = new List<double>();
var clock = Stopwatch.StartNew();
for (var round = 0; clock.Elapsed.TotalSeconds < seconds || round < 5; round++)
{
    double ta, tb;
    if ((round & 1) == 0) { ta = a.Time(input); tb = b.Time(input); }
    else { tb = b.Time(input); ta = a.Time(input); }
    timesA.Add(ta);
    timesB.Add(tb);
    ratios.Add(ta / tb);
}

Console.WriteLine(FormattableString.Invariant(
    $"rounds {timesA.Count}: A median {Median(timesA):F3} ms (min {timesA.Min():F3}), B median {Median(timesB):F3} ms (min {timesB.Min():F3}), A/B median of ratios {Median(ratios):F3}, of minima {timesA.Min() / timesB.Min():F3}; output {Convert.ToHexString(outA)[..Math.Min(16, outA.Length * 2)]}"));
return 0;

static string ReadArg(string s) => File.Exists(s) ? File.ReadAllText(s) : s;

static byte[] Hex(string s)
{
    s = s.Trim();
    if (s.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) s = s[2..];
    // (NxHEX) repeats HEX N times, as `thalamus evm run` reads it.
    s = Regex.Replace(s, @"\((\d+)x([0-9a-fA-F]*)\)", m => new StringBuilder().Insert(0, m.Groups[2].Value, int.Parse(m.Groups[1].Value)).ToString());
    return Convert.FromHexString(s);
}

static double Median(List<double> values)
{
    var sorted = values.Order().ToArray();
    return sorted[sorted.Length / 2];
}

sealed class Build
{
    private readonly object _runner;
    private readonly MethodInfo _run;
    private readonly PropertyInfo _output;

    public Build(string directory, byte[] code)
    {
        var context = new FolderContext(Path.GetFullPath(directory));
        var evm = context.LoadFromAssemblyPath(Path.Combine(Path.GetFullPath(directory), "Thalamus.Evm.dll"));
        var runnerType = evm.GetType("Thalamus.Evm.CodeRunner", throwOnError: true)!;
        var ctor = runnerType.GetConstructors().Single();
        _runner = ctor.Invoke([code, null, long.MaxValue]);
        _run = runnerType.GetMethod("Run")!;
        _output = _run.ReturnType.GetProperty("Output")!;
    }

    public byte[] Run(byte[] input) => (byte[])_output.GetValue(_run.Invoke(_runner, [input, 10_000_000_000L]))!;

    /// <summary>The call's CPU time on this thread in milliseconds (a loaded machine's preemptions left out).</summary>
    public double Time(byte[] input)
    {
        var start = ThreadCpu.Now();
        _run.Invoke(_runner, [input, 10_000_000_000L]);
        return (ThreadCpu.Now() - start) / 1e6;
    }
}

static class ThreadCpu
{
    private struct Timespec { public long Seconds; public long Nanoseconds; }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "clock_gettime")]
    private static extern int ClockGetTime(int clock, out Timespec time);

    /// <summary>CLOCK_THREAD_CPUTIME_ID in nanoseconds (Linux).</summary>
    public static long Now()
    {
        ClockGetTime(3, out var t);
        return t.Seconds * 1_000_000_000 + t.Nanoseconds;
    }
}

sealed class FolderContext(string directory) : AssemblyLoadContext(isCollectible: false)
{
    protected override Assembly? Load(AssemblyName name)
    {
        var path = Path.Combine(directory, name.Name + ".dll");
        return name.Name!.StartsWith("Thalamus.", StringComparison.Ordinal) && File.Exists(path) ? LoadFromAssemblyPath(path) : null;
    }
}
