namespace Thalamus.Storage;

/// <summary>
/// An open slot (see <see cref="ClusterDatabase.BeginSlot"/>): the chains that staged blocks
/// while it was open, committed together by <see cref="Commit"/> in one transaction. Disposing
/// without committing discards the staged blocks from the stores (their chains must then be
/// reloaded from the store: only for error paths and tests).
/// </summary>
public sealed class ClusterWriteBatch : IDisposable
{
    private readonly ClusterDatabase _database;
    private readonly Lock _lock = new();
    private readonly List<SqliteChainStore> _stores = [];
    private readonly List<ModuleStateWrite> _moduleWrites = [];
    private bool _closed;

    internal ClusterWriteBatch(ClusterDatabase database)
    {
        _database = database;
    }

    /// <summary>The chains with blocks staged in this slot.</summary>
    public IReadOnlyList<ulong> ChainIds
    {
        get
        {
            lock (_lock) return _stores.Select(s => s.ChainId).ToList();
        }
    }

    /// <summary>How many blocks are staged in this slot over all chains.</summary>
    public int BlockCount
    {
        get
        {
            lock (_lock) return _stores.Sum(s => s.StagedCount);
        }
    }

    /// <summary>
    /// Stages a row of a cluster module's state (null <paramref name="value"/>: delete it), written in
    /// the slot's transaction with its blocks, so an index and its checkpoint never disagree with the chains.
    /// </summary>
    public void PutModuleState(string module, ReadOnlySpan<byte> key, byte[]? value)
    {
        ArgumentException.ThrowIfNullOrEmpty(module);
        lock (_lock)
        {
            if (_closed) throw new InvalidOperationException("the slot is already committed or disposed");
            _moduleWrites.Add(new ModuleStateWrite(module, key.ToArray(), value));
        }
    }

    /// <summary>Adds a store that staged a block; false when the slot has closed meanwhile (the caller commits on its own).</summary>
    internal bool TryRegister(SqliteChainStore store)
    {
        lock (_lock)
        {
            if (_closed) return false;
            if (!_stores.Contains(store)) _stores.Add(store);
            return true;
        }
    }

    /// <summary>Writes every staged block of the slot in ONE transaction and closes the slot.</summary>
    /// <exception cref="StorageException">
    /// the write failed: nothing was written; the blocks stay staged (readable) and are written by
    /// their chains' next commit.
    /// </exception>
    public void Commit()
    {
        List<SqliteChainStore> stores;
        lock (_lock)
        {
            if (_closed) throw new InvalidOperationException("the slot is already committed or disposed");
            // Close first: a block staged from now on commits by itself instead of being left behind.
            _closed = true;
            stores = [.. _stores];
        }
        _database.CloseSlot(this);
        _database.Flush(stores, _moduleWrites);
    }

    public void Dispose()
    {
        List<SqliteChainStore> stores;
        lock (_lock)
        {
            if (_closed) return;
            _closed = true;
            stores = [.. _stores];
        }
        _database.CloseSlot(this);
        foreach (var store in stores) store.DiscardStaged();
    }
}
