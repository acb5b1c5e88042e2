using Thalamus.Cli.Commands;

return CliApplication.Run(args);
