using System.Collections.Concurrent;

namespace Thalamus.Storage;

/// <summary>
/// One node's database: a single SQLite file in WAL mode holding every member chain (rows carry a
/// chain id). One writer connection behind a lock commits blocks (one transaction per block, or per
/// slot for several chains, see <see cref="BeginSlot"/> and <see cref="CommitTogether"/>); readers
/// use a pool of their own connections, so reads never wait for a commit (WAL snapshots).
/// A lock file next to the database keeps a second process out.
/// </summary>
public sealed partial class ClusterDatabase : IDisposable
{
    private const int MaxPooledReaders = 8;

    private readonly FileStream _lockFile;
    private readonly DatabaseConnection _writer;
    private readonly Lock _writeLock = new();
    private readonly ConcurrentBag<DatabaseConnection> _readers = [];
    private readonly ConcurrentDictionary<ulong, SqliteChainStore> _stores = new();
    private readonly Lock _slotLock = new();
    private ClusterWriteBatch? _openSlot;
    private volatile bool _disposed;

    private readonly WalCheckpointer _checkpointer;

    private ClusterDatabase(string path, ClusterDatabaseOptions options, FileStream lockFile, DatabaseConnection writer, int schemaVersion)
    {
        Path = path;
        Options = options;
        _lockFile = lockFile;
        _writer = writer;
        SchemaVersion = schemaVersion;
        _checkpointer = new WalCheckpointer(OpenReader(checkpointer: true));
    }

    /// <summary>The full path of the database file.</summary>
    public string Path { get; }

    public ClusterDatabaseOptions Options { get; }

    /// <summary>The schema version of the open file (always <see cref="SupportedSchemaVersion"/> after open).</summary>
    public int SchemaVersion { get; }

    /// <summary>The newest schema this build reads and writes.</summary>
    public static int SupportedSchemaVersion => DatabaseSchema.CurrentVersion;

    /// <summary>The chains that have at least one committed block, ascending.</summary>
    public IReadOnlyList<ulong> ChainIds
    {
        get
        {
            using var lease = RentReader();
            var statement = lease.Connection.Statement("SELECT chain_id FROM chains ORDER BY chain_id");
            var ids = new List<ulong>();
            try
            {
                while (statement.Step()) ids.Add(statement.GetUInt64(0));
            }
            finally
            {
                statement.Reset();
            }
            return ids;
        }
    }

