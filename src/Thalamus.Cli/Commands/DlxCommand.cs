using System.CommandLine;

namespace Thalamus.Cli.Commands;

// PLACEHOLDER: the DLX work replaces this with asm/disasm/run/segment/resume.
public static class DlxCommand
{
    public static Command Create()
    {
        var command = new Command("dlx", "The DLX machine (not yet available).");
        command.SetAction(_ => { Console.Error.WriteLine("error: 'dlx' is not implemented yet"); return 2; });
        return command;
    }
}
