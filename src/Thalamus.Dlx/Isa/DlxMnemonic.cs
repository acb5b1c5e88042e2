namespace Thalamus.Dlx;

/// <summary>Every DLX instruction the machine knows (H&amp;P integer and floating-point sets, plus NOP = the all-zero word).</summary>
public enum DlxMnemonic : byte
{
    Nop,
    // Opcode 0x00, integer R-type by func.
    Sll, Srl, Sra, Add, Addu, Sub, Subu, And, Or, Xor,
    Seq, Sne, Slt, Sgt, Sle, Sge,
    Movi2s, Movs2i, Movf, Movd, Movfp2i, Movi2fp,
    // Opcode 0x01, floating-point R-type by func.
    Addf, Subf, Multf, Divf, Addd, Subd, Multd, Divd,
    Cvtf2d, Cvtf2i, Cvtd2f, Cvtd2i, Cvti2f, Cvti2d,
    Mult, Div, Multu, Divu,
    Eqf, Nef, Ltf, Gtf, Lef, Gef,
    Eqd, Ned, Ltd, Gtd, Led, Ged,
    // I- and J-type by opcode.
    J, Jal, Beqz, Bnez, Bfpt, Bfpf,
    Addi, Addui, Subi, Subui, Andi, Ori, Xori, Lhi,
    Rfe, Trap, Jr, Jalr,
    Slli, Srli, Srai,
    Seqi, Snei, Slti, Sgti, Slei, Sgei,
    Lb, Lh, Lw, Lbu, Lhu, Lf, Ld,
    Sb, Sh, Sw, Sf, Sd,
}
