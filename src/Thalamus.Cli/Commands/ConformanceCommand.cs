using System.CommandLine;
using Thalamus.Conformance;

namespace Thalamus.Cli.Commands;

/// <summary><c>thalamus conformance rlp|trie|tx|state [PATH...]</c>: runs an Ethereum Foundation suite.</summary>
public static class ConformanceCommand
{
    public static Command Create()
    {
        var command = new Command("conformance", "Run an Ethereum Foundation test suite; prints one line per failure and a closing 'N passed, M failed, K skipped'.");
        foreach (var suite in ConformanceSuites.All)
        {
            var paths = new Argument<string[]>("path")
            {
                Description = $"files or folders (default: $THALAMUS_CONFORMANCE_DIR or ../shared/conformance, then {suite.DefaultRelativePath})",
                Arity = ArgumentArity.ZeroOrMore,
            };
            var sub = new Command(suite.Name, $"Run the {suite.DefaultRelativePath} suite.");
            sub.Arguments.Add(paths);
            sub.SetAction(result => Run(suite, result.GetValue(paths) ?? []));
            command.Subcommands.Add(sub);
        }
        return command;
    }

    /// <summary>Runs a suite over the given paths (or its default), printing the report; exit code 1 when any case failed.</summary>
    public static int Run(IConformanceSuite suite, IReadOnlyList<string> paths)
    {
        var targets = paths.Count > 0 ? paths : [ConformancePaths.Resolve(suite.DefaultRelativePath)];
        try
        {
            foreach (var target in targets)
                if (!File.Exists(target) && !Directory.Exists(target))
                    throw new FileNotFoundException($"no such file or folder: {target}");
            var report = ConformanceReport.Collect(targets.SelectMany(suite.Run), Console.Out);
            return report.Failed == 0 ? 0 : 1;
        }
        catch (IOException e)
        {
            Console.Error.WriteLine($"error: {e.Message}");
            return 2;
        }
    }
}