    /// <summary>The store of chain <paramref name="chainId"/> (one instance per chain; empty until its genesis is committed).</summary>
    public SqliteChainStore GetChainStore(ulong chainId)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        return _stores.GetOrAdd(chainId, id => new SqliteChainStore(this, id));
    }

    /// <summary>
    /// Opens a slot: until it is committed, every <see cref="SqliteChainStore.CommitBlock"/> on this
    /// database (any chain, any thread) is staged in memory, readable at once, and
    /// <see cref="ClusterWriteBatch.Commit"/> writes all of them in ONE transaction (issue 5: a slot's
    /// blocks on every chain become durable together). One slot at a time.
    /// </summary>
    public ClusterWriteBatch BeginSlot()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        lock (_slotLock)
        {
            if (_openSlot is not null) throw new InvalidOperationException("a slot is already open on this database; commit or dispose it first");
            _openSlot = new ClusterWriteBatch(this);
            return _openSlot;
        }
    }

    /// <summary>Commits blocks of several chains (or several consecutive blocks of one) in ONE transaction.</summary>
    /// <exception cref="InvalidOperationException">a block does not extend its chain's head; nothing was staged or written.</exception>
    public void CommitTogether(IReadOnlyList<ChainBlockCommit> commits)
    {
        ArgumentNullException.ThrowIfNull(commits);
        ObjectDisposedException.ThrowIf(_disposed, this);
        var staged = new List<SqliteChainStore>(commits.Count);
        try
        {
            foreach (var commit in commits)
            {
                var store = commit.Store ?? throw new ArgumentException("a commit without a store", nameof(commits));
                if (!ReferenceEquals(store.Database, this)) throw new ArgumentException($"chain {store.ChainId}'s store belongs to another database", nameof(commits));
                store.Stage(commit.Block, commit.Receipts, commit.NewTrieNodes);
                staged.Add(store);
            }
        }
        catch
        {
            // Validation failed part-way: take back what this call staged, newest first.
            for (var i = staged.Count - 1; i >= 0; i--) staged[i].UnstageLast();
            throw;
        }
        Flush(staged.Distinct().ToList());
    }

    /// <summary>Held by every write (and by rewinds, so they never interleave with a flush).</summary>
    internal Lock WriteLock => _writeLock;

    internal ClusterWriteBatch? OpenSlot
    {
        get
        {
            lock (_slotLock) return _openSlot;
        }
    }

    internal void CloseSlot(ClusterWriteBatch slot)
    {
        lock (_slotLock)
        {
            if (ReferenceEquals(_openSlot, slot)) _openSlot = null;
        }
    }

    /// <summary>
    /// Writes the staged blocks and buffered trie nodes of <paramref name="stores"/> in one
    /// transaction, then makes them the committed state. On failure nothing is written and
    /// everything stays staged (readable, retried by the next flush).
    /// </summary>
    internal void Flush(IReadOnlyList<SqliteChainStore> stores, IReadOnlyList<ModuleStateWrite>? moduleWrites = null)
    {
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var work = new List<(SqliteChainStore Store, SqliteChainStore.FlushWork Work)>(stores.Count);
            foreach (var store in stores)
            {
                var w = store.BeginFlush();
                if (w.IsEmpty) store.EndFlush(w, committed: true);
                else work.Add((store, w));
            }
            if (work.Count == 0 && moduleWrites is not { Count: > 0 }) return;
            var committed = false;
            try
            {
                _writer.Statement("BEGIN IMMEDIATE").Execute();
                foreach (var (store, w) in work) store.Write(_writer, w);
                if (moduleWrites is not null) WriteModuleState(_writer, moduleWrites);
                _writer.Statement("COMMIT").Execute();
                committed = true;
            }
            finally
            {
                if (!committed && _writer.InTransaction)
                {
                    try { _writer.Statement("ROLLBACK").Execute(); }
                    catch (StorageException) { /* the original error is the one to report */ }
                }
                foreach (var (store, w) in work) store.EndFlush(w, committed);
            }
            _checkpointer.Committed();
        }
    }

    /// <summary>Runs <paramref name="action"/> in one write transaction (rewinds, maintenance).</summary>
    internal void WriteTransaction(Action<DatabaseConnection> action)
    {
        lock (_writeLock)
        {
            ObjectDisposedException.ThrowIf(_disposed, this);
            var committed = false;
            try
            {
                _writer.Statement("BEGIN IMMEDIATE").Execute();
                action(_writer);
                _writer.Statement("COMMIT").Execute();
                committed = true;
            }
            finally
            {
                if (!committed && _writer.InTransaction)
                {
                    try { _writer.Statement("ROLLBACK").Execute(); }
                    catch (StorageException) { /* keep the original error */ }
                }
            }
            _checkpointer.Committed();
        }
    }

    internal ReaderLease RentReader()
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        if (!_readers.TryTake(out var connection)) connection = OpenReader();
        return new ReaderLease(this, connection);
    }

    internal void ReturnReader(DatabaseConnection connection)
    {
        if (connection.InTransaction)
        {
            // A read that threw half-way: end its snapshot so the WAL can be checkpointed.
            try { connection.Execute("ROLLBACK"); }
            catch (StorageException) { connection.Dispose(); return; }
        }
        if (_disposed || _readers.Count >= MaxPooledReaders) connection.Dispose();
        else _readers.Add(connection);
    }

    /// <summary>Runs SQLite's integrity check; returns "ok" or the problems found.</summary>
    public IReadOnlyList<string> CheckIntegrity()
    {
        using var lease = RentReader();
        return lease.Connection.QueryStrings("PRAGMA integrity_check");
    }

    public void Dispose()
    {
        lock (_writeLock)
        {
            if (_disposed) return;
            _disposed = true;
            _checkpointer.Dispose();
            while (_readers.TryTake(out var reader)) reader.Dispose();
            try
            {
                // Leave a compact file behind: everything copied back, the WAL emptied.
                _writer.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
            }
            catch (StorageException)
            {
                // Closing must not fail over a checkpoint; SQLite completes it at the next open.
            }
            // No PRAGMA optimize: it could replace the fixed planner statistics (see DatabaseSchema).
            _writer.Dispose();
            _lockFile.Dispose();
        }
    }
}
