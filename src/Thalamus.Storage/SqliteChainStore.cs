using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Storage;

/// <summary>
/// One member chain's <see cref="IChainStore"/> in a <see cref="ClusterDatabase"/>. A block passed
/// to <see cref="CommitBlock"/> is first staged (encoded, validated, readable at once) and then
/// written with its receipts, log index rows, transaction index rows, buffered trie nodes and the
/// new head pointer in ONE transaction (or, while a slot is open, in the slot's transaction).
/// Reads are thread-safe and run on pooled reader connections, never waiting for a commit.
/// </summary>
public sealed partial class SqliteChainStore : IChainStore
{
    private readonly Lock _lock = new();

    /// <summary>Accepted blocks not yet durable, consecutive and above the committed head.</summary>
    private readonly List<StagedBlock> _staged = [];

    private readonly StateNodeStore _stateNodes;
    private readonly HeaderCache _headers = new(256);
    private readonly long _chainKey;
    private ulong? _committedHead;
    private Hash256 _committedHeadHash;

    internal SqliteChainStore(ClusterDatabase database, ulong chainId)
    {
        Database = database;
        ChainId = chainId;
        _chainKey = unchecked((long)chainId);
        _stateNodes = new StateNodeStore(this, database.Options.StateNodeCacheEntries);
        LoadHead();
    }

    public ulong ChainId { get; }

    public ClusterDatabase Database { get; }

    public ulong? HeadNumber
    {
        get
        {
            lock (_lock) return _staged.Count > 0 ? _staged[^1].Number : _committedHead;
        }
    }

    /// <summary>The head block's hash (null when the store is empty).</summary>
    public Hash256? HeadHash
    {
        get
        {
            lock (_lock) return _staged.Count > 0 ? _staged[^1].Hash : _committedHead is null ? null : _committedHeadHash;
        }
    }

    /// <summary>The newest block that is durable (the head may be ahead while a slot is open).</summary>
    public ulong? CommittedHeadNumber
    {
        get
        {
            lock (_lock) return _committedHead;
        }
    }

    /// <summary>Blocks accepted but not yet written (non-zero only while a slot is open or after a failed write).</summary>
    public int StagedCount
    {
        get
        {
            lock (_lock) return _staged.Count;
        }
    }

    public IKeyValueStore StateNodes => _stateNodes;

    public BlockHeader? GetHeader(ulong number)
    {
        if (FindStaged(number) is { } staged) return staged.Block.Header;
        if (_headers.Get(number) is { } cached) return cached;
        using var lease = Database.RentReader();
        var statement = lease.Connection.Statement("SELECT header FROM blocks WHERE chain_id = ?1 AND number = ?2");
        statement.Bind(1, _chainKey);
        statement.Bind(2, number);
        return ReadHeader(statement);
    }

    public BlockHeader? GetHeader(Hash256 hash)
    {
        if (FindStaged(hash) is { } staged) return staged.Block.Header;
        if (_headers.Get(hash) is { } cached) return cached;
        using var lease = Database.RentReader();
        var statement = lease.Connection.Statement("SELECT header FROM blocks WHERE chain_id = ?1 AND hash = ?2");
        statement.Bind(1, _chainKey);
        statement.Bind(2, hash.Bytes);
        return ReadHeader(statement);
    }

    public Block? GetBlock(ulong number)
    {
        if (FindStaged(number) is { } staged) return staged.Block;
        using var lease = Database.RentReader();
        return ReadBlock(lease.Connection, number, null);
    }

    public Block? GetBlock(Hash256 hash)
    {
        if (FindStaged(hash) is { } staged) return staged.Block;
        using var lease = Database.RentReader();
        return ReadBlock(lease.Connection, null, hash);
    }

