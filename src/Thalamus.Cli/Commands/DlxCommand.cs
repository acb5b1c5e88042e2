using System.CommandLine;

namespace Thalamus.Cli.Commands;

/// <summary><c>thalamus dlx asm|disasm|run|resume|segment|reassemble</c>: the DLX machine of the virtualization units (docs/dlx.md).</summary>
public static class DlxCommand
{
    public static Command Create()
    {
        var command = new Command("dlx", "The DLX machine: assemble, disassemble, run, resume a saved state, and split programs into chained chunks.");
        command.Subcommands.Add(DlxAsmCommand.Create());
        command.Subcommands.Add(DlxDisasmCommand.Create());
        command.Subcommands.Add(DlxRunCommand.Create());
        command.Subcommands.Add(DlxResumeCommand.Create());
        command.Subcommands.Add(DlxSegmentCommand.Create());
        command.Subcommands.Add(DlxReassembleCommand.Create());
        return command;
    }
}
