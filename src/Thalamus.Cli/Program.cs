using System.CommandLine;
using Thalamus.Cli.Commands;

var root = new RootCommand("Thalamus: many EVM chains run by one node, acting as one.");
root.Subcommands.Add(ConformanceCommand.Create());
root.Subcommands.Add(EvmCommand.Create());
root.Subcommands.Add(DlxCommand.Create());
root.Subcommands.Add(DevnetCommand.Create());
root.Subcommands.Add(NodeCommand.Create());
return root.Parse(args).Invoke();
