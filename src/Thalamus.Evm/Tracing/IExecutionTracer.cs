namespace Thalamus.Evm;

/// <summary>
/// Per-instruction hook (EIP-3155 style). The interpreter is compiled twice, with and without
/// the calls to this interface, so a null tracer costs nothing per instruction.
/// </summary>
public interface IExecutionTracer
{
    /// <summary>Before an instruction runs.</summary>
    void OnStep(in ExecutionStep step);

    /// <summary>
    /// After the instruction of the last <see cref="OnStep"/> has been charged: <paramref name="gasRemaining"/>
    /// is the frame's gas after it (for CALL*/CREATE*, after the gas handed to the child);
    /// <paramref name="error"/> is set when it halted the frame exceptionally.
    /// </summary>
    void OnStepEnd(long gasRemaining, string? error);

    /// <summary>Once per transaction, after refunds: the top frame's output and the gas used.</summary>
    void OnTransactionEnd(ReadOnlySpan<byte> output, long gasUsed, string? error);
}
