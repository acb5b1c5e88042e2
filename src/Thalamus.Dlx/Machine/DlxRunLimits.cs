namespace Thalamus.Dlx;

/// <summary>
/// The budget of one <see cref="DlxMachine.Run(DlxRunLimits)"/>: at most <see cref="MaxInstructions"/> instructions and
/// <see cref="MaxGas"/> gas in this run (the program's own gas limit still applies); with
/// <see cref="StopAtYield"/> a YIELD trap ends the run, otherwise it is a no-op.
/// </summary>
public sealed record DlxRunLimits(long MaxInstructions = long.MaxValue, long MaxGas = long.MaxValue, bool StopAtYield = false)
{
    public static DlxRunLimits Unlimited { get; } = new();
}
