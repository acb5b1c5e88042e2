using System.Globalization;
using System.Text;

namespace Thalamus.Storage;

public sealed partial class ClusterDatabase
{
    private static readonly byte[] SqliteMagic = Encoding.ASCII.GetBytes("SQLite format 3\0");
    private static int s_initialized;

    /// <summary>
    /// Opens (or creates) the database at <paramref name="path"/>, upgrading an older schema.
    /// A file that is not a Thalamus database, a corrupt one, or one written by a newer Thalamus is
    /// refused with a <see cref="StorageException"/> and left exactly as it was.
    /// </summary>
    /// <exception cref="StorageException">the file cannot be used; the message says why and what to do.</exception>
    public static ClusterDatabase Open(string path, ClusterDatabaseOptions? options = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        options ??= new ClusterDatabaseOptions();
        if (Interlocked.Exchange(ref s_initialized, 1) == 0) SQLitePCL.Batteries_V2.Init();
        path = System.IO.Path.GetFullPath(path);
        var directory = System.IO.Path.GetDirectoryName(path);
        if (!string.IsNullOrEmpty(directory)) Directory.CreateDirectory(directory);

        var lockFile = AcquireLockFile(path);
        DatabaseConnection? writer = null;
        try
        {
            CheckFileHeader(path);
            writer = DatabaseConnection.Open(path);
            var version = PrepareSchema(writer, path);
            ApplyPragmas(writer, options, reader: false);
            if (options.VerifyIntegrityOnOpen)
            {
                var problems = writer.QueryStrings("PRAGMA quick_check");
                if (problems is not ["ok"])
                    throw new StorageException($"the database {path} is corrupt ({string.Join("; ", problems.Take(5))}); it was left untouched: restore a backup or use another data directory");
            }
            version = Migrate(writer, version, path);
            return new ClusterDatabase(path, options, lockFile, writer, version);
        }
        catch
        {
            writer?.Dispose();
            lockFile.Dispose();
            throw;
        }
    }

