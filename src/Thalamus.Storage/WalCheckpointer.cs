namespace Thalamus.Storage;

/// <summary>
/// Copies the write-ahead log back into the database file on a background thread with its own
/// connection (PASSIVE checkpoints never block the writer or readers). A block commit writes
/// thousands of pages (trie nodes are keyed by hash, so they land all over the b-tree); with
/// SQLite's default automatic checkpoint nearly every large commit paid for copying them back,
/// fsyncs included. The writer's own (raised) automatic checkpoint then only has the tail left to
/// copy, and it is the one that lets the WAL start over: a background checkpoint always races with
/// the next commit, so it alone never catches up with the end of the log.
/// </summary>
internal sealed class WalCheckpointer : IDisposable
{
    private static readonly TimeSpan Idle = TimeSpan.FromSeconds(2);

    /// <summary>At most this often: each checkpoint fsyncs twice, so commits in between are batched.</summary>
    private static readonly TimeSpan MinimumInterval = TimeSpan.FromMilliseconds(200);

    private readonly DatabaseConnection _connection;
    private readonly Thread _thread;
    private readonly AutoResetEvent _wake = new(false);
    private readonly ManualResetEventSlim _stop = new(false);
    private volatile bool _stopping;
    private int _commitsSinceCheckpoint;

    public WalCheckpointer(DatabaseConnection connection)
    {
        _connection = connection;
        _thread = new Thread(Run) { IsBackground = true, Name = "thalamus-wal-checkpoint", Priority = ThreadPriority.BelowNormal };
        _thread.Start();
    }

    /// <summary>The last checkpoint failure (a checkpoint is retried; the WAL keeps the data meanwhile).</summary>
    public StorageException? LastError { get; private set; }

    public long Checkpoints { get; private set; }

    /// <summary>Called after every commit.</summary>
    public void Committed()
    {
        Interlocked.Increment(ref _commitsSinceCheckpoint);
        _wake.Set();
    }

    private void Run()
    {
        while (!_stopping)
        {
            _wake.WaitOne(Idle);
            if (_stopping) break;
            if (Interlocked.Exchange(ref _commitsSinceCheckpoint, 0) == 0) continue;
            try
            {
                _connection.Execute("PRAGMA wal_checkpoint(PASSIVE)");
                Checkpoints++;
                LastError = null;
            }
            catch (StorageException e)
            {
                // Not fatal: the data is safe in the WAL; the next round tries again.
                LastError = e;
                Interlocked.Increment(ref _commitsSinceCheckpoint);
            }
            _stop.Wait(MinimumInterval);
        }
    }

    public void Dispose()
    {
        _stopping = true;
        _stop.Set();
        _wake.Set();
        _thread.Join();
        _wake.Dispose();
        _stop.Dispose();
        _connection.Dispose();
    }
}
