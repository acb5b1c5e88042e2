namespace Thalamus.Dlx;

/// <summary>
/// Per-machine limits, taken from the chain profile of the unit that runs the program:
/// the memory limit (bytes, a multiple of <see cref="DlxMemory.PageSize"/>) and the program's gas limit.
/// </summary>
public sealed record DlxMachineOptions
{
    public const uint DefaultMemoryLimit = 16u << 20;
    public const uint MaxMemoryLimit = 256u << 20;

    public uint MemoryLimit { get; init; } = DefaultMemoryLimit;

    public long GasLimit { get; init; } = DlxGasSchedule.MaxGasLimit;

    public static DlxMachineOptions Default { get; } = new();

    internal void Validate()
    {
        if (MemoryLimit < DlxMemory.PageSize || MemoryLimit > MaxMemoryLimit || MemoryLimit % DlxMemory.PageSize != 0)
            throw new ArgumentException($"memory limit must be a multiple of {DlxMemory.PageSize} between {DlxMemory.PageSize} and {MaxMemoryLimit}, got {MemoryLimit}");
        if (GasLimit < 0 || GasLimit > DlxGasSchedule.MaxGasLimit)
            throw new ArgumentException($"gas limit must be between 0 and {DlxGasSchedule.MaxGasLimit}, got {GasLimit}");
    }
}
