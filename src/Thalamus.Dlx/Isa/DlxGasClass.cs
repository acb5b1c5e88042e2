namespace Thalamus.Dlx;

/// <summary>Instruction classes that share one gas cost (see <see cref="DlxGasSchedule"/> and docs/dlx.md).</summary>
public enum DlxGasClass : byte
{
    Alu,
    Branch,
    Memory,
    IntMultiply,
    IntDivide,
    FloatOp,
    FloatMultiply,
    FloatDivide,
    Trap,
}
