namespace Thalamus.Dlx;

/// <summary>
/// The interpreter's operation codes: one per <see cref="DlxMnemonic"/> (same names, mapped by name at
/// start-up) plus the pseudo-operations the decoder produces for words that cannot run.
/// </summary>
internal enum ExecOp : byte
{
    Nop,
    Sll, Srl, Sra, Add, Addu, Sub, Subu, And, Or, Xor,
    Seq, Sne, Slt, Sgt, Sle, Sge,
    Movi2s, Movs2i, Movf, Movd, Movfp2i, Movi2fp,
    Addf, Subf, Multf, Divf, Addd, Subd, Multd, Divd,
    Cvtf2d, Cvtf2i, Cvtd2f, Cvtd2i, Cvti2f, Cvti2d,
    Mult, Div, Multu, Divu,
    Eqf, Nef, Ltf, Gtf, Lef, Gef,
    Eqd, Ned, Ltd, Gtd, Led, Ged,
    J, Jal, Beqz, Bnez, Bfpt, Bfpf,
    Addi, Addui, Subi, Subui, Andi, Ori, Xori, Lhi,
    Rfe, Trap, Jr, Jalr,
    Slli, Srli, Srai,
    Seqi, Snei, Slti, Sgti, Slei, Sgei,
    Lb, Lh, Lw, Lbu, Lhu, Lf, Ld,
    Sb, Sh, Sw, Sf, Sd,

    /// <summary>A word that is no instruction: faults with <see cref="DlxFault.IllegalInstruction"/>.</summary>
    Illegal,

    /// <summary>The sentinel after the last code word: running into it faults with <see cref="DlxFault.BadJumpTarget"/>.</summary>
    OutOfCode,
}
