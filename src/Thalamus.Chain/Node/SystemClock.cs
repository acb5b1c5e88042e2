namespace Thalamus.Chain;

/// <summary>The wall clock, for hosts (the core itself only sees <see cref="IClock"/>).</summary>
public sealed class SystemClock : IClock
{
    public static readonly SystemClock Instance = new();

    public DateTimeOffset UtcNow => DateTimeOffset.UtcNow;
}
