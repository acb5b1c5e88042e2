namespace Thalamus.Cluster.Replay;

/// <summary>One way a stored block differs from its re-execution.</summary>
public sealed record ReplayMismatch(ulong BlockNumber, string Description)
{
    public override string ToString() => $"block {BlockNumber}: {Description}";
}
