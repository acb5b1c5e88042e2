using System.CommandLine;

namespace Thalamus.Cli.Commands;

// PLACEHOLDER: the EVM work replaces this with the real 'evm run'.
public static class EvmRunCommand
{
    public static Command Create()
    {
        var command = new Command("run", "Run bytecode (not yet available).");
        command.SetAction(_ => { Console.Error.WriteLine("error: 'evm run' is not implemented yet"); return 2; });
        return command;
    }
}
