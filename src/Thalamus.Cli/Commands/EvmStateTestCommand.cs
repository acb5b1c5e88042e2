using System.CommandLine;
using Thalamus.Conformance;

namespace Thalamus.Cli.Commands;

/// <summary><c>thalamus evm statetest PATH...</c>: the GeneralStateTests runner.</summary>
public static class EvmStateTestCommand
{
    public static Command Create()
    {
        var paths = new Argument<string[]>("path") { Description = "state test files or folders", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("statetest", "Run Ethereum state tests (Cancun); closes with 'N passed, M failed, K skipped'.");
        command.Arguments.Add(paths);
        command.SetAction(result => ConformanceCommand.Run(new StateTestSuite(), result.GetValue(paths) ?? []));
        return command;
    }
}
