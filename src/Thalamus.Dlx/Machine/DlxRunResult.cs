namespace Thalamus.Dlx;

/// <summary>What one <see cref="DlxMachine.Run"/> did.</summary>
public readonly record struct DlxRunResult(DlxStatus Status, DlxFault Fault, long Instructions, long Gas)
{
    /// <summary>True when the machine can be run further (paused or yielded).</summary>
    public bool CanContinue => Status is DlxStatus.Paused or DlxStatus.Yielded or DlxStatus.Ready;
}