    public TransactionLocation? GetTransactionLocation(Hash256 txHash)
    {
        if (FindStaged(txHash, out var block, out var index)) return new TransactionLocation(block.Hash, block.Number, index);
        using var lease = Database.RentReader();
        var statement = lease.Connection.Statement(
            "SELECT t.number, t.idx, b.hash FROM transactions t CROSS JOIN blocks b ON b.chain_id = t.chain_id AND b.number = t.number " +
            "WHERE t.chain_id = ?1 AND t.hash = ?2");
        statement.Bind(1, _chainKey);
        statement.Bind(2, txHash.Bytes);
        try
        {
            if (!statement.Step()) return null;
            return new TransactionLocation(new Hash256(statement.GetBlob(2)), statement.GetUInt64(0), (int)statement.GetInt64(1));
        }
        finally
        {
            statement.Reset();
        }
    }

    /// <summary>The transaction with <paramref name="txHash"/> and where it is, without decoding its whole block.</summary>
    public (Transaction Transaction, TransactionLocation Location)? GetTransaction(Hash256 txHash)
    {
        if (FindStaged(txHash, out var block, out var index))
            return (block.Block.Transactions[index], new TransactionLocation(block.Hash, block.Number, index));
        using var lease = Database.RentReader();
        var statement = lease.Connection.Statement(
            "SELECT t.number, t.idx, b.hash, t.raw FROM transactions t CROSS JOIN blocks b ON b.chain_id = t.chain_id AND b.number = t.number " +
            "WHERE t.chain_id = ?1 AND t.hash = ?2");
        statement.Bind(1, _chainKey);
        statement.Bind(2, txHash.Bytes);
        try
        {
            if (!statement.Step()) return null;
            var location = new TransactionLocation(new Hash256(statement.GetBlob(2)), statement.GetUInt64(0), (int)statement.GetInt64(1));
            return (DecodeTransaction(statement.GetBlob(3)), location);
        }
        finally
        {
            statement.Reset();
        }
    }

    public IReadOnlyList<TransactionReceipt> GetReceipts(Hash256 blockHash)
    {
        if (FindStaged(blockHash) is { } staged) return staged.Receipts;
        using var lease = Database.RentReader();
        var connection = lease.Connection;
        connection.Statement("BEGIN").Execute();
        try
        {
            var number = ReadNumber(connection, blockHash);
            if (number is null) return [];
            return ReadReceipts(connection, number.Value, blockHash, onlyIndex: -1);
        }
        finally
        {
            connection.Statement("COMMIT").Execute();
        }
    }

    /// <summary>One transaction's receipt without decoding the rest of its block's receipts (null when unknown).</summary>
    public TransactionReceipt? GetReceipt(Hash256 txHash)
    {
        if (FindStaged(txHash, out var block, out var index)) return block.Receipts[index];
        var location = GetTransactionLocation(txHash);
        if (location is not { } at) return null;
        using var lease = Database.RentReader();
        var receipts = ReadReceipts(lease.Connection, at.BlockNumber, at.BlockHash, at.Index);
        // A rewind between the two reads could leave another transaction at that position.
        return receipts.Count == 1 && receipts[0].TransactionHash == txHash ? receipts[0] : null;
    }

    private BlockHeader? ReadHeader(SqliteStatement statement)
    {
        try
        {
            if (!statement.Step()) return null;
            return DecodeHeader(statement.GetBlob(0));
        }
        finally
        {
            statement.Reset();
        }
    }

    private Block? ReadBlock(DatabaseConnection connection, ulong? number, Hash256? hash)
    {
        connection.Statement("BEGIN").Execute();
        try
        {
            var select = number is not null
                ? connection.Statement("SELECT number, header, withdrawals, cluster_section FROM blocks WHERE chain_id = ?1 AND number = ?2")
                : connection.Statement("SELECT number, header, withdrawals, cluster_section FROM blocks WHERE chain_id = ?1 AND hash = ?2");
            select.Bind(1, _chainKey);
            if (number is { } n) select.Bind(2, n); else select.Bind(2, hash!.Value.Bytes);
            BlockHeader header;
            List<Withdrawal>? withdrawals = null;
            byte[]? clusterSection = null;
            ulong blockNumber;
            try
            {
                if (!select.Step()) return null;
                blockNumber = select.GetUInt64(0);
                header = DecodeHeader(select.GetBlob(1));
                if (!select.IsNull(2)) withdrawals = DecodeWithdrawals(select.GetBlob(2));
                if (!select.IsNull(3)) clusterSection = select.GetBlob(3).ToArray();
            }
            finally
            {
                select.Reset();
            }

            var txs = connection.Statement("SELECT raw FROM transactions WHERE chain_id = ?1 AND number = ?2 ORDER BY idx");
            txs.Bind(1, _chainKey);
            txs.Bind(2, blockNumber);
            var transactions = new List<Transaction>();
            try
            {
                while (txs.Step()) transactions.Add(DecodeTransaction(txs.GetBlob(0)));
            }
            finally
            {
                txs.Reset();
            }
            return new Block(header, transactions, withdrawals, clusterSection);
        }
        finally
        {
            connection.Statement("COMMIT").Execute();
        }
    }

