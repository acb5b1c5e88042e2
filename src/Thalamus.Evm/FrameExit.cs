namespace Thalamus.Evm;

/// <summary>Why the interpreter loop returned: the frame halted, or it is waiting on a child frame.</summary>
internal enum FrameExit : byte
{
    Continue = 0,
    /// <summary>A CALL*/CREATE* prepared a child frame; run it, then resume this one.</summary>
    CallPending,
    Stop,
    Return,
    Revert,
    OutOfGas,
    InvalidJump,
    StackUnderflow,
    StackOverflow,
    InvalidOpcode,
    WriteProtection,
    ReturnDataOutOfBounds,
    InitCodeSizeExceeded,
}
