using System.Diagnostics;
using System.Runtime.InteropServices;
using Xunit;

namespace Thalamus.Integration.Tests;

/// <summary>
/// Foundry's <c>cast</c> 1.7.1 from npm (<c>@foundry-rs/cast</c> in js/package.json, installed by
/// scripts/setup.sh): the binary is in the platform package <c>@foundry-rs/cast-OS-ARCH</c>. When it
/// is missing, the first use installs the folder's packages once (<c>npm ci</c>, as setup.sh does).
/// </summary>
internal static class FoundryCast
{
    private static readonly Lazy<(string? Path, string Reason)> LazyExecutable = new(Locate);

    /// <summary>The cast binary, or null (<see cref="MissingReason"/> says why).</summary>
    public static string? Executable => LazyExecutable.Value.Path;

    public static string MissingReason => LazyExecutable.Value.Reason;

    private static string PlatformPackage()
    {
        var os = OperatingSystem.IsWindows() ? "win32" : OperatingSystem.IsMacOS() ? "darwin" : "linux";
        var arch = RuntimeInformation.OSArchitecture == Architecture.Arm64 ? "arm64" : "amd64";
        return $"cast-{os}-{arch}";
    }

    private static string ExpectedPath() => Path.Combine(RepositoryPaths.ClientTestsDirectory, "node_modules", "@foundry-rs", PlatformPackage(), "bin",
        OperatingSystem.IsWindows() ? "cast.exe" : "cast");

    private static (string?, string) Locate()
    {
        if (Environment.GetEnvironmentVariable("THALAMUS_CAST") is { Length: > 0 } configured && File.Exists(configured)) return (configured, "");
        var path = ExpectedPath();
        if (File.Exists(path)) return (path, "");
        if (ExternalProcess.FindOnPath("npm") is not { } npm)
            return (null, $"Foundry's cast is not installed ({path} is missing) and npm is not on PATH to install it; run scripts/setup.sh.");
        // Install once, as scripts/setup.sh does (offline from the npm cache when it has the packages).
        var info = new ProcessStartInfo(npm) { WorkingDirectory = RepositoryPaths.ClientTestsDirectory, RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "ci", "--no-audit", "--no-fund", "--loglevel=error" }) info.ArgumentList.Add(argument);
        try
        {
            using var process = Process.Start(info)!;
            var errors = process.StandardError.ReadToEndAsync();
            process.StandardOutput.ReadToEnd();
            if (!process.WaitForExit(TimeSpan.FromMinutes(5)))
            {
                process.Kill(entireProcessTree: true);
                return (null, $"Foundry's cast could not be installed: npm ci in {RepositoryPaths.ClientTestsDirectory} took more than 5 minutes.");
            }
            if (File.Exists(path)) return (path, "");
            return (null, $"Foundry's cast could not be installed: npm ci in {RepositoryPaths.ClientTestsDirectory} exited {process.ExitCode} without {path}: {errors.Result.Trim()}");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (null, $"Foundry's cast could not be installed: npm failed to start ({e.Message}).");
        }
    }

    /// <summary>Runs <c>cast ARGS</c> (nightly warning off) and returns its result.</summary>
    public static Task<ProcessResult> RunAsync(params string[] arguments) =>
        ExternalProcess.RunAsync(Executable ?? throw new InvalidOperationException(MissingReason), arguments, Path.GetTempPath(), TimeSpan.FromMinutes(2),
            new Dictionary<string, string> { ["FOUNDRY_DISABLE_NIGHTLY_WARNING"] = "1", ["NO_COLOR"] = "1" });
}

/// <summary>A fact skipped, with the reason, only when Foundry's cast cannot be installed (the skip is counted in the summary).</summary>
public sealed class CastFactAttribute : FactAttribute
{
    public CastFactAttribute()
    {
        if (FoundryCast.Executable is null) Skip = FoundryCast.MissingReason;
    }
}
