namespace Thalamus.Dlx;

/// <summary>
/// One decoded DLX instruction: the mnemonic and its operand fields. <see cref="Rd"/> is the destination
/// (for stores: the register stored), <see cref="Rs1"/> the first source (for loads and stores: the base),
/// <see cref="Rs2"/> the second source, <see cref="Immediate"/> the immediate as the machine sees it
/// (sign- or zero-extended; for branches and J/JAL the offset from PC + 4; for TRAP the trap number).
/// Fields an instruction does not use are zero.
/// </summary>
public readonly record struct DlxInstruction(DlxMnemonic Mnemonic, int Rd = 0, int Rs1 = 0, int Rs2 = 0, int Immediate = 0)
{
    public DlxInstructionInfo Info => DlxInstructionSet.Get(Mnemonic);

    /// <summary>Encodes the instruction; throws <see cref="ArgumentException"/> when a field is out of range for it.</summary>
    public uint Encode()
    {
        var info = Info;
        string? problem = Validate(info);
        if (problem is not null) throw new ArgumentException($"{info.Name}: {problem}");
        uint op = (uint)info.Opcode << 26;
        return info.Format switch
        {
            DlxFormat.R => op | (uint)Rs1 << 21 | (uint)Rs2 << 16 | (uint)Rd << 11 | (uint)info.Func,
            DlxFormat.I => op | (uint)Rs1 << 21 | (uint)Rd << 16 | ((uint)Immediate & 0xFFFF),
            _ => op | ((uint)Immediate & 0x3FFFFFF),
        };
    }

    /// <summary>Why this instruction cannot be encoded, or null when it can.</summary>
    public string? Validate() => Validate(Info);

    private string? Validate(DlxInstructionInfo info)
    {
        var (rd, rs1, rs2, imm) = Fields(info.Shape);
        if (!rd && Rd != 0) return "has no destination register field";
        if (!rs1 && Rs1 != 0) return "has no first source register field";
        if (!rs2 && Rs2 != 0) return "has no second source register field";
        if (imm == ImmediateKind.None && Immediate != 0) return "takes no immediate";
        if ((uint)Rd > 31 || (uint)Rs1 > 31 || (uint)Rs2 > 31) return "register number out of range 0..31";
        switch (info.Shape)
        {
            case DlxOperandShape.LoadDouble or DlxOperandShape.StoreDouble:
                if ((Rd & 1) != 0) return "double register must be even (f0, f2, …, f30)";
                break;
            case DlxOperandShape.DoubleDoubleDouble:
                if (((Rd | Rs1 | Rs2) & 1) != 0) return "double registers must be even (f0, f2, …, f30)";
                break;
            case DlxOperandShape.DoubleDouble:
                if (((Rd | Rs1) & 1) != 0) return "double registers must be even (f0, f2, …, f30)";
                break;
            case DlxOperandShape.DoubleSingle:
                if ((Rd & 1) != 0) return "double register must be even (f0, f2, …, f30)";
                break;
            case DlxOperandShape.SingleDouble:
                if ((Rs1 & 1) != 0) return "double register must be even (f0, f2, …, f30)";
                break;
            case DlxOperandShape.CompareDouble:
                if (((Rs1 | Rs2) & 1) != 0) return "double registers must be even (f0, f2, …, f30)";
                break;
            case DlxOperandShape.SpecialGpr:
                if (Rd > (int)DlxSpecialRegister.Fpsr) return "special register must be iar or fpsr";
                break;
            case DlxOperandShape.GprSpecial:
                if (Rs1 > (int)DlxSpecialRegister.Fpsr) return "special register must be iar or fpsr";
                break;
        }
        return imm switch
        {
            ImmediateKind.Signed16 when Immediate is < short.MinValue or > short.MaxValue => $"immediate {Immediate} out of range -32768..32767",
            ImmediateKind.Unsigned16 when Immediate is < 0 or > ushort.MaxValue => $"immediate {Immediate} out of range 0..65535",
            ImmediateKind.Shift when Immediate is < 0 or > 31 => $"shift amount {Immediate} out of range 0..31",
            ImmediateKind.Signed26 when Immediate is < -(1 << 25) or >= 1 << 25 => $"offset {Immediate} out of range -33554432..33554431",
            ImmediateKind.Unsigned26 when Immediate is < 0 or >= 1 << 26 => $"trap number {Immediate} out of range 0..67108863",
            _ => null,
        };
    }

    /// <summary>
    /// Decodes a word if it is the canonical encoding of an instruction (known opcode/func, unused
    /// fields zero, register and immediate constraints met), so that <c>Encode()</c> gives the word back.
    /// </summary>
    public static bool TryDecode(uint word, out DlxInstruction instruction)
    {
        instruction = DecodeFields(word, out var info);
        return info is not null && instruction.Validate(info) is null && instruction.Encode() == word;
    }

    /// <summary>Decodes a word, taking the operand fields an instruction uses and ignoring the others; null for an unknown opcode/func.</summary>
    internal static DlxInstruction DecodeFields(uint word, out DlxInstructionInfo? info)
    {
        info = DlxInstructionSet.Lookup(word);
        if (info is null) return default;
        int f1 = (int)(word >> 21) & 31, f2 = (int)(word >> 16) & 31, f3 = (int)(word >> 11) & 31;
        var (rd, rs1, rs2, imm) = Fields(info.Shape);
        int immediate = imm switch
        {
            ImmediateKind.Signed16 => (short)word,
            ImmediateKind.Unsigned16 or ImmediateKind.Shift => (ushort)word,
            ImmediateKind.Signed26 => ((int)word << 6) >> 6,
            ImmediateKind.Unsigned26 => (int)(word & 0x3FFFFFF),
            _ => 0,
        };
        return info.Format == DlxFormat.R
            ? new DlxInstruction(info.Mnemonic, rd ? f3 : 0, rs1 ? f1 : 0, rs2 ? f2 : 0, 0)
            : new DlxInstruction(info.Mnemonic, rd ? f2 : 0, rs1 ? f1 : 0, 0, immediate);
    }

    internal enum ImmediateKind : byte { None, Signed16, Unsigned16, Shift, Signed26, Unsigned26 }

    /// <summary>Which fields a shape uses: (rd, rs1, rs2, immediate kind).</summary>
    internal static (bool Rd, bool Rs1, bool Rs2, ImmediateKind Imm) Fields(DlxOperandShape shape) => shape switch
    {
        DlxOperandShape.None => (false, false, false, ImmediateKind.None),
        DlxOperandShape.GprGprGpr or DlxOperandShape.SingleSingleSingle or DlxOperandShape.DoubleDoubleDouble => (true, true, true, ImmediateKind.None),
        DlxOperandShape.GprGprSigned => (true, true, false, ImmediateKind.Signed16),
        DlxOperandShape.GprGprUnsigned => (true, true, false, ImmediateKind.Unsigned16),
        DlxOperandShape.GprGprShift => (true, true, false, ImmediateKind.Shift),
        DlxOperandShape.GprUnsigned => (true, false, false, ImmediateKind.Unsigned16),
        DlxOperandShape.LoadGpr or DlxOperandShape.LoadSingle or DlxOperandShape.LoadDouble
            or DlxOperandShape.StoreGpr or DlxOperandShape.StoreSingle or DlxOperandShape.StoreDouble => (true, true, false, ImmediateKind.Signed16),
        DlxOperandShape.BranchGpr => (false, true, false, ImmediateKind.Signed16),
        DlxOperandShape.BranchFp => (false, false, false, ImmediateKind.Signed16),
        DlxOperandShape.Jump => (false, false, false, ImmediateKind.Signed26),
        DlxOperandShape.JumpGpr => (false, true, false, ImmediateKind.None),
        DlxOperandShape.Trap => (false, false, false, ImmediateKind.Unsigned26),
        DlxOperandShape.SingleSingle or DlxOperandShape.DoubleDouble or DlxOperandShape.DoubleSingle or DlxOperandShape.SingleDouble
            or DlxOperandShape.GprSingle or DlxOperandShape.SingleGpr or DlxOperandShape.SpecialGpr or DlxOperandShape.GprSpecial => (true, true, false, ImmediateKind.None),
        DlxOperandShape.CompareSingle or DlxOperandShape.CompareDouble => (false, true, true, ImmediateKind.None),
        _ => throw new ArgumentOutOfRangeException(nameof(shape)),
    };

    /// <summary>The assembly text; branch and jump targets are shown as offsets (see <see cref="DlxDisassembler"/> for addresses).</summary>
    public override string ToString() => DlxDisassembler.Format(this, target: null);
}
