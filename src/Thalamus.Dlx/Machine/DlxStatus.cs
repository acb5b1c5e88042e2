namespace Thalamus.Dlx;

/// <summary>Where a machine stands between runs.</summary>
public enum DlxStatus : byte
{
    /// <summary>Loaded and not yet run.</summary>
    Ready = 0,

    /// <summary>Stopped at the run's instruction or gas budget; <see cref="DlxMachine.Run"/> continues it.</summary>
    Paused = 1,

    /// <summary>Stopped after a YIELD trap; continues after it.</summary>
    Yielded = 2,

    /// <summary>Finished with the HALT trap.</summary>
    Halted = 3,

    /// <summary>Stopped by a fault (<see cref="DlxMachine.Fault"/>).</summary>
    Faulted = 4,

    /// <summary>The next instruction costs more gas than the program's limit leaves.</summary>
    OutOfGas = 5,
}
