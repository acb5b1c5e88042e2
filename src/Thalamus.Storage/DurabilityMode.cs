namespace Thalamus.Storage;

/// <summary>How hard a commit works to survive failures (SQLite's <c>synchronous</c> setting, always in WAL mode).</summary>
public enum DurabilityMode
{
    /// <summary>
    /// <c>synchronous=NORMAL</c>: a committed block is in the write-ahead log before CommitBlock
    /// returns, so killing the process (kill -9, a crash) never loses it; the WAL is fsynced at
    /// checkpoints, so a power cut or kernel crash may lose the last blocks but never leaves a torn
    /// one. The default: no fsync per block, which matters for automine (a block per transaction).
    /// </summary>
    ProcessCrashSafe = 0,

    /// <summary><c>synchronous=FULL</c>: every commit fsyncs the WAL; also survives power loss, at the cost of an fsync per block.</summary>
    PowerLossSafe = 1,
}
