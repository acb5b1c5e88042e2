using System.CommandLine;
using System.Text.RegularExpressions;

namespace Thalamus.Cli.Commands;

/// <summary>The <c>thalamus</c> command tree, and the one rule for arguments it cannot parse: a clear message and exit code 2.</summary>
public static partial class CliApplication
{
    public const int UsageExitCode = 2;

    public static RootCommand CreateRoot()
    {
        var root = new RootCommand("Thalamus: many EVM chains run by one node, acting as one.");
        root.Subcommands.Add(ConformanceCommand.Create());
        root.Subcommands.Add(EvmCommand.Create());
        root.Subcommands.Add(DlxCommand.Create());
        root.Subcommands.Add(DdpnCommand.Create());
        root.Subcommands.Add(DevnetCommand.Create());
        root.Subcommands.Add(NodeCommand.Create());
        root.Subcommands.Add(JwtCommand.Create());
        root.Subcommands.Add(VerifyCommand.Create());
        root.Subcommands.Add(SettlementCommand.Create());
        root.Subcommands.Add(MulticastCommand.Create());
        root.Subcommands.Add(GovCommand.Create());
        return root;
    }

    public static int Run(string[] args)
    {
        // No response files: "@file" is an argument (the DLX commands' --input @file), not a file of more arguments.
        var result = CreateRoot().Parse(args, new ParserConfiguration { ResponseFileTokenReplacer = null });
        if (result.Errors.Count > 0)
        {
            // An unknown option or a value of the wrong type ("--chains abc"): say so, no stack, no help page.
            foreach (var error in result.Errors) Console.Error.WriteLine("error: " + Friendly(error.Message));
            Console.Error.WriteLine($"(see '{string.Join(' ', CommandPath(result).Prepend("thalamus"))} --help')");
            return UsageExitCode;
        }
        return result.Invoke();
    }

    /// <summary>System.CommandLine names CLR types ("System.Nullable`1[System.Int32]"); say what to type instead.</summary>
    public static string Friendly(string message) => ClrType().Replace(message, m =>
        (m.Groups[1].Success ? m.Groups[1].Value : m.Groups[2].Value) switch
        {
            "Int32" or "Int64" or "UInt16" or "UInt32" or "UInt64" => "as a whole number",
            "Double" or "Decimal" or "Single" => "as a number",
            "Boolean" => "as true or false",
            _ => m.Value,
        });

    [GeneratedRegex(@"as expected type '(?:System\.Nullable`1\[System\.(\w+)\]|System\.(\w+))'")]
    private static partial Regex ClrType();

    private static IEnumerable<string> CommandPath(ParseResult result)
    {
        var names = new List<string>();
        for (var command = result.CommandResult; command is not null; command = command.Parent as System.CommandLine.Parsing.CommandResult)
            if (command.Command is not RootCommand) names.Insert(0, command.Command.Name);
        return names;
    }
}
