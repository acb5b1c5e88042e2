namespace Thalamus.Storage;

/// <summary>
/// Every failure of the on-disk store: a file that is not a Thalamus database, a schema from a
/// newer build, corruption, a full disk, a second process on the same file. The message says
/// which file and what to do; <see cref="SqliteErrorCode"/> carries SQLite's code when there is one.
/// </summary>
public sealed class StorageException : Exception
{
    public StorageException(string message) : base(message) { }

    public StorageException(string message, Exception innerException) : base(message, innerException) { }

    public StorageException(string message, int sqliteErrorCode) : base(message)
    {
        SqliteErrorCode = sqliteErrorCode;
    }

    public StorageException(string message, int sqliteErrorCode, Exception innerException) : base(message, innerException)
    {
        SqliteErrorCode = sqliteErrorCode;
    }

    public StorageException() : base("storage error") { }

    /// <summary>SQLite's (extended) result code, or 0 when the error did not come from SQLite.</summary>
    public int SqliteErrorCode { get; }
}
