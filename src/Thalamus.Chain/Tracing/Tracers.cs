namespace Thalamus.Chain.Tracing;

/// <summary>The tracers debug_trace* accepts, by geth's names: one row each.</summary>
public static class Tracers
{
    public const string CallTracer = "callTracer";
    public const string PrestateTracer = "prestateTracer";

    private static readonly Dictionary<string, Func<TraceOptions, ITransactionTracer>> Table = new(StringComparer.Ordinal)
    {
        [CallTracer] = o => new CallTracer(o.OnlyTopCall, o.WithLog),
        [PrestateTracer] = o => new PrestateTracer(o.DiffMode, o.DisableCode, o.DisableStorage),
    };

    /// <summary>The names accepted in <see cref="TraceOptions.Tracer"/> (null or absent: the struct logger).</summary>
    public static IReadOnlyCollection<string> Names => Table.Keys;

    /// <summary>A new tracer for one transaction.</summary>
    /// <exception cref="ChainException">an unknown tracer name (geth: "tracer not found").</exception>
    public static ITransactionTracer Create(TraceOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (options.Tracer is null) return new StructLogger(options);
        return Table.TryGetValue(options.Tracer, out var create)
            ? create(options)
            : throw new ChainException($"tracer not found: {options.Tracer} (this node has {string.Join(", ", Table.Keys)}, or none for the struct logger)");
    }
}
