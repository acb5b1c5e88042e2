using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Storage;

public sealed partial class SqliteChainStore
{
    /// <summary>What one flush writes for this chain: the blocks staged when it began and the buffered trie nodes.</summary>
    internal readonly record struct FlushWork(StagedBlock[] Blocks, KeyValuePair<byte[], byte[]?>[]? Nodes)
    {
        public bool IsEmpty => Blocks.Length == 0 && Nodes is null;
    }

    /// <summary>
    /// Stores <paramref name="block"/> as the new head with its receipts, logs, transaction index
    /// and the new trie nodes, in ONE database transaction (or in the open slot's transaction, see
    /// <see cref="ClusterDatabase.BeginSlot"/>). Trie nodes written through <see cref="StateNodes"/>
    /// since the last commit are written in the same transaction.
    /// </summary>
    /// <exception cref="InvalidOperationException">the block does not extend the head (wrong number or parent).</exception>
    /// <exception cref="ArgumentException">the receipts do not belong to the block's transactions.</exception>
    /// <exception cref="StorageException">the write failed: nothing of the block was stored and the head is unchanged.</exception>
    public void CommitBlock(Block block, IReadOnlyList<TransactionReceipt> receipts, IReadOnlyCollection<KeyValuePair<byte[], byte[]>> newTrieNodes)
    {
        var staged = Stage(block, receipts, newTrieNodes);
        if (Database.OpenSlot is { } slot && slot.TryRegister(this)) return;
        try
        {
            Database.Flush([this]);
        }
        catch
        {
            // Alone, a failed commit leaves no trace: the caller may retry or rebuild the block.
            lock (_lock)
            {
                if (_staged.Count > 0 && ReferenceEquals(_staged[^1], staged)) _staged.RemoveAt(_staged.Count - 1);
            }
            throw;
        }
    }

    /// <summary>
    /// Makes <paramref name="number"/> the head again: staged blocks above it are dropped and stored
    /// ones deleted (with their transactions, receipts and logs) in one transaction. Trie nodes stay.
    /// </summary>
    public void RewindTo(ulong number)
    {
        lock (Database.WriteLock)
        {
            lock (_lock)
            {
                var head = _staged.Count > 0 ? _staged[^1].Number : _committedHead;
                if (head is null) throw new InvalidOperationException($"chain {ChainId}: cannot rewind an empty store");
                if (number > head) throw new InvalidOperationException($"chain {ChainId}: cannot rewind forward to #{number} (head is #{head})");
                while (_staged.Count > 0 && _staged[^1].Number > number) _staged.RemoveAt(_staged.Count - 1);
                if (_committedHead is not { } committed || number >= committed) return;
            }

            var target = GetHeader(number) ?? throw new StorageException($"chain {ChainId}: block #{number} is missing (corrupt database)");
            Database.WriteTransaction(connection =>
            {
                foreach (var table in (ReadOnlySpan<string>)["logs", "transactions", "blocks"])
                {
                    var delete = connection.Statement($"DELETE FROM {table} WHERE chain_id = ?1 AND number > ?2");
                    delete.Bind(1, _chainKey);
                    delete.Bind(2, number);
                    delete.Execute();
                }
                WriteHead(connection, number, target.Hash);
            });
            lock (_lock)
            {
                _committedHead = number;
                _committedHeadHash = target.Hash;
            }
            _headers.Clear();
        }
    }

    /// <summary>Validates and encodes a block and appends it to the staged blocks (readable at once).</summary>
    internal StagedBlock Stage(Block block, IReadOnlyList<TransactionReceipt> receipts, IReadOnlyCollection<KeyValuePair<byte[], byte[]>> newTrieNodes)
    {
        ArgumentNullException.ThrowIfNull(block);
        ArgumentNullException.ThrowIfNull(receipts);
        ArgumentNullException.ThrowIfNull(newTrieNodes);
        ValidateReceipts(block, receipts);
        var staged = new StagedBlock(block, receipts);
        lock (_lock)
        {
            var head = _staged.Count > 0 ? _staged[^1].Number : _committedHead;
            var headHash = _staged.Count > 0 ? _staged[^1].Hash : _committedHeadHash;
            if (head is null)
            {
                if (block.Number != 0)
                    throw new InvalidOperationException($"chain {ChainId}: the store is empty, so the first block must be genesis (#0), got #{block.Number}");
            }
            else
            {
                if (block.Number != head.Value + 1)
                    throw new InvalidOperationException($"chain {ChainId}: block #{block.Number} does not extend the head #{head}");
                if (block.Header.ParentHash != headHash)
                    throw new InvalidOperationException($"chain {ChainId}: block #{block.Number}'s parent {block.Header.ParentHash} is not the head {headHash}");
            }
            _staged.Add(staged);
        }
        _stateNodes.AddPending(newTrieNodes);
        return staged;
    }

