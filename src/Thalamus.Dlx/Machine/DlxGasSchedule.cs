namespace Thalamus.Dlx;

/// <summary>
/// Gas per instruction class and the extra, data-dependent cost of I/O traps (docs/dlx.md, "Gas").
/// An instruction runs only if its whole cost fits in the gas left; otherwise the machine stops in
/// front of it with <see cref="DlxStatus.OutOfGas"/> and nothing of it happens.
/// </summary>
public static class DlxGasSchedule
{
    public const int Alu = 1;
    public const int Branch = 2;
    public const int Memory = 3;
    public const int IntMultiply = 4;
    public const int IntDivide = 12;
    public const int FloatOp = 3;
    public const int FloatMultiply = 5;
    public const int FloatDivide = 15;
    public const int Trap = 10;

    /// <summary>Per byte moved by READ_INPUT and WRITE_OUTPUT (and per character printed by PRINT_*).</summary>
    public const int IoPerByte = 1;

    /// <summary>Extra base cost of STORAGE_READ, plus <see cref="IoPerByte"/> per byte copied.</summary>
    public const int StorageRead = 50;

    /// <summary>Extra base cost of STORAGE_WRITE, plus <see cref="StorageWritePerByte"/> per byte stored.</summary>
    public const int StorageWrite = 200;

    public const int StorageWritePerByte = 4;

    /// <summary>The largest gas limit a machine accepts (keeps every sum far from overflow).</summary>
    public const long MaxGasLimit = 1L << 62;

    public static int CostOf(DlxGasClass gasClass) => gasClass switch
    {
        DlxGasClass.Alu => Alu,
        DlxGasClass.Branch => Branch,
        DlxGasClass.Memory => Memory,
        DlxGasClass.IntMultiply => IntMultiply,
        DlxGasClass.IntDivide => IntDivide,
        DlxGasClass.FloatOp => FloatOp,
        DlxGasClass.FloatMultiply => FloatMultiply,
        DlxGasClass.FloatDivide => FloatDivide,
        DlxGasClass.Trap => Trap,
        _ => throw new ArgumentOutOfRangeException(nameof(gasClass)),
    };
}
