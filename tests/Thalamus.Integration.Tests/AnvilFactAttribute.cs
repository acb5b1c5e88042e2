using Xunit;

namespace Thalamus.Integration.Tests;

/// <summary>A fact that needs anvil (npm <c>@foundry-rs/anvil</c> in bench/load, after <c>npm ci</c> there); skipped with the reason when it is missing.</summary>
public sealed class AnvilFactAttribute : FactAttribute
{
    /// <summary>The anvil binary inside the npm package, or null.</summary>
    public static string? Binary { get; } = Find();

    public AnvilFactAttribute()
    {
        if (Binary is null) Skip = "anvil is not installed: run npm ci in bench/load (it brings @foundry-rs/anvil)";
    }

    private static string? Find()
    {
        var path = Path.Combine(RepositoryPaths.Root, "bench", "load", "node_modules", "@foundry-rs", "anvil-linux-amd64", "bin", "anvil");
        return OperatingSystem.IsLinux() && File.Exists(path) ? path : null;
    }
}
