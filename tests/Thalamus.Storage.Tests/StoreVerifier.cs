using Microsoft.Data.Sqlite;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.State;
using Thalamus.Storage.CrashHarness;
using Xunit;

namespace Thalamus.Storage.Tests;

/// <summary>Checks a store holds a whole, consistent synthetic chain.</summary>
public static class StoreVerifier
{
    /// <summary>
    /// Every block 0..head: linked by parent hash, transactions and receipts matching the header's
    /// roots (so their bytes are intact), one Transfer log per receipt, the transaction index
    /// pointing back, and the state at each root complete with the expected counter.
    /// </summary>
    public static void VerifySyntheticChain(SqliteChainStore store, int transactionsPerBlock, bool walkEveryState = false)
    {
        var head = store.HeadNumber ?? throw new Xunit.Sdk.XunitException("the store is empty");
        Hash256 parent = default;
        for (ulong n = 0; n <= head; n++)
        {
            var block = store.GetBlock(n) ?? throw new Xunit.Sdk.XunitException($"block #{n} missing below the head #{head}");
            Assert.Equal(n, block.Number);
            if (n > 0) Assert.Equal(parent, block.Header.ParentHash);
            parent = block.Hash;
            Assert.Equal(block.Hash, store.GetHeader(block.Hash)!.Hash);
            var expectedTxs = n == 0 ? 0 : transactionsPerBlock;
            Assert.Equal(expectedTxs, block.Transactions.Count);
            Assert.Equal(block.Header.TransactionsRoot, DerivableRoots.Transactions(block.Transactions));

            var receipts = store.GetReceipts(block.Hash);
            Assert.Equal(expectedTxs, receipts.Count);
            Assert.Equal(block.Header.ReceiptsRoot, DerivableRoots.Receipts(receipts.Select(r => r.Receipt).ToList()));
            for (var i = 0; i < receipts.Count; i++)
            {
                var receipt = receipts[i];
                Assert.Equal(block.Transactions[i].Hash, receipt.TransactionHash);
                Assert.Single(receipt.Logs);
                Assert.Equal(SyntheticChain.TransferTopic, receipt.Logs[0].Topics[0]);
                var location = store.GetTransactionLocation(receipt.TransactionHash);
                Assert.Equal(new TransactionLocation(block.Hash, n, i), location);
            }

            var state = new WorldState(store.StateNodes, block.Header.StateRoot);
            Assert.Equal(new UInt256(n * (ulong)transactionsPerBlock), state.GetStorage(SyntheticChain.Token, SyntheticChain.CounterSlot));
            if (walkEveryState || n == head) TrieWalker.WalkState(store.StateNodes, block.Header.StateRoot);
        }
    }

    /// <summary>Rows of a chain above <paramref name="head"/> in any table (a half-written block would leave some).</summary>
    public static long RowsAbove(string databasePath, ulong chainId, ulong head)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Mode = SqliteOpenMode.ReadOnly, Pooling = false }.ToString());
        connection.Open();
        long total = 0;
        foreach (var table in new[] { "blocks", "transactions", "logs" })
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT count(*) FROM {table} WHERE chain_id = $chain AND number > $head";
            command.Parameters.AddWithValue("$chain", (long)chainId);
            command.Parameters.AddWithValue("$head", (long)head);
            total += (long)command.ExecuteScalar()!;
        }
        return total;
    }

    /// <summary>Runs SQL on the file directly (fault injection, schema tampering) and returns the first column of the first row.</summary>
    public static object? ExecuteRaw(string databasePath, string sql)
    {
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = databasePath, Pooling = false }.ToString());
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return command.ExecuteScalar();
    }
}
