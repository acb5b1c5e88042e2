namespace Thalamus.Dlx;

/// <summary>
/// Thalamus's TRAP numbers (the machine's I/O). Arguments are passed in r1, r2, r3; a result comes back
/// in r1. Any other number faults with <see cref="DlxFault.InvalidTrap"/>. See docs/dlx.md.
/// </summary>
public enum DlxTrap
{
    /// <summary>Stop the program (<see cref="DlxStatus.Halted"/>); PC stays on the TRAP.</summary>
    Halt = 0,

    /// <summary>r1 ← number of input arguments.</summary>
    InputCount = 1,

    /// <summary>Copy input argument r1 to memory at r2, at most r3 bytes; r1 ← its full length, or -1 if there is no argument r1.</summary>
    ReadInput = 2,

    /// <summary>Append r2 bytes at memory r1 to the output.</summary>
    WriteOutput = 3,

    /// <summary>Copy the unit's storage value under key r1 to memory at r2, at most r3 bytes; r1 ← its full length (0 if absent).</summary>
    StorageRead = 4,

    /// <summary>Store r3 bytes at memory r2 under key r1 in the unit's storage (r3 = 0 deletes the key).</summary>
    StorageWrite = 5,

    /// <summary>A point where execution may be transferred: the machine stops with <see cref="DlxStatus.Yielded"/> (if asked to) and resumes after the TRAP.</summary>
    Yield = 6,

    /// <summary>Append r1 as a signed decimal number to the output.</summary>
    PrintInt = 7,

    /// <summary>Append the double in f0:f1 to the output (shortest round-trip form, invariant culture).</summary>
    PrintDouble = 8,

    /// <summary>Append the low byte of r1 to the output.</summary>
    PrintChar = 9,
}
