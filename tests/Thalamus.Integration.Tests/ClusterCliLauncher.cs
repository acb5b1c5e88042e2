using System.Diagnostics;

namespace Thalamus.Integration.Tests;

/// <summary>
/// How the integration tests start the CLI (<see cref="ThalamusNodeProcess"/> and the cluster tests):
/// THALAMUS_CLI (a thalamus.dll or an executable) if set, else the thalamus.dll copied next to
/// this test assembly by the project reference, run by the dotnet host running the tests.
/// </summary>
internal static class ClusterCliLauncher
{
    public static ProcessStartInfo StartInfo()
    {
        string? configured = Environment.GetEnvironmentVariable("THALAMUS_CLI");
        string cli = configured is { Length: > 0 } ? configured : Path.Combine(AppContext.BaseDirectory, "thalamus.dll");
        if (!File.Exists(cli))
            throw new FileNotFoundException($"The thalamus CLI was not found at {cli}; build tests/Thalamus.Integration.Tests (it references src/Thalamus.Cli) or set THALAMUS_CLI.", cli);
        if (!cli.EndsWith(".dll", StringComparison.OrdinalIgnoreCase))
            return new ProcessStartInfo(cli);
        var info = new ProcessStartInfo(DotnetHost());
        info.ArgumentList.Add(cli);
        return info;
    }

    private static string DotnetHost()
    {
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current).Equals("dotnet", StringComparison.OrdinalIgnoreCase))
            return current;
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
            return host;
        return ExternalProcess.FindOnPath("dotnet") ?? "dotnet";
    }
}
