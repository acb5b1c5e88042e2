using System.CommandLine;
using Thalamus.Dlx;

namespace Thalamus.Cli.Commands;

/// <summary><c>thalamus dlx disasm FILE</c>: prints assembly that assembles back to the same image.</summary>
public static class DlxDisasmCommand
{
    public static Command Create()
    {
        var program = new Argument<string>("program") { Description = "a program image (.dlx) or assembly source" };
        var command = new Command("disasm", "Disassemble a DLX program image; the text assembles back to the very same bytes.");
        command.Arguments.Add(program);
        command.SetAction(result => DlxCliSupport.Guard(() =>
        {
            Console.Write(DlxDisassembler.Disassemble(DlxCliSupport.LoadProgram(result.GetValue(program)!)));
            return 0;
        }));
        return command;
    }
}