    /// <summary>Takes back the newest staged block (a multi-chain commit whose validation failed part-way).</summary>
    internal void UnstageLast()
    {
        lock (_lock)
        {
            if (_staged.Count > 0) _staged.RemoveAt(_staged.Count - 1);
        }
    }

    /// <summary>Drops every staged block (a slot disposed without commit).</summary>
    internal void DiscardStaged()
    {
        lock (Database.WriteLock)
        {
            lock (_lock) _staged.Clear();
        }
    }

    /// <summary>Called under the database write lock: everything staged now, plus the buffered nodes.</summary>
    internal FlushWork BeginFlush()
    {
        StagedBlock[] blocks;
        lock (_lock) blocks = [.. _staged];
        return new FlushWork(blocks, _stateNodes.BeginFlush());
    }

    /// <summary>Inside the transaction: rows for every block, the nodes, the head pointer.</summary>
    internal void Write(DatabaseConnection connection, in FlushWork work)
    {
        if (work.Nodes is { } nodes) WriteNodes(connection, nodes);
        foreach (var block in work.Blocks) WriteBlock(connection, block);
        if (work.Blocks.Length > 0) WriteHead(connection, work.Blocks[^1].Number, work.Blocks[^1].Hash);
    }

    /// <summary>After the transaction: on success the written blocks leave the staging list and become the committed head.</summary>
    internal void EndFlush(in FlushWork work, bool committed)
    {
        _stateNodes.EndFlush(committed);
        if (!committed || work.Blocks.Length == 0) return;
        lock (_lock)
        {
            var last = work.Blocks[^1];
            _committedHead = last.Number;
            _committedHeadHash = last.Hash;
            // The database has them now; readers that miss them here find them there.
            var written = 0;
            while (written < work.Blocks.Length && written < _staged.Count && ReferenceEquals(_staged[written], work.Blocks[written])) written++;
            _staged.RemoveRange(0, written);
        }
        foreach (var block in work.Blocks) _headers.Add(block.Block.Header);
    }

