using System.CommandLine;

namespace Thalamus.Cli.Commands;

// PLACEHOLDER until the member chain and the cluster exist.
public static class DevnetCommand
{
    public static Command Create()
    {
        var command = new Command("devnet", "Start a local cluster (not yet available).");
        command.SetAction(_ => { Console.Error.WriteLine("error: 'devnet' is not implemented yet"); return 2; });
        return command;
    }
}
