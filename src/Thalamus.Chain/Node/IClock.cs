namespace Thalamus.Chain;

/// <summary>The only source of time in the chain core, so tests (and the cluster) control it.</summary>
public interface IClock
{
    DateTimeOffset UtcNow { get; }
}
