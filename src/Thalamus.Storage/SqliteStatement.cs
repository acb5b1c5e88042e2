using SQLitePCL;

namespace Thalamus.Storage;

/// <summary>
/// A prepared statement used through SQLite's C API directly: binding spans copies nothing on
/// our side and one statement is reused for every row of a commit (Microsoft.Data.Sqlite's
/// command objects cost an allocation and a parameter collection walk per execution).
/// Not thread-safe: belongs to one <see cref="DatabaseConnection"/>.
/// </summary>
internal sealed class SqliteStatement : IDisposable
{
    private readonly DatabaseConnection _connection;
    private readonly sqlite3_stmt _statement;

    public SqliteStatement(DatabaseConnection connection, string sql)
    {
        _connection = connection;
        Sql = sql;
        var rc = raw.sqlite3_prepare_v2(connection.Handle, sql, out _statement);
        if (rc != raw.SQLITE_OK) throw connection.Error(rc, $"preparing \"{sql}\"");
    }

    public string Sql { get; }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(_statement, index, value));

    public void Bind(int index, ulong value) => Check(raw.sqlite3_bind_int64(_statement, index, unchecked((long)value)));

    /// <summary>Binds a blob (an empty span binds a zero-length blob, not NULL).</summary>
    public void Bind(int index, ReadOnlySpan<byte> value) =>
        Check(value.IsEmpty ? raw.sqlite3_bind_zeroblob(_statement, index, 0) : raw.sqlite3_bind_blob(_statement, index, value));

    public void BindText(int index, string value) => Check(raw.sqlite3_bind_text(_statement, index, value));

    public void BindNull(int index) => Check(raw.sqlite3_bind_null(_statement, index));

    /// <summary>Advances; true when a row is available. Errors reset the statement and throw.</summary>
    public bool Step()
    {
        var rc = raw.sqlite3_step(_statement);
        if (rc == raw.SQLITE_ROW) return true;
        if (rc == raw.SQLITE_DONE) return false;
        raw.sqlite3_reset(_statement);
        throw _connection.Error(rc, $"executing \"{Sql}\"");
    }

    /// <summary>Runs a statement that returns no rows, then resets it for the next use.</summary>
    public void Execute()
    {
        try
        {
            Step();
        }
        finally
        {
            raw.sqlite3_reset(_statement);
        }
    }

    /// <summary>Releases the statement's read snapshot and makes it ready to bind again.</summary>
    public void Reset() => raw.sqlite3_reset(_statement);

    public long GetInt64(int column) => raw.sqlite3_column_int64(_statement, column);

    public ulong GetUInt64(int column) => unchecked((ulong)raw.sqlite3_column_int64(_statement, column));

    public bool IsNull(int column) => raw.sqlite3_column_type(_statement, column) == raw.SQLITE_NULL;

    /// <summary>The column's bytes, valid until the next Step or Reset (copy what you keep).</summary>
    public ReadOnlySpan<byte> GetBlob(int column) => raw.sqlite3_column_blob(_statement, column);

    public string GetText(int column) => raw.sqlite3_column_text(_statement, column).utf8_to_string();

    public void Dispose() => _statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK) throw _connection.Error(rc, $"binding a parameter of \"{Sql}\"");
    }
}
