namespace Thalamus.Conformance;

/// <summary>
/// Finds the conformance data. <c>THALAMUS_CONFORMANCE_DIR</c> overrides it; otherwise it is
/// <c>../shared/conformance</c> beside the repository root, found by walking up from the
/// current directory and from the executable's directory to the folder holding <c>Thalamus.slnx</c>.
/// </summary>
public static class ConformancePaths
{
    public const string EnvironmentVariable = "THALAMUS_CONFORMANCE_DIR";

    public static string Root
    {
        get
        {
            var fromEnv = Environment.GetEnvironmentVariable(EnvironmentVariable);
            if (!string.IsNullOrWhiteSpace(fromEnv)) return Path.GetFullPath(fromEnv);
            foreach (var start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory, BuiltFromRepository ?? "" })
            {
                var repo = FindRepositoryRoot(start);
                if (repo is not null) return Path.GetFullPath(Path.Combine(repo, "..", "shared", "conformance"));
            }
            return Path.GetFullPath(Path.Combine(Directory.GetCurrentDirectory(), "..", "shared", "conformance"));
        }
    }

    /// <summary>The repository the assembly was built from (set at build time), if known.</summary>
    private static string? BuiltFromRepository =>
        typeof(ConformancePaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .OfType<System.Reflection.AssemblyMetadataAttribute>()
            .FirstOrDefault(a => a.Key == "RepositoryRoot")?.Value;

    public static string Resolve(string relative) => Path.Combine(Root, relative);

    public static string? FindRepositoryRoot(string start)
    {
        if (string.IsNullOrEmpty(start)) return null;
        for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            if (File.Exists(Path.Combine(dir.FullName, "Thalamus.slnx"))) return dir.FullName;
        return null;
    }

    /// <summary>Every <c>*.json</c> file under <paramref name="path"/> (or the file itself), in a stable order.</summary>
    public static IReadOnlyList<string> JsonFiles(string path)
    {
        if (File.Exists(path)) return [path];
        if (!Directory.Exists(path)) throw new DirectoryNotFoundException($"conformance data not found at '{path}' (set {EnvironmentVariable} to the conformance folder)");
        var files = Directory.GetFiles(path, "*.json", SearchOption.AllDirectories);
        Array.Sort(files, StringComparer.Ordinal);
        return files;
    }
}
