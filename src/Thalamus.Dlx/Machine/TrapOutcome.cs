namespace Thalamus.Dlx;

/// <summary>What a TRAP did, as far as the interpreter loop is concerned.</summary>
internal enum TrapOutcome : byte
{
    Continue,
    Halt,
    Yield,
    Fault,
    OutOfGas,
    Paused,
}
