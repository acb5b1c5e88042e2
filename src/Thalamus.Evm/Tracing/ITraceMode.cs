namespace Thalamus.Evm;

/// <summary>
/// Compile-time switch for the interpreter loop: it is generic over a struct implementing this,
/// so the JIT emits one loop with the tracer calls and one with them removed.
/// </summary>
internal interface ITraceMode
{
    static abstract bool Enabled { get; }
}

internal readonly struct NoTracing : ITraceMode
{
    public static bool Enabled => false;
}

internal readonly struct WithTracing : ITraceMode
{
    public static bool Enabled => true;
}
