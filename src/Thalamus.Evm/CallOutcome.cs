namespace Thalamus.Evm;

/// <summary>How a frame (or a call finished without one) ended, as handed back to its caller.</summary>
internal readonly record struct CallOutcome(ExecutionStatus Status, long GasLeft, byte[] Output)
{
    public static CallOutcome Succeeded(long gasLeft) => new(ExecutionStatus.Success, gasLeft, []);

    /// <summary>A call refused before it ran (depth, balance, nonce): it failed, but keeps its gas.</summary>
    public static CallOutcome Refused(long gasLeft) => new(ExecutionStatus.Revert, gasLeft, []);
}
