namespace Thalamus.Storage;

/// <summary>A reader connection borrowed from the database's pool; disposing gives it back.</summary>
internal readonly struct ReaderLease : IDisposable
{
    private readonly ClusterDatabase _database;

    public ReaderLease(ClusterDatabase database, DatabaseConnection connection)
    {
        _database = database;
        Connection = connection;
    }

    public DatabaseConnection Connection { get; }

    public void Dispose() => _database.ReturnReader(Connection);
}
