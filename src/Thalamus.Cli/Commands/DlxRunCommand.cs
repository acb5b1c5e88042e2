using System.CommandLine;
using System.Diagnostics;
using Thalamus.Dlx;

namespace Thalamus.Cli.Commands;

/// <summary>
/// <c>thalamus dlx run PROGRAM [--input ARG]... [--gas N] [--memory BYTES] [--trace] [--max-steps N]
/// [--budget-gas N] [--stop-at-yield] [--save-state FILE] [--sync] [--bench]</c>.
/// The program's output goes to stdout, the summary (status, gas, state hash) to stderr.
/// </summary>
public static class DlxRunCommand
{
    public static Command Create()
    {
        var program = new Argument<string>("program") { Description = "a program image (.dlx) or assembly source (.s)" };
        var input = new Option<string[]>("--input", "-i") { Description = "an input argument (repeatable): text, 0xHEX, or @FILE", Arity = ArgumentArity.ZeroOrMore };
        var gas = new Option<long>("--gas") { Description = "the program's gas limit", DefaultValueFactory = _ => DlxGasSchedule.MaxGasLimit };
        var memory = new Option<uint>("--memory") { Description = "memory limit in bytes (a multiple of 4096)", DefaultValueFactory = _ => DlxMachineOptions.DefaultMemoryLimit };
        var trace = new Option<bool>("--trace") { Description = "print every executed instruction and the registers it changed to stderr" };
        var maxSteps = new Option<long?>("--max-steps") { Description = "stop (resumably) after this many instructions" };
        var budgetGas = new Option<long?>("--budget-gas") { Description = "stop (resumably) before this run uses more gas" };
        var stopAtYield = new Option<bool>("--stop-at-yield") { Description = "stop at a YIELD trap (an execution transfer point)" };
        var saveState = new Option<string?>("--save-state") { Description = "write the machine state to this file when the run stops" };
        var sync = new Option<bool>("--sync") { Description = "run a program's independent segments one after the other instead of in parallel" };
        var bench = new Option<bool>("--bench") { Description = "report the speed in millions of DLX instructions per second" };

        var command = new Command("run", "Run a DLX program: output on stdout; status, gas, instructions and state hash on stderr.");
        command.Arguments.Add(program);
        foreach (var option in new Option[] { input, gas, memory, trace, maxSteps, budgetGas, stopAtYield, saveState, sync, bench }) command.Options.Add(option);
        command.SetAction(result => DlxCliSupport.Guard(() =>
        {
            var image = DlxCliSupport.LoadProgram(result.GetValue(program)!);
            var inputs = (result.GetValue(input) ?? []).Select(DlxCliSupport.DecodeInput).ToArray();
            var options = new DlxMachineOptions { GasLimit = result.GetValue(gas), MemoryLimit = result.GetValue(memory) };
            var limits = new DlxRunLimits(result.GetValue(maxSteps) ?? long.MaxValue, result.GetValue(budgetGas) ?? long.MaxValue, result.GetValue(stopAtYield));
            string? statePath = result.GetValue(saveState);
            bool stepping = result.GetValue(trace) || statePath is not null || limits.MaxInstructions != long.MaxValue
                || limits.MaxGas != long.MaxValue || limits.StopAtYield;

            if (image.SegmentEntries.Count > 0 && !stepping)
                return RunSegments(image, inputs, options, result.GetValue(sync) ? DlxExecutionMode.Synchronous : DlxExecutionMode.Asynchronous, result.GetValue(bench));

            var machine = DlxMachine.Load(image, inputs, options);
            var (run, wall, cpu) = DlxCliSupport.Execute(machine, limits, result.GetValue(trace));
            if (statePath is not null) File.WriteAllBytes(statePath, machine.SaveState());
            DlxCliSupport.Report(machine, run, wall, cpu, result.GetValue(bench));
            if (statePath is not null) Console.Error.WriteLine($"state saved to {statePath}");
            return DlxCliSupport.ExitCode(machine, statePath is not null);
        }));
        return command;
    }

    private static int RunSegments(DlxProgramImage image, byte[][] inputs, DlxMachineOptions options, DlxExecutionMode mode, bool bench)
    {
        var clock = Stopwatch.StartNew();
        var result = DlxParallelExecutor.Run(image, inputs, options, mode);
        clock.Stop();
        using (var stdout = Console.OpenStandardOutput()) stdout.Write(result.Output);
        foreach (var s in result.Segments)
            Console.Error.WriteLine($"segment {s.Index + 1} at 0x{s.Entry:x8}: {s.Status}, {s.Instructions} instructions, {s.GasUsed} gas, {s.Output.Length} output bytes, state 0x{Convert.ToHexStringLower(s.StateHash)}");
        if (result.Join is { } join)
            Console.Error.WriteLine($"join at 0x{join.Entry:x8}: {join.Status}, {join.Instructions} instructions, {join.GasUsed} gas, state 0x{Convert.ToHexStringLower(join.StateHash)}");
        Console.Error.WriteLine($"mode: {mode}; total gas {result.TotalGas}; combined hash 0x{Convert.ToHexStringLower(result.CombinedHash)}");
        if (bench)
        {
            long instructions = result.Segments.Sum(s => s.Instructions) + (result.Join?.Instructions ?? 0);
            Console.Error.WriteLine($"speed: {instructions / Math.Max(clock.Elapsed.TotalSeconds, 1e-9) / 1e6:F1} MIPS over all segments ({instructions} instructions in {clock.Elapsed.TotalMilliseconds:F0} ms)");
        }
        if (result.Error is not null) Console.Error.WriteLine($"error: {result.Error}");
        return result.Succeeded ? 0 : 1;
    }
}
