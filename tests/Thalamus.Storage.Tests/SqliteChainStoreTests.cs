using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.State;
using Thalamus.Storage.CrashHarness;
using Xunit;

namespace Thalamus.Storage.Tests;

public sealed class SqliteChainStoreTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private ClusterDatabase OpenDatabase() => ClusterDatabase.Open(_dir.File("node.db"));

    /// <summary>Commits the same varied blocks to a SQLite store and a memory store.</summary>
    private static List<(Block Block, IReadOnlyList<TransactionReceipt> Receipts)> Fill(IChainStore sqlite, IChainStore memory, int blocks, int seed)
    {
        var factory = new BlockFactory(seed);
        var committed = new List<(Block, IReadOnlyList<TransactionReceipt>)>();
        for (var i = 0; i < blocks; i++)
        {
            var (block, receipts) = factory.Next(i == 0 ? 0 : 1 + i % 7, 4);
            sqlite.CommitBlock(block, receipts, []);
            memory.CommitBlock(block, receipts, []);
            committed.Add((block, receipts));
        }
        return committed;
    }

    [Fact]
    public void Blocks_receipts_locations_and_logs_read_back_exactly_and_survive_a_reopen()
    {
        var memory = new MemoryChainStore();
        List<(Block Block, IReadOnlyList<TransactionReceipt> Receipts)> committed;
        using (var database = OpenDatabase()) committed = Fill(database.GetChainStore(5), memory, 40, seed: 1);

        using (var database = OpenDatabase())
        {
            var store = database.GetChainStore(5);
            Assert.Equal(39UL, store.HeadNumber);
            foreach (var (block, receipts) in committed)
            {
                StoreAssert.SameBlock(block, store.GetBlock(block.Number));
                StoreAssert.SameBlock(block, store.GetBlock(block.Hash));
                Assert.Equal(block.Header.Encode(), store.GetHeader(block.Number)!.Encode());
                Assert.Equal(block.Hash, store.GetHeader(block.Hash)!.Hash);
                StoreAssert.SameReceipts(receipts, store.GetReceipts(block.Hash));
                for (var i = 0; i < block.Transactions.Count; i++)
                {
                    var hash = block.Transactions[i].Hash;
                    Assert.Equal(memory.GetTransactionLocation(hash), store.GetTransactionLocation(hash));
                    StoreAssert.SameReceipt(receipts[i], store.GetReceipt(hash));
                    var (tx, location) = store.GetTransaction(hash)!.Value;
                    Assert.Equal(block.Transactions[i].Encode(), tx.Encode());
                    Assert.Equal(new TransactionLocation(block.Hash, block.Number, i), location);
                }
            }
            StoreAssert.SameLogs(memory.GetLogs(new LogFilter()), store.GetLogs(new LogFilter()));
            Assert.NotEmpty(store.GetLogs(new LogFilter()));
        }
    }

    [Fact]
    public void Unknown_keys_give_nothing()
    {
        using var database = OpenDatabase();
        var store = database.GetChainStore(5);
        Assert.Null(store.HeadNumber);
        Assert.Empty(store.GetLogs(new LogFilter()));
        Fill(store, new MemoryChainStore(), 3, seed: 2);
        var unknown = Keccak256.Compute("nothing"u8);
        Assert.Null(store.GetHeader(99));
        Assert.Null(store.GetHeader(unknown));
        Assert.Null(store.GetBlock(99));
        Assert.Null(store.GetBlock(unknown));
        Assert.Null(store.GetTransactionLocation(unknown));
        Assert.Null(store.GetReceipt(unknown));
        Assert.Null(store.GetTransaction(unknown));
        Assert.Empty(store.GetReceipts(unknown));
        Assert.Empty(store.GetLogs(new LogFilter { BlockHash = unknown }));
        Assert.Null(store.StateNodes.Get(unknown.Bytes));
        // Another chain in the same file sees none of it.
        Assert.Null(database.GetChainStore(6).HeadNumber);
        Assert.Null(database.GetChainStore(6).GetBlock(0));
    }

    [Fact]
    public void A_block_that_does_not_extend_the_head_is_refused_and_nothing_changes()
    {
        using var database = OpenDatabase();
        var store = database.GetChainStore(1);
        var factory = new BlockFactory(3);
        var (genesis, _) = factory.Next(0, 0);
        var (one, oneReceipts) = factory.Next(2, 2);
        Assert.Throws<InvalidOperationException>(() => store.CommitBlock(one, oneReceipts, []));
        store.CommitBlock(genesis, [], []);
        store.CommitBlock(one, oneReceipts, []);
        Assert.Throws<InvalidOperationException>(() => store.CommitBlock(one, oneReceipts, []));

        var otherFactory = new BlockFactory(4);
        otherFactory.Next(0, 0);
        otherFactory.Next(0, 0);
        var (wrongParent, wrongReceipts) = otherFactory.Next(1, 1);
        var error = Assert.Throws<InvalidOperationException>(() => store.CommitBlock(wrongParent, wrongReceipts, []));
        Assert.Contains("parent", error.Message);
        Assert.Equal(1UL, store.HeadNumber);
        Assert.Null(store.GetBlock(wrongParent.Hash));
        Assert.Equal(0, store.StagedCount);
    }

    [Fact]
    public void Receipts_that_do_not_match_the_transactions_are_refused()
    {
        using var database = OpenDatabase();
        var store = database.GetChainStore(1);
        var factory = new BlockFactory(5);
        var (genesis, _) = factory.Next(0, 0);
        store.CommitBlock(genesis, [], []);
        var (block, receipts) = factory.Next(3, 2);
        Assert.Throws<ArgumentException>(() => store.CommitBlock(block, receipts.Take(2).ToList(), []));
        Assert.Throws<ArgumentException>(() => store.CommitBlock(block, receipts.Reverse().ToList(), []));
        Assert.Equal(0UL, store.HeadNumber);
        store.CommitBlock(block, receipts, []);
        Assert.Equal(1UL, store.HeadNumber);
    }

    [Fact]
    public void RewindTo_drops_the_blocks_above_and_a_different_block_can_follow()
    {
        var path = _dir.File("node.db");
        var factory = new BlockFactory(6);
        var blocks = new List<Block>();
        using (var database = ClusterDatabase.Open(path))
        {
            var store = database.GetChainStore(1);
            for (var i = 0; i < 6; i++)
            {
                var (block, receipts) = factory.Next(i == 0 ? 0 : 3, 3);
                store.CommitBlock(block, receipts, []);
                blocks.Add(block);
            }
            Assert.NotNull(store.GetHeader(5));
            store.RewindTo(2);
            Assert.Equal(2UL, store.HeadNumber);
            Assert.Null(store.GetHeader(3));
            Assert.Null(store.GetBlock(blocks[4].Hash));
            Assert.Null(store.GetTransactionLocation(blocks[5].Transactions[0].Hash));
            Assert.All(store.GetLogs(new LogFilter()), log => Assert.True(log.BlockNumber <= 2));
            Assert.Throws<InvalidOperationException>(() => store.RewindTo(4));
            Assert.Equal(0, StoreVerifier.RowsAbove(path, 1, 2));

            var parent = blocks[2].Header;
            var replacement = new Block(new BlockHeader { ParentHash = parent.Hash, Number = 3, Timestamp = parent.Timestamp + 100, ExtraData = [0xf0, 0x4c] }, []);
            store.CommitBlock(replacement, [], []);
            Assert.Equal(replacement.Hash, store.GetHeader(3)!.Hash);
        }
        using (var database = ClusterDatabase.Open(path))
        {
            var store = database.GetChainStore(1);
            Assert.Equal(3UL, store.HeadNumber);
            Assert.Equal(blocks[2].Hash, store.GetHeader(3)!.ParentHash);
        }
    }

    [Fact]
    public void State_reopens_from_the_stored_nodes_at_any_committed_block()
    {
        var path = _dir.File("node.db");
        var roots = new List<Hash256>();
        using (var database = ClusterDatabase.Open(path))
        {
            var chain = new SyntheticChain(database.GetChainStore(1), 1, 25);
            roots.Add(chain.Head.StateRoot);
            for (var i = 0; i < 8; i++) roots.Add(chain.CommitNext().Header.StateRoot);
        }
        using (var database = ClusterDatabase.Open(path))
        {
            var store = database.GetChainStore(1);
            for (var n = 0; n < roots.Count; n++)
            {
                var state = new WorldState(store.StateNodes, store.GetHeader((ulong)n)!.StateRoot);
                Assert.Equal(roots[n], store.GetHeader((ulong)n)!.StateRoot);
                Assert.Equal(new UInt256((ulong)(n * 25)), state.GetStorage(SyntheticChain.Token, SyntheticChain.CounterSlot));
                var summary = TrieWalker.WalkState(store.StateNodes, roots[n]);
                Assert.Equal(SyntheticChain.SenderCount + 1, summary.Accounts);
                Assert.Equal(1, summary.Contracts);
                Assert.Equal(n == 0 ? 0 : n * 25 + 1, summary.StorageSlots);
            }
        }
    }

    [Fact]
    public void Nodes_written_through_StateNodes_are_readable_at_once_and_durable_with_the_next_block()
    {
        var path = _dir.File("node.db");
        var key = Keccak256.Compute("node"u8);
        using (var database = ClusterDatabase.Open(path))
        {
            var store = database.GetChainStore(1);
            store.StateNodes.Put(key.Bytes, [1, 2, 3]);
            var copy = store.StateNodes.Get(key.Bytes)!;
            Assert.Equal([1, 2, 3], copy);
            copy[0] = 9; // a returned value is the caller's: the store keeps its own
            Assert.Equal([1, 2, 3], store.StateNodes.Get(key.Bytes));
            var (genesis, _) = new BlockFactory(7).Next(0, 0);
            store.CommitBlock(genesis, [], []);
        }
        using (var database = ClusterDatabase.Open(path))
        {
            Assert.Equal([1, 2, 3], database.GetChainStore(1).StateNodes.Get(key.Bytes));
            Assert.Null(database.GetChainStore(2).StateNodes.Get(key.Bytes));
        }
    }

    [Fact]
    public async Task Reads_on_other_threads_during_commits_always_see_whole_blocks()
    {
        using var database = OpenDatabase();
        var store = database.GetChainStore(1);
        var chain = new SyntheticChain(store, 1, 40);
        using var stop = new CancellationTokenSource();
        var observed = 0;
        var readers = Enumerable.Range(0, 2).Select(_ => Task.Run(() =>
        {
            while (!stop.IsCancellationRequested)
            {
                if (store.HeadNumber is not { } head || head == 0) continue;
                var block = store.GetBlock(head)!;
                Assert.Equal(40, block.Transactions.Count);
                Assert.Equal(40, store.GetReceipts(block.Hash).Count);
                Assert.Equal(40, store.GetLogs(new LogFilter { FromBlock = head, ToBlock = head }).Count());
                var state = new WorldState(store.StateNodes, block.Header.StateRoot);
                Assert.Equal(new UInt256(head * 40), state.GetStorage(SyntheticChain.Token, SyntheticChain.CounterSlot));
                Interlocked.Increment(ref observed);
            }
        })).ToArray();
        for (var i = 0; i < 30; i++) chain.CommitNext();
        // Let the readers see the final head at least once even on a slow machine.
        for (var wait = 0; wait < 1000 && Volatile.Read(ref observed) == 0; wait++) await Task.Delay(10);
        stop.Cancel();
        await Task.WhenAll(readers);
        Assert.True(observed > 0);
    }
}
