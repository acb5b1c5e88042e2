using System.Collections.Frozen;

namespace Thalamus.Dlx;

/// <summary>The DLX instruction map (SPEC.md section 7): lookups by mnemonic, by name and by encoding.</summary>
public static class DlxInstructionSet
{
    /// <summary>Opcode of the integer R-type group (selected by func).</summary>
    public const int IntegerRType = 0x00;

    /// <summary>Opcode of the floating-point R-type group (selected by func).</summary>
    public const int FloatRType = 0x01;

    private static readonly DlxInstructionInfo[] ByMnemonic;
    private static readonly DlxInstructionInfo?[] ByOpcode = new DlxInstructionInfo?[64];
    private static readonly DlxInstructionInfo?[] ByIntegerFunc = new DlxInstructionInfo?[64];
    private static readonly DlxInstructionInfo?[] ByFloatFunc = new DlxInstructionInfo?[64];
    private static readonly FrozenDictionary<string, DlxInstructionInfo> ByName;

    static DlxInstructionSet()
    {
        var all = new List<DlxInstructionInfo>();
        void R(DlxMnemonic m, int func, DlxOperandShape shape, DlxGasClass gas) => all.Add(new(m, IntegerRType, func, DlxFormat.R, shape, gas));
        void F(DlxMnemonic m, int func, DlxOperandShape shape, DlxGasClass gas) => all.Add(new(m, FloatRType, func, DlxFormat.R, shape, gas));
        void I(DlxMnemonic m, int op, DlxOperandShape shape, DlxGasClass gas) => all.Add(new(m, op, -1, DlxFormat.I, shape, gas));
        void J(DlxMnemonic m, int op, DlxOperandShape shape, DlxGasClass gas) => all.Add(new(m, op, -1, DlxFormat.J, shape, gas));
        const DlxGasClass alu = DlxGasClass.Alu, br = DlxGasClass.Branch, mem = DlxGasClass.Memory, fp = DlxGasClass.FloatOp;
        const DlxGasClass fmul = DlxGasClass.FloatMultiply, fdiv = DlxGasClass.FloatDivide;

        R(DlxMnemonic.Nop, 0x00, DlxOperandShape.None, alu);
        R(DlxMnemonic.Sll, 0x04, DlxOperandShape.GprGprGpr, alu);
        R(DlxMnemonic.Srl, 0x06, DlxOperandShape.GprGprGpr, alu);
        R(DlxMnemonic.Sra, 0x07, DlxOperandShape.GprGprGpr, alu);
        R(DlxMnemonic.Add, 0x20, DlxOperandShape.GprGprGpr, alu);
        R(DlxMnemonic.Addu, 0x21, DlxOperandShape.GprGprGpr, alu);
        R(DlxMnemonic.Sub, 0x22, DlxOperandShape.GprGprGpr, alu);
        R(DlxMnemonic.Subu, 0x23, DlxOperandShape.GprGprGpr, alu);
        R(DlxMnemonic.And, 0x24, DlxOperandShape.GprGprGpr, alu);
        R(DlxMnemonic.Or, 0x25, DlxOperandShape.GprGprGpr, alu);
        R(DlxMnemonic.Xor, 0x26, DlxOperandShape.GprGprGpr, alu);
        R(DlxMnemonic.Seq, 0x28, DlxOperandShape.GprGprGpr, alu);
        R(DlxMnemonic.Sne, 0x29, DlxOperandShape.GprGprGpr, alu);
        R(DlxMnemonic.Slt, 0x2A, DlxOperandShape.GprGprGpr, alu);
        R(DlxMnemonic.Sgt, 0x2B, DlxOperandShape.GprGprGpr, alu);
        R(DlxMnemonic.Sle, 0x2C, DlxOperandShape.GprGprGpr, alu);
        R(DlxMnemonic.Sge, 0x2D, DlxOperandShape.GprGprGpr, alu);
        R(DlxMnemonic.Movi2s, 0x30, DlxOperandShape.SpecialGpr, alu);
        R(DlxMnemonic.Movs2i, 0x31, DlxOperandShape.GprSpecial, alu);
        R(DlxMnemonic.Movf, 0x32, DlxOperandShape.SingleSingle, alu);
        R(DlxMnemonic.Movd, 0x33, DlxOperandShape.DoubleDouble, alu);
        R(DlxMnemonic.Movfp2i, 0x34, DlxOperandShape.GprSingle, alu);
        R(DlxMnemonic.Movi2fp, 0x35, DlxOperandShape.SingleGpr, alu);

        F(DlxMnemonic.Addf, 0x00, DlxOperandShape.SingleSingleSingle, fp);
        F(DlxMnemonic.Subf, 0x01, DlxOperandShape.SingleSingleSingle, fp);
        F(DlxMnemonic.Multf, 0x02, DlxOperandShape.SingleSingleSingle, fmul);
        F(DlxMnemonic.Divf, 0x03, DlxOperandShape.SingleSingleSingle, fdiv);
        F(DlxMnemonic.Addd, 0x04, DlxOperandShape.DoubleDoubleDouble, fp);
        F(DlxMnemonic.Subd, 0x05, DlxOperandShape.DoubleDoubleDouble, fp);
        F(DlxMnemonic.Multd, 0x06, DlxOperandShape.DoubleDoubleDouble, fmul);
        F(DlxMnemonic.Divd, 0x07, DlxOperandShape.DoubleDoubleDouble, fdiv);
        F(DlxMnemonic.Cvtf2d, 0x08, DlxOperandShape.DoubleSingle, fp);
        F(DlxMnemonic.Cvtf2i, 0x09, DlxOperandShape.SingleSingle, fp);
        F(DlxMnemonic.Cvtd2f, 0x0A, DlxOperandShape.SingleDouble, fp);
        F(DlxMnemonic.Cvtd2i, 0x0B, DlxOperandShape.SingleDouble, fp);
        F(DlxMnemonic.Cvti2f, 0x0C, DlxOperandShape.SingleSingle, fp);
        F(DlxMnemonic.Cvti2d, 0x0D, DlxOperandShape.DoubleSingle, fp);
        F(DlxMnemonic.Mult, 0x0E, DlxOperandShape.SingleSingleSingle, DlxGasClass.IntMultiply);
        F(DlxMnemonic.Div, 0x0F, DlxOperandShape.SingleSingleSingle, DlxGasClass.IntDivide);
        F(DlxMnemonic.Eqf, 0x10, DlxOperandShape.CompareSingle, fp);
        F(DlxMnemonic.Nef, 0x11, DlxOperandShape.CompareSingle, fp);
        F(DlxMnemonic.Ltf, 0x12, DlxOperandShape.CompareSingle, fp);
        F(DlxMnemonic.Gtf, 0x13, DlxOperandShape.CompareSingle, fp);
        F(DlxMnemonic.Lef, 0x14, DlxOperandShape.CompareSingle, fp);
        F(DlxMnemonic.Gef, 0x15, DlxOperandShape.CompareSingle, fp);
        F(DlxMnemonic.Multu, 0x16, DlxOperandShape.SingleSingleSingle, DlxGasClass.IntMultiply);
        F(DlxMnemonic.Divu, 0x17, DlxOperandShape.SingleSingleSingle, DlxGasClass.IntDivide);
        F(DlxMnemonic.Eqd, 0x18, DlxOperandShape.CompareDouble, fp);
        F(DlxMnemonic.Ned, 0x19, DlxOperandShape.CompareDouble, fp);
        F(DlxMnemonic.Ltd, 0x1A, DlxOperandShape.CompareDouble, fp);
        F(DlxMnemonic.Gtd, 0x1B, DlxOperandShape.CompareDouble, fp);
        F(DlxMnemonic.Led, 0x1C, DlxOperandShape.CompareDouble, fp);
        F(DlxMnemonic.Ged, 0x1D, DlxOperandShape.CompareDouble, fp);

        J(DlxMnemonic.J, 0x02, DlxOperandShape.Jump, br);
        J(DlxMnemonic.Jal, 0x03, DlxOperandShape.Jump, br);
        I(DlxMnemonic.Beqz, 0x04, DlxOperandShape.BranchGpr, br);
        I(DlxMnemonic.Bnez, 0x05, DlxOperandShape.BranchGpr, br);
        I(DlxMnemonic.Bfpt, 0x06, DlxOperandShape.BranchFp, br);
        I(DlxMnemonic.Bfpf, 0x07, DlxOperandShape.BranchFp, br);
        I(DlxMnemonic.Addi, 0x08, DlxOperandShape.GprGprSigned, alu);
        I(DlxMnemonic.Addui, 0x09, DlxOperandShape.GprGprUnsigned, alu);
        I(DlxMnemonic.Subi, 0x0A, DlxOperandShape.GprGprSigned, alu);
        I(DlxMnemonic.Subui, 0x0B, DlxOperandShape.GprGprUnsigned, alu);
        I(DlxMnemonic.Andi, 0x0C, DlxOperandShape.GprGprUnsigned, alu);
        I(DlxMnemonic.Ori, 0x0D, DlxOperandShape.GprGprUnsigned, alu);
        I(DlxMnemonic.Xori, 0x0E, DlxOperandShape.GprGprUnsigned, alu);
        I(DlxMnemonic.Lhi, 0x0F, DlxOperandShape.GprUnsigned, alu);
        J(DlxMnemonic.Rfe, 0x10, DlxOperandShape.None, br);
        J(DlxMnemonic.Trap, 0x11, DlxOperandShape.Trap, DlxGasClass.Trap);
        I(DlxMnemonic.Jr, 0x12, DlxOperandShape.JumpGpr, br);
        I(DlxMnemonic.Jalr, 0x13, DlxOperandShape.JumpGpr, br);
        I(DlxMnemonic.Slli, 0x14, DlxOperandShape.GprGprShift, alu);
        I(DlxMnemonic.Srli, 0x16, DlxOperandShape.GprGprShift, alu);
        I(DlxMnemonic.Srai, 0x17, DlxOperandShape.GprGprShift, alu);
        I(DlxMnemonic.Seqi, 0x18, DlxOperandShape.GprGprSigned, alu);
        I(DlxMnemonic.Snei, 0x19, DlxOperandShape.GprGprSigned, alu);
        I(DlxMnemonic.Slti, 0x1A, DlxOperandShape.GprGprSigned, alu);
        I(DlxMnemonic.Sgti, 0x1B, DlxOperandShape.GprGprSigned, alu);
        I(DlxMnemonic.Slei, 0x1C, DlxOperandShape.GprGprSigned, alu);
        I(DlxMnemonic.Sgei, 0x1D, DlxOperandShape.GprGprSigned, alu);
        I(DlxMnemonic.Lb, 0x20, DlxOperandShape.LoadGpr, mem);
        I(DlxMnemonic.Lh, 0x21, DlxOperandShape.LoadGpr, mem);
        I(DlxMnemonic.Lw, 0x23, DlxOperandShape.LoadGpr, mem);
        I(DlxMnemonic.Lbu, 0x24, DlxOperandShape.LoadGpr, mem);
        I(DlxMnemonic.Lhu, 0x25, DlxOperandShape.LoadGpr, mem);
        I(DlxMnemonic.Lf, 0x26, DlxOperandShape.LoadSingle, mem);
        I(DlxMnemonic.Ld, 0x27, DlxOperandShape.LoadDouble, mem);
        I(DlxMnemonic.Sb, 0x28, DlxOperandShape.StoreGpr, mem);
        I(DlxMnemonic.Sh, 0x29, DlxOperandShape.StoreGpr, mem);
        I(DlxMnemonic.Sw, 0x2B, DlxOperandShape.StoreGpr, mem);
        I(DlxMnemonic.Sf, 0x2E, DlxOperandShape.StoreSingle, mem);
        I(DlxMnemonic.Sd, 0x2F, DlxOperandShape.StoreDouble, mem);

        ByMnemonic = new DlxInstructionInfo[Enum.GetValues<DlxMnemonic>().Length];
        foreach (var info in all)
        {
            if (ByMnemonic[(int)info.Mnemonic] is not null) throw new InvalidOperationException($"duplicate {info.Name}");
            ByMnemonic[(int)info.Mnemonic] = info;
            var table = info.Opcode == IntegerRType ? ByIntegerFunc : info.Opcode == FloatRType ? ByFloatFunc : ByOpcode;
            int index = info.Format == DlxFormat.R ? info.Func : info.Opcode;
            if (table[index] is not null) throw new InvalidOperationException($"encoding clash: {info.Name} and {table[index]!.Name}");
            table[index] = info;
        }
        if (ByMnemonic.Any(i => i is null)) throw new InvalidOperationException("a mnemonic has no encoding");
        All = ByMnemonic;
        ByName = all.ToFrozenDictionary(i => i.Name, StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>Every instruction, indexed by <see cref="DlxMnemonic"/>.</summary>
    public static IReadOnlyList<DlxInstructionInfo> All { get; }

    public static DlxInstructionInfo Get(DlxMnemonic mnemonic) => ByMnemonic[(int)mnemonic];

    /// <summary>Looks an instruction up by its assembly name (case-insensitive).</summary>
    public static bool TryGetByName(string name, out DlxInstructionInfo info) => ByName.TryGetValue(name, out info!);

    /// <summary>The instruction a 32-bit word encodes by its opcode (and func), ignoring the operand fields; null if none.</summary>
    public static DlxInstructionInfo? Lookup(uint word)
    {
        int opcode = (int)(word >> 26);
        if (opcode is IntegerRType or FloatRType)
        {
            uint func = word & 0x7FF;
            if (func >= 64) return null;
            return (opcode == IntegerRType ? ByIntegerFunc : ByFloatFunc)[func];
        }
        return ByOpcode[opcode];
    }
}
