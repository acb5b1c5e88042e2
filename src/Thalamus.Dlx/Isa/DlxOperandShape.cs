namespace Thalamus.Dlx;

/// <summary>
/// The assembly operand list of an instruction, which also fixes which encoding fields it uses.
/// "Gpr" is an integer register r0–r31, "Single" any float register f0–f31, "Double" an even
/// float register (a double lives in the pair f2n:f2n+1), "Special" a special register (iar, fpsr).
/// </summary>
public enum DlxOperandShape : byte
{
    None,                   // nop, rfe
    GprGprGpr,              // add rd, rs1, rs2
    GprGprSigned,           // addi rd, rs1, simm16
    GprGprUnsigned,         // andi rd, rs1, uimm16
    GprGprShift,            // slli rd, rs1, 0..31
    GprUnsigned,            // lhi rd, uimm16
    LoadGpr,                // lw rd, off(rs1)
    LoadSingle,             // lf fd, off(rs1)
    LoadDouble,             // ld fd, off(rs1)
    StoreGpr,               // sw off(rs1), rd
    StoreSingle,            // sf off(rs1), fd
    StoreDouble,            // sd off(rs1), fd
    BranchGpr,              // beqz rs1, target
    BranchFp,               // bfpt target
    Jump,                   // j target
    JumpGpr,                // jr rs1
    Trap,                   // trap uimm26
    SingleSingleSingle,     // addf fd, fs1, fs2 (also mult/div: integers held in float registers)
    DoubleDoubleDouble,     // addd dd, ds1, ds2
    SingleSingle,           // movf fd, fs
    DoubleDouble,           // movd dd, ds
    DoubleSingle,           // cvtf2d dd, fs
    SingleDouble,           // cvtd2f fd, ds
    CompareSingle,          // eqf fs1, fs2
    CompareDouble,          // eqd ds1, ds2
    GprSingle,              // movfp2i rd, fs
    SingleGpr,              // movi2fp fd, rs
    SpecialGpr,             // movi2s special, rs
    GprSpecial,             // movs2i rd, special
}
