namespace Thalamus.Storage;

/// <summary>One staged row of a module's state (<see cref="ClusterWriteBatch.PutModuleState"/>); a null value deletes it.</summary>
internal readonly record struct ModuleStateWrite(string Module, byte[] Key, byte[]? Value);

// The cluster modules' own rows (an index and its checkpoint): written only inside a slot's
// transaction, read back when the cluster starts.
public sealed partial class ClusterDatabase
{
    /// <summary>Every committed row of <paramref name="module"/>'s state, in key order.</summary>
    public IReadOnlyList<(byte[] Key, byte[] Value)> ReadModuleState(string module)
    {
        ArgumentException.ThrowIfNullOrEmpty(module);
        var rows = new List<(byte[], byte[])>();
        using var lease = RentReader();
        var statement = lease.Connection.Statement("SELECT key, value FROM module_state WHERE module = ?1 ORDER BY key");
        try
        {
            statement.BindText(1, module);
            while (statement.Step()) rows.Add((statement.GetBlob(0).ToArray(), statement.GetBlob(1).ToArray()));
        }
        finally
        {
            statement.Reset();
        }
        return rows;
    }

    /// <summary>Writes module rows in the open transaction; a later write of a key wins.</summary>
    private static void WriteModuleState(DatabaseConnection writer, IReadOnlyList<ModuleStateWrite> writes)
    {
        var put = writer.Statement("INSERT OR REPLACE INTO module_state(module, key, value) VALUES (?1, ?2, ?3)");
        var delete = writer.Statement("DELETE FROM module_state WHERE module = ?1 AND key = ?2");
        foreach (var write in writes)
        {
            var statement = write.Value is null ? delete : put;
            statement.BindText(1, write.Module);
            statement.Bind(2, write.Key);
            if (write.Value is { } value) statement.Bind(3, value);
            statement.Execute();
        }
    }
}
