using System.CommandLine;

namespace Thalamus.Cli.Commands;

/// <summary><c>thalamus evm statetest|run</c>.</summary>
public static class EvmCommand
{
    public static Command Create()
    {
        var command = new Command("evm", "Run the EVM directly: state tests, or a piece of bytecode.");
        command.Subcommands.Add(EvmStateTestCommand.Create());
        command.Subcommands.Add(EvmRunCommand.Create());
        return command;
    }
}
