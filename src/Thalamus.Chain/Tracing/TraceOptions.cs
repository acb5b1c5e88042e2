namespace Thalamus.Chain.Tracing;

/// <summary>
/// geth's trace configuration: <c>tracer</c> (null: the struct logger), the struct logger's
/// switches, and the tracer's own <c>tracerConfig</c> (callTracer: onlyTopCall, withLog;
/// prestateTracer: diffMode, disableCode, disableStorage).
/// </summary>
public sealed record TraceOptions
{
    public string? Tracer { get; init; }
    public bool DisableStack { get; init; }
    public bool DisableStorage { get; init; }
    public bool EnableMemory { get; init; }
    public bool EnableReturnData { get; init; }
    /// <summary>Most struct log entries kept; 0 keeps all.</summary>
    public int Limit { get; init; }

    /// <summary>
    /// Most bytes of struct logs one trace may produce (the result is held in memory, as geth holds
    /// it): beyond, the trace fails with a clear error instead of exhausting the node's memory.
    /// </summary>
    public long MaxStructLogBytes { get; init; } = DefaultMaxStructLogBytes;

    public const long DefaultMaxStructLogBytes = 256L << 20;
    public bool OnlyTopCall { get; init; }
    public bool WithLog { get; init; }
    public bool DiffMode { get; init; }
    public bool DisableCode { get; init; }
}
