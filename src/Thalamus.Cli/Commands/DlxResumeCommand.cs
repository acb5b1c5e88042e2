using System.CommandLine;
using Thalamus.Dlx;

namespace Thalamus.Cli.Commands;

/// <summary>
/// <c>thalamus dlx resume STATE [--max-steps N] [--budget-gas N] [--stop-at-yield] [--save-state FILE] [--trace] [--bench]</c>:
/// continues a saved machine (execution transfer) on a fresh instance; prints the output of this part of the run.
/// </summary>
public static class DlxResumeCommand
{
    public static Command Create()
    {
        var state = new Argument<string>("state") { Description = "a machine state written by 'dlx run --save-state' or 'dlx resume --save-state'" };
        var trace = new Option<bool>("--trace") { Description = "print every executed instruction to stderr" };
        var maxSteps = new Option<long?>("--max-steps") { Description = "stop (resumably) after this many instructions" };
        var budgetGas = new Option<long?>("--budget-gas") { Description = "stop (resumably) before this run uses more gas" };
        var stopAtYield = new Option<bool>("--stop-at-yield") { Description = "stop at the next YIELD trap" };
        var saveState = new Option<string?>("--save-state") { Description = "write the machine state to this file when the run stops (may be the same file)" };
        var bench = new Option<bool>("--bench") { Description = "report the speed in millions of DLX instructions per second" };

        var command = new Command("resume", "Resume a saved DLX machine state: output of this run on stdout; status and state hash on stderr.");
        command.Arguments.Add(state);
        foreach (var option in new Option[] { trace, maxSteps, budgetGas, stopAtYield, saveState, bench }) command.Options.Add(option);
        command.SetAction(result => DlxCliSupport.Guard(() =>
        {
            var machine = DlxMachine.Restore(File.ReadAllBytes(result.GetValue(state)!));
            if (machine.Status is DlxStatus.Halted or DlxStatus.Faulted or DlxStatus.OutOfGas)
            {
                Console.Error.WriteLine($"error: the saved machine has already stopped ({machine.Status}); there is nothing to resume");
                DlxCliSupport.Report(machine, default, TimeSpan.Zero, TimeSpan.Zero, bench: false);
                return 1;
            }
            var limits = new DlxRunLimits(result.GetValue(maxSteps) ?? long.MaxValue, result.GetValue(budgetGas) ?? long.MaxValue, result.GetValue(stopAtYield));
            var (run, wall, cpu) = DlxCliSupport.Execute(machine, limits, result.GetValue(trace));
            string? statePath = result.GetValue(saveState);
            if (statePath is not null) File.WriteAllBytes(statePath, machine.SaveState());
            DlxCliSupport.Report(machine, run, wall, cpu, result.GetValue(bench));
            if (statePath is not null) Console.Error.WriteLine($"state saved to {statePath}");
            return DlxCliSupport.ExitCode(machine, statePath is not null);
        }));
        return command;
    }
}
