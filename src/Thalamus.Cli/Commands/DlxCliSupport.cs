using System.Diagnostics;
using System.Globalization;
using System.Text;
using Thalamus.Dlx;

namespace Thalamus.Cli.Commands;

/// <summary>What the dlx subcommands share: loading programs, decoding inputs, running with a trace, reporting.</summary>
internal static class DlxCliSupport
{
    /// <summary>A program file: a binary image (starts with "DLXI") or assembly source.</summary>
    public static DlxProgramImage LoadProgram(string path)
    {
        var bytes = File.ReadAllBytes(path);
        if (bytes.AsSpan().StartsWith("DLXI"u8)) return DlxProgramImage.Parse(bytes);
        return DlxAssembler.Assemble(Encoding.UTF8.GetString(bytes), Path.GetFileName(path));
    }

    /// <summary>An input argument: 0x-prefixed hex, @file for a file's bytes, otherwise the UTF-8 text itself.</summary>
    public static byte[] DecodeInput(string text)
    {
        if (text.StartsWith('@')) return File.ReadAllBytes(text[1..]);
        if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            try { return Convert.FromHexString(text[2..]); }
            catch (FormatException) { throw new FormatException($"input '{text}' is not valid hex"); }
        }
        return Encoding.UTF8.GetBytes(text);
    }

    /// <summary>Runs a user action, turning the errors a user can cause into one line on stderr and exit code 2.</summary>
    public static int Guard(Func<int> action)
    {
        try
        {
            return action();
        }
        catch (DlxAssemblyException e)
        {
            foreach (var error in e.Errors) Console.Error.WriteLine(error);
            return 2;
        }
        catch (Exception e) when (e is DlxImageException or DlxStateException or DlxChunkException or FormatException
            or IOException or UnauthorizedAccessException or ArgumentException)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }

    /// <summary>
    /// Runs the machine within the limits, writing what the program outputs during this run to stdout and,
    /// with a trace, one line per instruction to stderr. Returns the run result and the wall time.
    /// </summary>
    public static (DlxRunResult Result, TimeSpan Wall, TimeSpan Cpu) Execute(DlxMachine machine, DlxRunLimits limits, bool trace)
    {
        int outputBefore = machine.Output.Length;
        var cpu0 = Process.GetCurrentProcess().TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        DlxRunResult result;
        if (!trace) result = machine.Run(limits);
        else
        {
            long steps = 0, gas = 0;
            var stepLimits = limits with { MaxInstructions = 1 };
            while (true)
            {
                if (steps >= limits.MaxInstructions) { result = new DlxRunResult(DlxStatus.Paused, DlxFault.None, steps, gas); break; }
                uint pc = machine.Pc;
                var before = Snapshot(machine);
                var step = machine.Run(stepLimits with { MaxGas = Math.Max(0, limits.MaxGas - gas) });
                steps += step.Instructions;
                gas += step.Gas;
                if (step.Instructions > 0) Console.Error.WriteLine(TraceLine(machine, pc, before));
                if (step.Status != DlxStatus.Paused || step.Instructions == 0) { result = step with { Instructions = steps, Gas = gas }; break; }
            }
        }
        clock.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpu0;
        using (var stdout = Console.OpenStandardOutput())
            stdout.Write(machine.Output[outputBefore..]);
        return (result, clock.Elapsed, cpu);
    }

    private static (int[] R, uint[] F, bool Fpsr) Snapshot(DlxMachine m) =>
        (Enumerable.Range(0, 32).Select(m.GetRegister).ToArray(), Enumerable.Range(0, 32).Select(m.GetFloatRegister).ToArray(), m.FpStatus);

    private static string TraceLine(DlxMachine m, uint pc, (int[] R, uint[] F, bool Fpsr) before)
    {
        uint word = m.Memory.ReadWord(pc);
        var sb = new StringBuilder();
        sb.Append(CultureInfo.InvariantCulture, $"{m.Instructions,10} {pc:x8}: {word:x8}  {DlxDisassembler.FormatWord(word, pc),-28} gas {m.GasUsed}");
        for (int i = 1; i < 32; i++)
            if (m.GetRegister(i) != before.R[i]) sb.Append(CultureInfo.InvariantCulture, $"  r{i}={m.GetRegister(i)} (0x{(uint)m.GetRegister(i):x})");
        for (int i = 0; i < 32; i++)
            if (m.GetFloatRegister(i) != before.F[i]) sb.Append(CultureInfo.InvariantCulture, $"  f{i}=0x{m.GetFloatRegister(i):x8}");
        if (m.FpStatus != before.Fpsr) sb.Append(CultureInfo.InvariantCulture, $"  fpsr={(m.FpStatus ? 1 : 0)}");
        if (m.Status is not DlxStatus.Paused) sb.Append(CultureInfo.InvariantCulture, $"  -> {m.Status}{(m.Fault != DlxFault.None ? " " + m.Fault : "")}");
        return sb.ToString();
    }

    /// <summary>The closing summary on stderr (stdout carries only the program's output).</summary>
    public static void Report(DlxMachine machine, DlxRunResult run, TimeSpan wall, TimeSpan cpu, bool bench)
    {
        string fault = machine.Status == DlxStatus.Faulted ? $" ({machine.Fault} at pc 0x{machine.Pc:x8})" : "";
        Console.Error.WriteLine($"status: {machine.Status}{fault}");
        Console.Error.WriteLine($"instructions: {run.Instructions} this run, {machine.Instructions} in total");
        Console.Error.WriteLine($"gas: {run.Gas} this run, {machine.GasUsed} of {machine.GasLimit} in total");
        Console.Error.WriteLine($"pc: 0x{machine.Pc:x8}");
        Console.Error.WriteLine($"state hash: 0x{Convert.ToHexStringLower(machine.ComputeStateHash())}");
        if (bench)
        {
            double seconds = Math.Max(wall.TotalSeconds, 1e-9), cpuSeconds = Math.Max(cpu.TotalSeconds, 1e-9);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"speed: {run.Instructions / seconds / 1e6:F1} MIPS ({run.Instructions} instructions in {wall.TotalMilliseconds:F0} ms wall; {run.Instructions / cpuSeconds / 1e6:F1} MIPS on {cpu.TotalMilliseconds:F0} ms of CPU time)"));
        }
    }

    /// <summary>Exit code of a run: 0 when halted or stopped resumably with the state saved, 1 otherwise.</summary>
    public static int ExitCode(DlxMachine machine, bool saved) => machine.Status switch
    {
        DlxStatus.Halted => 0,
        DlxStatus.Paused or DlxStatus.Yielded => saved ? 0 : 3,
        _ => 1,
    };
}