    private static FileStream AcquireLockFile(string path)
    {
        var lockPath = path + ".lock";
        try
        {
            // FileShare.None takes an exclusive advisory lock (flock on Unix): released by the kernel if the process dies.
            return new FileStream(lockPath, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new StorageException($"the database {path} is in use by another process (cannot lock {lockPath}); stop the other node or use another data directory", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new StorageException($"cannot create the lock file {lockPath}: {e.Message}", e);
        }
    }

    /// <summary>Refuses a non-SQLite file before SQLite touches it (SQLite would only fail at the first query).</summary>
    private static void CheckFileHeader(string path)
    {
        if (!File.Exists(path)) return;
        Span<byte> header = stackalloc byte[16];
        int read;
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            if (stream.Length == 0) return;
            read = stream.ReadAtLeast(header, header.Length, throwOnEndOfStream: false);
        }
        catch (IOException e)
        {
            throw new StorageException($"cannot read the database {path}: {e.Message}", e);
        }
        catch (UnauthorizedAccessException e)
        {
            throw new StorageException($"cannot read the database {path}: {e.Message}", e);
        }
        if (read < header.Length || !header.SequenceEqual(SqliteMagic))
            throw new StorageException($"{path} is not a SQLite database (foreign or corrupt file); it was left untouched: move it away or use another data directory");
    }

    /// <summary>Identifies the file (fresh, ours, or foreign) and returns its schema version (0 for a fresh file).</summary>
    private static int PrepareSchema(DatabaseConnection writer, string path)
    {
        long applicationId;
        long tableCount;
        try
        {
            applicationId = writer.QueryInt64("PRAGMA application_id") ?? 0;
            tableCount = writer.QueryInt64("SELECT count(*) FROM sqlite_master") ?? 0;
        }
        catch (StorageException e)
        {
            throw new StorageException($"{path} cannot be read as a database: {e.Message}", e.SqliteErrorCode, e);
        }

        if (tableCount == 0 && (applicationId == 0 || applicationId == DatabaseSchema.ApplicationId))
        {
            // A new file (or one whose creation was interrupted before any table existed): nothing to lose.
            var mode = writer.QueryStrings("PRAGMA journal_mode=WAL");
            if (mode is not ["wal"])
                throw new StorageException($"cannot switch {path} to write-ahead logging (journal mode stays '{string.Join(",", mode)}'); the file system may not support shared memory");
            return 0;
        }
        if (applicationId != DatabaseSchema.ApplicationId)
            throw new StorageException(string.Create(CultureInfo.InvariantCulture,
                $"{path} is a SQLite database of another application (application_id 0x{applicationId:x8}, {tableCount} schema objects), not a Thalamus database; it was left untouched"));

        var hasVersionTable = writer.QueryInt64("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'schema_version'") ?? 0;
        if (hasVersionTable == 0)
            throw new StorageException($"{path} is marked as a Thalamus database but has no schema_version table (damaged); it was left untouched");
        var version = (int)(writer.QueryInt64("SELECT max(version) FROM schema_version") ?? 0);
        if (version > DatabaseSchema.CurrentVersion)
            throw new StorageException(
                $"{path} has schema version {version}, written by a newer Thalamus; this build supports up to version {DatabaseSchema.CurrentVersion}. " +
                "Upgrade Thalamus (the file was left untouched).");
        var mode2 = writer.QueryStrings("PRAGMA journal_mode=WAL");
        if (mode2 is not ["wal"])
            throw new StorageException($"cannot switch {path} to write-ahead logging (journal mode stays '{string.Join(",", mode2)}')");
        return version;
    }

    private static int Migrate(DatabaseConnection writer, int version, string path)
    {
        foreach (var migration in DatabaseSchema.Migrations)
        {
            if (migration.Version <= version) continue;
            try
            {
                writer.Execute("BEGIN IMMEDIATE");
                if (version == 0) writer.Execute($"PRAGMA application_id = {DatabaseSchema.ApplicationId}");
                writer.Execute(DatabaseSchema.CreateVersionTable);
                writer.Execute(migration.Sql);
                var insert = writer.Statement("INSERT INTO schema_version(version, description, applied_at) VALUES(?1, ?2, ?3)");
                insert.Bind(1, migration.Version);
                insert.BindText(2, migration.Description);
                insert.BindText(3, DateTime.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                insert.Execute();
                writer.Execute($"PRAGMA user_version = {migration.Version}");
                writer.Execute("COMMIT");
            }
            catch (StorageException e)
            {
                if (writer.InTransaction) writer.Execute("ROLLBACK");
                throw new StorageException($"upgrading {path} to schema version {migration.Version} ({migration.Description}) failed; the file is unchanged at version {version}: {e.Message}", e.SqliteErrorCode, e);
            }
            version = migration.Version;
        }
        return version;
    }

    /// <summary>
    /// Per-connection settings. WAL: readers never block the writer nor see a half-written block.
    /// synchronous NORMAL (default, see <see cref="DurabilityMode"/>): a commit is in the WAL, hence
    /// safe from a process kill, without an fsync per block; FULL adds the fsync.
    /// </summary>
    private static void ApplyPragmas(DatabaseConnection connection, ClusterDatabaseOptions options, bool reader, bool checkpointer = false)
    {
        var synchronous = options.Durability == DurabilityMode.PowerLossSafe ? "FULL" : "NORMAL";
        var cacheKiB = reader ? options.ReaderCacheKiB : options.WriterCacheKiB;
        var busyMs = (long)Math.Clamp(options.BusyTimeout.TotalMilliseconds, 0, int.MaxValue);
        connection.Execute(string.Create(CultureInfo.InvariantCulture,
            $"PRAGMA synchronous = {synchronous}; PRAGMA cache_size = -{cacheKiB}; PRAGMA busy_timeout = {busyMs}; PRAGMA temp_store = MEMORY; PRAGMA foreign_keys = OFF; PRAGMA mmap_size = {options.MemoryMapBytes};"));
        // The background checkpointer copies most of the WAL back between commits (see WalCheckpointer);
        // the writer still checkpoints once the WAL passes 16000 pages (64 MiB), because only a checkpoint
        // that no commit races with can finish and let the next commit start the WAL over (else it grows
        // forever). That bounds the WAL near 64 MiB plus one block.
        if (!reader) connection.Execute("PRAGMA wal_autocheckpoint = 16000; PRAGMA journal_size_limit = 134217728");
        if (reader && !checkpointer) connection.Execute("PRAGMA query_only = 1");
    }

    private DatabaseConnection OpenReader(bool checkpointer = false)
    {
        var connection = DatabaseConnection.Open(Path);
        try
        {
            ApplyPragmas(connection, Options, reader: true, checkpointer);
            return connection;
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }
}
