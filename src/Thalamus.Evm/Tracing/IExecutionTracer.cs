using Thalamus.Core;

namespace Thalamus.Evm;

/// <summary>
/// Per-instruction hook (EIP-3155 style). The interpreter is compiled twice, with and without
/// the calls to this interface, so a null tracer costs nothing per instruction.
/// </summary>
public interface IExecutionTracer
{
    /// <summary>
    /// False for a tracer that needs only frames and logs (<see cref="OnEnter"/>, <see cref="OnExit"/>,
    /// <see cref="OnLog"/>): the interpreter then runs its untraced loop, at full speed.
    /// </summary>
    bool TracesSteps => true;

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

    /// <summary>
    /// A call or creation starts at <paramref name="depth"/> (0 for the transaction's own), also one
    /// that is refused or answered without running code (a precompile, an account without code, a
    /// cross-chain call). <paramref name="opcode"/> is CALL, CALLCODE, DELEGATECALL, STATICCALL, CREATE
    /// or CREATE2 (the transaction's own call is CALL or CREATE); <paramref name="from"/> is the account
    /// that called, <paramref name="to"/> the account whose code runs (geth's callTracer fields).
    /// Called once per frame, not per instruction; the default does nothing.
    /// </summary>
    void OnEnter(int depth, byte opcode, in Address from, in Address to, ReadOnlySpan<byte> input, long gas, in UInt256 value) { }

    /// <summary>The frame of the last unmatched <see cref="OnEnter"/> ended: its output, the gas it left, and why it failed (geth's wording) or null.</summary>
    void OnExit(int depth, ReadOnlySpan<byte> output, long gasLeft, string? error) { }

    /// <summary>A LOG instruction emitted <paramref name="log"/> (it vanishes again if its frame fails).</summary>
    void OnLog(in LogEntry log) { }
}
