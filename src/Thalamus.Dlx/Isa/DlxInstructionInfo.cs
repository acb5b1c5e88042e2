namespace Thalamus.Dlx;

/// <summary>One row of the instruction map: name, opcode (and func for R-types), operand shape and gas class.</summary>
public sealed class DlxInstructionInfo
{
    internal DlxInstructionInfo(DlxMnemonic mnemonic, int opcode, int func, DlxFormat format, DlxOperandShape shape, DlxGasClass gasClass)
    {
        Mnemonic = mnemonic;
        Name = mnemonic.ToString().ToLowerInvariant();
        Opcode = opcode;
        Func = func;
        Format = format;
        Shape = shape;
        GasClass = gasClass;
    }

    public DlxMnemonic Mnemonic { get; }

    /// <summary>The assembly name (lower case).</summary>
    public string Name { get; }

    /// <summary>The 6-bit primary opcode.</summary>
    public int Opcode { get; }

    /// <summary>The 11-bit function code for R-types (opcode 0x00 and 0x01); -1 otherwise.</summary>
    public int Func { get; }

    public DlxFormat Format { get; }

    public DlxOperandShape Shape { get; }

    public DlxGasClass GasClass { get; }

    /// <summary>The base gas cost (<see cref="DlxGasSchedule.CostOf(DlxGasClass)"/>).</summary>
    public int Gas => DlxGasSchedule.CostOf(GasClass);

    /// <summary>True for instructions that may change the PC other than to PC + 4 (branches, jumps, TRAP, RFE).</summary>
    public bool IsControlTransfer => GasClass is DlxGasClass.Branch or DlxGasClass.Trap;

    public override string ToString() => Name;
}
