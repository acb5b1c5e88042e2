namespace Thalamus.Evm.Precompiles;

/// <summary>
/// The outcome of a precompile call. <see cref="GasUsed"/> is what the caller charges; when
/// <see cref="Success"/> is false (out of gas or invalid input) it is all the gas the call had
/// and <see cref="Output"/> is empty.
/// </summary>
public readonly record struct PrecompileResult(bool Success, long GasUsed, byte[] Output)
{
    /// <summary>
    /// Only for a <see cref="NativeContract"/> that is not a precompile: the call reverts like a contract's
    /// REVERT (its state changes undone, <see cref="Output"/> handed back as revert data, the gas not used kept).
    /// </summary>
    public bool IsRevert { get; init; }

    /// <summary>Only for a <see cref="NativeContract"/> that is not a precompile: logs the successful call emits (kept unless a caller reverts).</summary>
    public IReadOnlyList<LogEntry>? Logs { get; init; }

    /// <summary>A native contract's revert with <paramref name="revertData"/> after using <paramref name="gasUsed"/>.</summary>
    public static PrecompileResult Reverted(long gasUsed, byte[] revertData) => new(false, gasUsed, revertData) { IsRevert = true };

    /// <summary>A failed call: every unit of <paramref name="gasAvailable"/> consumed, no output.</summary>
    public static PrecompileResult Failure(long gasAvailable) => new(false, Math.Max(gasAvailable, 0), []);
}
