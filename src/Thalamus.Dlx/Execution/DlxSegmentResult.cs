namespace Thalamus.Dlx;

/// <summary>How one segment (or the join) ended. <see cref="Index"/> is -1 for the join.</summary>
public sealed record DlxSegmentResult(int Index, uint Entry, DlxStatus Status, DlxFault Fault, byte[] Output, long GasUsed, long Instructions, byte[] StateHash)
{
    public bool Halted => Status == DlxStatus.Halted;
}
