using System.CommandLine;

namespace Thalamus.Cli.Commands;

// PLACEHOLDER: the member-chain work replaces this with the real 'node'.
public static class NodeCommand
{
    public static Command Create()
    {
        var command = new Command("node", "Run a member chain with JSON-RPC (not yet available).");
        command.SetAction(_ => { Console.Error.WriteLine("error: 'node' is not implemented yet"); return 2; });
        return command;
    }
}
