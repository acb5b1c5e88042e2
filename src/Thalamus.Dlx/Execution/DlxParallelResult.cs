namespace Thalamus.Dlx;

/// <summary>
/// The joined result of a segmented program: every segment's result in declaration order, the join's,
/// the program output (the join's), the merged storage, and a combined hash over all state hashes.
/// When a segment does not halt, <see cref="Join"/> is null and <see cref="Error"/> says why.
/// </summary>
public sealed record DlxParallelResult(
    IReadOnlyList<DlxSegmentResult> Segments,
    DlxSegmentResult? Join,
    string? Error,
    IReadOnlyDictionary<uint, byte[]> Storage,
    byte[] CombinedHash)
{
    public bool Succeeded => Error is null && Join is { Halted: true };

    public byte[] Output => Join?.Output ?? [];

    public long TotalGas => Segments.Sum(s => s.GasUsed) + (Join?.GasUsed ?? 0);
}
