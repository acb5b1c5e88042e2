using System.Runtime.InteropServices;

namespace Thalamus.Dlx;

/// <summary>
/// The pre-decoded form of one code word (16 bytes). Register fields are ready to index the register
/// file (a GPR destination r0 becomes the sink slot 32), immediates are extended, static branch and
/// jump targets are code indices (-1 when the target is outside the code region).
/// <see cref="BlockGas"/> and <see cref="BlockLength"/> are the gas and instruction count from this
/// instruction to the end of its basic block (the next control transfer, inclusive): the interpreter
/// charges a whole block on entry and checks budgets only between blocks.
/// </summary>
[StructLayout(LayoutKind.Sequential)]
internal struct DecodedInstruction
{
    public ExecOp Op;
    public byte Rd;
    public byte Rs1;
    public byte Rs2;
    public int Imm;
    public int BlockGas;
    public int BlockLength;
}
