namespace Thalamus.Dlx;

/// <summary>Why a machine stopped with <see cref="DlxStatus.Faulted"/>. The faulting instruction has no effect and costs no gas; PC stays on it.</summary>
public enum DlxFault : byte
{
    None = 0,

    /// <summary>Signed overflow in ADD, SUB, ADDI, SUBI, or DIV of int.MinValue by -1.</summary>
    Overflow = 1,

    /// <summary>A halfword, word or double access not aligned on 2, 4 or 8 bytes.</summary>
    MisalignedAccess = 2,

    /// <summary>DIV or DIVU by zero.</summary>
    DivisionByZero = 3,

    /// <summary>A memory access (or a trap's buffer) reaching past the memory limit.</summary>
    OutOfBounds = 4,

    /// <summary>A word with no instruction (unknown opcode/func, or an odd register for a double).</summary>
    IllegalInstruction = 5,

    /// <summary>A TRAP number with no meaning.</summary>
    InvalidTrap = 6,

    /// <summary>A jump, branch or RFE to an address outside the code region or not word aligned, or running off the end of the code.</summary>
    BadJumpTarget = 7,

    /// <summary>A store into the code region (code is read-only so that it can be decoded once).</summary>
    WriteToCode = 8,

    /// <summary>The output or the unit's storage would exceed the memory limit.</summary>
    ResourceLimit = 9,
}
