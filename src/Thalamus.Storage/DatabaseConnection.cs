using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace Thalamus.Storage;

/// <summary>
/// One SQLite connection with its cache of prepared statements. Microsoft.Data.Sqlite opens it
/// (and runs one-off SQL); the hot paths use <see cref="SqliteStatement"/> on the same handle.
/// Not thread-safe: the writer is guarded by the database's write lock, readers are rented from a pool.
/// </summary>
internal sealed class DatabaseConnection : IDisposable
{
    private readonly SqliteConnection _connection;
    private readonly Dictionary<string, SqliteStatement> _statements = new(StringComparer.Ordinal);
    private readonly string _path;

    private DatabaseConnection(SqliteConnection connection, string path)
    {
        _connection = connection;
        _path = path;
        Handle = connection.Handle ?? throw new StorageException($"SQLite returned no handle for {path}");
    }

    public sqlite3 Handle { get; }

    /// <summary>True while this connection is inside an explicit transaction.</summary>
    public bool InTransaction => raw.sqlite3_get_autocommit(Handle) == 0;

    public static DatabaseConnection Open(string path)
    {
        var builder = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            // Closing must really close: a reopened database (restart, crash test) must not see a pooled handle.
            Pooling = false,
        };
        var connection = new SqliteConnection(builder.ToString());
        try
        {
            connection.Open();
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new StorageException($"cannot open the database {path}: {e.Message}", e.SqliteErrorCode, e);
        }
        var result = new DatabaseConnection(connection, path);
        raw.sqlite3_extended_result_codes(result.Handle, 1);
        return result;
    }

    /// <summary>The cached prepared statement for <paramref name="sql"/> (prepared on first use).</summary>
    public SqliteStatement Statement(string sql)
    {
        if (!_statements.TryGetValue(sql, out var statement))
        {
            statement = new SqliteStatement(this, sql);
            _statements.Add(sql, statement);
        }
        return statement;
    }

    /// <summary>Runs one or more statements that return nothing (schema, pragmas, transaction control).</summary>
    public void Execute(string sql)
    {
        var rc = raw.sqlite3_exec(Handle, sql, null, null, out var message);
        if (rc != raw.SQLITE_OK) throw Error(rc, $"executing \"{sql}\"", message);
    }

    /// <summary>The first column of the first row of <paramref name="sql"/> as an integer (null when no row or NULL).</summary>
    public long? QueryInt64(string sql)
    {
        using var statement = new SqliteStatement(this, sql);
        try
        {
            return statement.Step() && !statement.IsNull(0) ? statement.GetInt64(0) : null;
        }
        finally
        {
            statement.Reset();
        }
    }

    /// <summary>The first column of every row of <paramref name="sql"/> as text.</summary>
    public List<string> QueryStrings(string sql)
    {
        using var statement = new SqliteStatement(this, sql);
        var rows = new List<string>();
        try
        {
            while (statement.Step()) rows.Add(statement.IsNull(0) ? "" : statement.GetText(0));
        }
        finally
        {
            statement.Reset();
        }
        return rows;
    }

    public StorageException Error(int rc, string action, string? message = null)
    {
        message ??= raw.sqlite3_errmsg(Handle).utf8_to_string();
        var primary = rc & 0xff;
        var hint = primary switch
        {
            raw.SQLITE_CORRUPT or raw.SQLITE_NOTADB => " The file is corrupt or not a Thalamus database; it was left untouched (restore a backup or use another data directory).",
            raw.SQLITE_FULL => " The disk is full; nothing of this commit was written.",
            raw.SQLITE_BUSY or raw.SQLITE_LOCKED => " Another connection holds the database lock.",
            raw.SQLITE_READONLY => " The file or its directory is read-only.",
            raw.SQLITE_IOERR => " An I/O error occurred; nothing of this commit was written.",
            _ => "",
        };
        return new StorageException($"SQLite error {rc} ({message}) while {action} on {_path}.{hint}", rc);
    }

    public void Dispose()
    {
        foreach (var statement in _statements.Values) statement.Dispose();
        _statements.Clear();
        _connection.Dispose();
    }
}
