using System.Text;
using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Storage;

public sealed partial class SqliteChainStore
{
    /// <summary>Longer address or topic sets are matched in memory instead of as SQL IN lists.</summary>
    private const int MaxInListValues = 64;

    private const int MaxTopicPositions = 4;

    public IEnumerable<LogRecord> GetLogs(LogFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var results = new List<LogRecord>();
        // A log has at most four topics and a filter position (wildcard included) needs a topic there.
        if (filter.Topics is { Count: > MaxTopicPositions }) return results;

        StagedBlock[] staged;
        ulong? head;
        lock (_lock)
        {
            staged = [.. _staged];
            head = staged.Length > 0 ? staged[^1].Number : _committedHead;
        }
        if (head is null) return results;

        ulong from, to;
        if (filter.BlockHash is { } blockHash)
        {
            if (Array.Find(staged, s => s.Hash == blockHash) is { } block)
            {
                AddStagedLogs(block, filter, results);
                return results;
            }
            using var lease = Database.RentReader();
            if (ReadNumber(lease.Connection, blockHash) is not { } number) return results;
            from = to = number;
        }
        else
        {
            from = filter.FromBlock;
            to = Math.Min(filter.ToBlock, head.Value);
        }
        if (from > to) return results;

        // Staged blocks sit above everything stored; the database part stops below the first of
        // them, so a flush finishing meanwhile cannot make a block count twice.
        var storedTo = staged.Length == 0 ? to : staged[0].Number == 0 ? (ulong?)null : Math.Min(to, staged[0].Number - 1);
        if (storedTo is { } last && from <= last) QueryStoredLogs(filter, from, last, results);
        foreach (var block in staged)
            if (block.Number >= from && block.Number <= to) AddStagedLogs(block, filter, results);
        return results;
    }

    private static void AddStagedLogs(StagedBlock block, LogFilter filter, List<LogRecord> results)
    {
        foreach (var receipt in block.Receipts)
            foreach (var log in receipt.Logs)
                if (filter.Matches(log.Address, log.Topics)) results.Add(log);
    }

    private void QueryStoredLogs(LogFilter filter, ulong from, ulong to, List<LogRecord> results)
    {
        var plan = BuildLogQuery(filter);
        using var lease = Database.RentReader();
        var connection = lease.Connection;
        // Small parameter lists give a handful of query shapes: keep them prepared; big ones are one-offs.
        var statement = plan.ParameterCount <= 8 ? connection.Statement(plan.Sql) : new SqliteStatement(connection, plan.Sql);
        try
        {
            statement.Bind(1, _chainKey);
            statement.Bind(2, from);
            statement.Bind(3, to);
            var index = 4;
            if (plan.Addresses is { } addresses)
                foreach (var address in addresses) statement.Bind(index++, address.Bytes);
            foreach (var topics in plan.Topics)
                if (topics is not null)
                    foreach (var topic in topics) statement.Bind(index++, topic.Bytes);

            while (statement.Step())
            {
                var entry = ReadLogEntry(statement, 3);
                var record = new LogRecord(entry.Address, entry.Topics, entry.Data,
                    statement.GetUInt64(0), new Hash256(statement.GetBlob(10)), new Hash256(statement.GetBlob(11)),
                    (int)statement.GetInt64(2), (int)statement.GetInt64(1));
                if (plan.NeedsResidualCheck && !filter.Matches(record)) continue;
                if (filter.BlockHash is { } hash && record.BlockHash != hash) continue;
                results.Add(record);
            }
        }
        finally
        {
            statement.Reset();
            if (plan.ParameterCount > 8) statement.Dispose();
        }
    }

    private sealed record LogQuery(string Sql, Address[]? Addresses, Hash256[]?[] Topics, int ParameterCount, bool NeedsResidualCheck);

    /// <summary>
    /// SQL for a filter: range on the primary key, equality or IN on address and topic columns (each
    /// has an index leading with chain id and the value, then the block number), so SQLite can seek
    /// the rarest constraint instead of scanning the range.
    /// </summary>
    private static LogQuery BuildLogQuery(LogFilter filter)
    {
        var sql = new StringBuilder(512);
        sql.Append("SELECT l.number, l.log_index, l.tx_index, l.address, l.topic_count, l.topic0, l.topic1, l.topic2, l.topic3, l.data, b.hash, t.hash ");
        sql.Append("FROM logs l CROSS JOIN blocks b ON b.chain_id = l.chain_id AND b.number = l.number ");
        sql.Append("CROSS JOIN transactions t ON t.chain_id = l.chain_id AND t.number = l.number AND t.idx = l.tx_index ");
        sql.Append("WHERE l.chain_id = ?1 AND l.number BETWEEN ?2 AND ?3");
        var next = 4;
        var residual = false;

        Address[]? addresses = null;
        if (filter.Addresses is { Count: > 0 } addressSet)
        {
            if (addressSet.Count <= MaxInListValues)
            {
                addresses = addressSet.Distinct().ToArray();
                AppendMatch(sql, "l.address", addresses.Length, ref next);
            }
            else residual = true;
        }

        var positions = filter.Topics?.Count ?? 0;
        var topics = new Hash256[]?[positions];
        for (var i = 0; i < positions; i++)
        {
            if (filter.Topics![i] is not { Count: > 0 } set) continue;
            if (set.Count > MaxInListValues)
            {
                residual = true;
                continue;
            }
            topics[i] = set.Distinct().ToArray();
            AppendMatch(sql, "l.topic" + i.ToString(System.Globalization.CultureInfo.InvariantCulture), topics[i]!.Length, ref next);
        }
        if (positions > 0) sql.Append(" AND l.topic_count >= ").Append(positions);
        sql.Append(" ORDER BY l.number, l.log_index");
        return new LogQuery(sql.ToString(), addresses, topics, next - 4, residual);
    }

    private static void AppendMatch(StringBuilder sql, string column, int count, ref int next)
    {
        sql.Append(" AND ").Append(column);
        if (count == 1)
        {
            // "=" rather than a one-element IN: the partial topic indexes are then provably usable.
            sql.Append(" = ?").Append(next++);
            return;
        }
        sql.Append(" IN (");
        for (var i = 0; i < count; i++)
        {
            if (i > 0) sql.Append(", ");
            sql.Append('?').Append(next++);
        }
        sql.Append(')');
    }

    /// <summary>SQLite's plan for the query this filter runs (diagnostics and tests: an index must be used, never a scan of every log).</summary>
    public IReadOnlyList<string> ExplainLogQuery(LogFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var plan = BuildLogQuery(filter);
        using var lease = Database.RentReader();
        using var statement = new SqliteStatement(lease.Connection, "EXPLAIN QUERY PLAN " + plan.Sql);
        for (var i = 1; i < 4 + plan.ParameterCount; i++) statement.BindNull(i);
        var rows = new List<string>();
        try
        {
            while (statement.Step()) rows.Add(statement.GetText(3));
        }
        finally
        {
            statement.Reset();
        }
        return rows;
    }
}
