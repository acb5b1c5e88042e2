namespace Thalamus.Dlx;

/// <summary>How <see cref="DlxParallelExecutor"/> runs a program's independent segments.</summary>
public enum DlxExecutionMode
{
    /// <summary>One after the other, in declaration order.</summary>
    Synchronous,

    /// <summary>In parallel; the result is the same as synchronous, only sooner.</summary>
    Asynchronous,
}