    private void WriteBlock(DatabaseConnection connection, StagedBlock block)
    {
        var insertBlock = connection.Statement("INSERT INTO blocks(chain_id, number, hash, header, withdrawals, cluster_section) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
        insertBlock.Bind(1, _chainKey);
        insertBlock.Bind(2, block.Number);
        insertBlock.Bind(3, block.Hash.Bytes);
        insertBlock.Bind(4, block.HeaderRlp);
        if (block.WithdrawalsRlp is { } withdrawals) insertBlock.Bind(5, withdrawals); else insertBlock.BindNull(5);
        if (block.ClusterSection is { } section) insertBlock.Bind(6, section); else insertBlock.BindNull(6);
        insertBlock.Execute();

        var insertTx = connection.Statement("INSERT INTO transactions(chain_id, number, idx, hash, raw, receipt) VALUES(?1, ?2, ?3, ?4, ?5, ?6)");
        insertTx.Bind(1, _chainKey);
        insertTx.Bind(2, block.Number);
        for (var i = 0; i < block.TransactionRaw.Length; i++)
        {
            insertTx.Bind(3, i);
            insertTx.Bind(4, block.TransactionHashes[i].Bytes);
            insertTx.Bind(5, block.TransactionRaw[i]);
            insertTx.Bind(6, block.ReceiptRlp[i]);
            insertTx.Execute();
        }

        var insertLog = connection.Statement(
            "INSERT INTO logs(chain_id, number, log_index, tx_index, address, topic_count, topic0, topic1, topic2, topic3, data) " +
            "VALUES(?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11)");
        insertLog.Bind(1, _chainKey);
        insertLog.Bind(2, block.Number);
        foreach (var receipt in block.Receipts)
        {
            var logs = receipt.Receipt.Logs;
            insertLog.Bind(4, receipt.TransactionIndex);
            for (var i = 0; i < logs.Count; i++)
            {
                var log = logs[i];
                insertLog.Bind(3, receipt.FirstLogIndex + i);
                insertLog.Bind(5, log.Address.Bytes);
                insertLog.Bind(6, log.Topics.Length);
                for (var t = 0; t < 4; t++)
                {
                    if (t < log.Topics.Length) insertLog.Bind(7 + t, log.Topics[t].Bytes);
                    else insertLog.BindNull(7 + t);
                }
                insertLog.Bind(11, log.Data);
                insertLog.Execute();
            }
        }
    }

    private void WriteNodes(DatabaseConnection connection, KeyValuePair<byte[], byte[]?>[] nodes)
    {
        // Content-addressed: a key already present holds the same bytes, so a repeat write is a no-op.
        var insert = connection.Statement("INSERT OR IGNORE INTO trie_nodes(chain_id, key, value) VALUES(?1, ?2, ?3)");
        insert.Bind(1, _chainKey);
        SqliteStatement? delete = null;
        foreach (var (key, value) in nodes)
        {
            if (value is null)
            {
                delete ??= connection.Statement("DELETE FROM trie_nodes WHERE chain_id = ?1 AND key = ?2");
                delete.Bind(1, _chainKey);
                delete.Bind(2, key);
                delete.Execute();
                continue;
            }
            insert.Bind(2, key);
            insert.Bind(3, value);
            insert.Execute();
        }
    }

    private void WriteHead(DatabaseConnection connection, ulong number, Hash256 hash)
    {
        var upsert = connection.Statement(
            "INSERT INTO chains(chain_id, head_number, head_hash) VALUES(?1, ?2, ?3) " +
            "ON CONFLICT(chain_id) DO UPDATE SET head_number = excluded.head_number, head_hash = excluded.head_hash");
        upsert.Bind(1, _chainKey);
        upsert.Bind(2, number);
        upsert.Bind(3, hash.Bytes);
        upsert.Execute();
    }

    private void ValidateReceipts(Block block, IReadOnlyList<TransactionReceipt> receipts)
    {
        var transactions = block.Transactions;
        if (receipts.Count != transactions.Count)
            throw new ArgumentException($"chain {ChainId} block #{block.Number}: {transactions.Count} transactions but {receipts.Count} receipts", nameof(receipts));
        var blockHash = block.Hash;
        var nextLog = 0;
        for (var i = 0; i < receipts.Count; i++)
        {
            var receipt = receipts[i] ?? throw new ArgumentException($"chain {ChainId} block #{block.Number}: receipt {i} is null", nameof(receipts));
            if (receipt.TransactionIndex != i || receipt.TransactionHash != transactions[i].Hash)
                throw new ArgumentException($"chain {ChainId} block #{block.Number}: receipt {i} is for transaction {receipt.TransactionHash} at index {receipt.TransactionIndex}, not {transactions[i].Hash}", nameof(receipts));
            if (receipt.BlockNumber != block.Number || receipt.BlockHash != blockHash)
                throw new ArgumentException($"chain {ChainId} block #{block.Number}: receipt {i} names block #{receipt.BlockNumber} {receipt.BlockHash}", nameof(receipts));
            if (receipt.FirstLogIndex != nextLog)
                throw new ArgumentException($"chain {ChainId} block #{block.Number}: receipt {i} starts at log {receipt.FirstLogIndex}, expected {nextLog}", nameof(receipts));
            foreach (var log in receipt.Receipt.Logs)
                if (log.Topics.Length > 4) throw new ArgumentException($"chain {ChainId} block #{block.Number}: a log with {log.Topics.Length} topics (at most 4)", nameof(receipts));
            nextLog += receipt.Receipt.Logs.Count;
        }
    }
}