    private ulong? ReadNumber(DatabaseConnection connection, Hash256 blockHash)
    {
        var statement = connection.Statement("SELECT number FROM blocks WHERE chain_id = ?1 AND hash = ?2");
        statement.Bind(1, _chainKey);
        statement.Bind(2, blockHash.Bytes);
        try
        {
            return statement.Step() ? statement.GetUInt64(0) : null;
        }
        finally
        {
            statement.Reset();
        }
    }

    /// <summary>The receipts of block <paramref name="number"/> (all, or only the one at <paramref name="onlyIndex"/>), logs from the log index.</summary>
    private List<TransactionReceipt> ReadReceipts(DatabaseConnection connection, ulong number, Hash256 blockHash, int onlyIndex)
    {
        var rows = new List<(int Index, Hash256 Hash, ReceiptCodec.Fields Fields)>();
        var select = onlyIndex < 0
            ? connection.Statement("SELECT idx, hash, receipt FROM transactions WHERE chain_id = ?1 AND number = ?2 ORDER BY idx")
            : connection.Statement("SELECT idx, hash, receipt FROM transactions WHERE chain_id = ?1 AND number = ?2 AND idx = ?3");
        select.Bind(1, _chainKey);
        select.Bind(2, number);
        if (onlyIndex >= 0) select.Bind(3, onlyIndex);
        try
        {
            while (select.Step())
                rows.Add(((int)select.GetInt64(0), new Hash256(select.GetBlob(1)), ReceiptCodec.Decode(select.GetBlob(2))));
        }
        finally
        {
            select.Reset();
        }
        if (rows.Count == 0) return [];

        var firstLog = rows[0].Fields.FirstLogIndex;
        var endLog = rows[^1].Fields.FirstLogIndex + rows[^1].Fields.LogCount;
        var logs = new List<LogEntry>(endLog - firstLog);
        if (endLog > firstLog)
        {
            var logSelect = connection.Statement(
                "SELECT log_index, address, topic_count, topic0, topic1, topic2, topic3, data FROM logs " +
                "WHERE chain_id = ?1 AND number = ?2 AND log_index >= ?3 AND log_index < ?4 ORDER BY log_index");
            logSelect.Bind(1, _chainKey);
            logSelect.Bind(2, number);
            logSelect.Bind(3, firstLog);
            logSelect.Bind(4, endLog);
            try
            {
                while (logSelect.Step())
                {
                    if (logSelect.GetInt64(0) != firstLog + logs.Count)
                        throw new StorageException($"chain {ChainId} block #{number}: log {firstLog + logs.Count} is missing from the log index (corrupt database)");
                    logs.Add(ReadLogEntry(logSelect, 1));
                }
            }
            finally
            {
                logSelect.Reset();
            }
            if (logs.Count != endLog - firstLog)
                throw new StorageException($"chain {ChainId} block #{number}: expected {endLog - firstLog} logs, found {logs.Count} (corrupt database)");
        }

        var receipts = new List<TransactionReceipt>(rows.Count);
        foreach (var (index, hash, fields) in rows)
        {
            var own = logs.GetRange(fields.FirstLogIndex - firstLog, fields.LogCount);
            receipts.Add(ReceiptCodec.Build(fields, own, hash, index, blockHash, number));
        }
        return receipts;
    }

