namespace Thalamus.Storage;

/// <summary>Settings for <see cref="ClusterDatabase.Open"/>.</summary>
public sealed class ClusterDatabaseOptions
{
    public DurabilityMode Durability { get; init; } = DurabilityMode.ProcessCrashSafe;

    /// <summary>SQLite page cache of the writer connection, in KiB (trie-node inserts are random b-tree writes: a big cache keeps them in memory).</summary>
    public int WriterCacheKiB { get; init; } = 64 * 1024;

    /// <summary>SQLite page cache of each reader connection, in KiB.</summary>
    public int ReaderCacheKiB { get; init; } = 16 * 1024;

    /// <summary>How many decoded trie nodes each chain keeps in memory for reads.</summary>
    public int StateNodeCacheEntries { get; init; } = 200_000;

    /// <summary>
    /// How much of the file each connection reads through a memory map instead of read() calls
    /// (SQLite's mmap_size; 0 turns it off). Pages then come straight from the OS cache.
    /// </summary>
    public long MemoryMapBytes { get; init; } = 256L * 1024 * 1024;

    /// <summary>Runs <c>PRAGMA quick_check</c> at open (reads the whole file: seconds on a large database).</summary>
    public bool VerifyIntegrityOnOpen { get; init; }

    /// <summary>How long a statement waits for a lock held by another connection of this process before failing.</summary>
    public TimeSpan BusyTimeout { get; init; } = TimeSpan.FromSeconds(10);
}