    /// <summary>Reads address, topic_count, topic0..3, data starting at <paramref name="column"/>.</summary>
    private static LogEntry ReadLogEntry(SqliteStatement statement, int column)
    {
        var address = new Address(statement.GetBlob(column));
        var topicCount = (int)statement.GetInt64(column + 1);
        if (topicCount is < 0 or > 4) throw new StorageException($"a stored log has {topicCount} topics (corrupt database)");
        var topics = new Hash256[topicCount];
        for (var i = 0; i < topicCount; i++) topics[i] = new Hash256(statement.GetBlob(column + 2 + i));
        var data = statement.GetBlob(column + 6).ToArray();
        return new LogEntry(address, topics, data);
    }

    internal byte[]? ReadStateNode(ReadOnlySpan<byte> key)
    {
        using var lease = Database.RentReader();
        var statement = lease.Connection.Statement("SELECT value FROM trie_nodes WHERE chain_id = ?1 AND key = ?2");
        statement.Bind(1, _chainKey);
        statement.Bind(2, key);
        try
        {
            return statement.Step() ? statement.GetBlob(0).ToArray() : null;
        }
        finally
        {
            statement.Reset();
        }
    }

    private StagedBlock? FindStaged(ulong number)
    {
        lock (_lock)
        {
            if (_staged.Count == 0 || number < _staged[0].Number) return null;
            var offset = number - _staged[0].Number;
            return offset < (ulong)_staged.Count ? _staged[(int)offset] : null;
        }
    }

    private StagedBlock? FindStaged(Hash256 hash)
    {
        lock (_lock)
        {
            foreach (var staged in _staged)
                if (staged.Hash == hash) return staged;
            return null;
        }
    }

    private bool FindStaged(Hash256 txHash, out StagedBlock block, out int index)
    {
        lock (_lock)
        {
            for (var i = _staged.Count - 1; i >= 0; i--)
            {
                index = _staged[i].IndexOf(txHash);
                if (index >= 0)
                {
                    block = _staged[i];
                    return true;
                }
            }
        }
        block = null!;
        index = -1;
        return false;
    }

    private BlockHeader DecodeHeader(ReadOnlySpan<byte> encoded)
    {
        try
        {
            return BlockHeader.Decode(encoded);
        }
        catch (RlpException e)
        {
            throw new StorageException($"chain {ChainId}: a stored block header is corrupt: {e.Message}", e);
        }
    }

    private List<Withdrawal> DecodeWithdrawals(ReadOnlySpan<byte> encoded)
    {
        try
        {
            return StagedBlock.DecodeWithdrawals(encoded);
        }
        catch (RlpException e)
        {
            throw new StorageException($"chain {ChainId}: stored withdrawals are corrupt: {e.Message}", e);
        }
    }

    private Transaction DecodeTransaction(ReadOnlySpan<byte> raw)
    {
        try
        {
            return TransactionDecoder.Decode(raw);
        }
        catch (TransactionDecodingException e)
        {
            throw new StorageException($"chain {ChainId}: a stored transaction is corrupt: {e.Message}", e);
        }
    }

    private void LoadHead()
    {
        using var lease = Database.RentReader();
        var statement = lease.Connection.Statement("SELECT head_number, head_hash FROM chains WHERE chain_id = ?1");
        statement.Bind(1, _chainKey);
        try
        {
            if (!statement.Step()) return;
            _committedHead = statement.GetUInt64(0);
            _committedHeadHash = new Hash256(statement.GetBlob(1));
        }
        finally
        {
            statement.Reset();
        }
        var head = GetHeader(_committedHead.Value);
        if (head is null || head.Hash != _committedHeadHash)
            throw new StorageException($"chain {ChainId}: the head pointer names block #{_committedHead} {_committedHeadHash}, which is not stored (corrupt database)");
    }

    public override string ToString() => $"chain {ChainId} store (head {HeadNumber?.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "none"}) in {Database.Path}";
}
