using Thalamus.Chain;
using Thalamus.Storage.CrashHarness;
using Xunit;

namespace Thalamus.Storage.Tests;

public sealed class SlotCommitTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string DatabasePath => _dir.File("node.db");

    [Fact]
    public void Blocks_committed_in_a_slot_are_readable_at_once_and_durable_only_when_the_slot_commits()
    {
        using var database = ClusterDatabase.Open(DatabasePath);
        var chains = new[] { 1UL, 2UL, 3UL }.Select(id => new SyntheticChain(database.GetChainStore(id), id, 10)).ToArray();

        using (var slot = database.BeginSlot())
        {
            var blocks = chains.Select(c => c.CommitNext()).ToArray();
            Assert.Equal(3, slot.BlockCount);
            Assert.Equal([1UL, 2UL, 3UL], slot.ChainIds.Order());
            for (var i = 0; i < chains.Length; i++)
            {
                var store = database.GetChainStore(chains[i].ChainId);
                Assert.Equal(1UL, store.HeadNumber);
                Assert.Equal(0UL, store.CommittedHeadNumber);
                Assert.Equal(blocks[i].Hash, store.GetBlock(1)!.Hash);
                Assert.Equal(10, store.GetReceipts(blocks[i].Hash).Count);
                Assert.NotNull(store.GetTransactionLocation(blocks[i].Transactions[3].Hash));
                Assert.Equal(10, store.GetLogs(new LogFilter { FromBlock = 1 }).Count());
                Assert.Equal(0, StoreVerifier.RowsAbove(DatabasePath, chains[i].ChainId, 0));
            }
            slot.Commit();
        }
        foreach (var chain in chains)
        {
            var store = database.GetChainStore(chain.ChainId);
            Assert.Equal(1UL, store.CommittedHeadNumber);
            Assert.Equal(0, store.StagedCount);
            Assert.True(StoreVerifier.RowsAbove(DatabasePath, chain.ChainId, 0) > 0);
        }
    }

    [Fact]
    public void Several_blocks_of_one_chain_can_share_a_slot_and_a_restart_finds_them_all()
    {
        using (var database = ClusterDatabase.Open(DatabasePath))
        {
            var chain = new SyntheticChain(database.GetChainStore(1), 1, 5);
            using var slot = database.BeginSlot();
            for (var i = 0; i < 4; i++) chain.CommitNext();
            Assert.Equal(4, slot.BlockCount);
            slot.Commit();
        }
        using (var database = ClusterDatabase.Open(DatabasePath))
        {
            var store = database.GetChainStore(1);
            Assert.Equal(4UL, store.HeadNumber);
            StoreVerifier.VerifySyntheticChain(store, 5, walkEveryState: true);
        }
    }

    [Fact]
    public void Disposing_a_slot_without_commit_discards_its_blocks()
    {
        using var database = ClusterDatabase.Open(DatabasePath);
        var chain = new SyntheticChain(database.GetChainStore(1), 1, 5);
        using (database.BeginSlot())
        {
            chain.CommitNext();
            Assert.Equal(1UL, database.GetChainStore(1).HeadNumber);
        }
        Assert.Equal(0UL, database.GetChainStore(1).HeadNumber);
        Assert.Null(database.GetChainStore(1).GetBlock(1));
        chain.Reload();
        chain.CommitNext();
        Assert.Equal(1UL, database.GetChainStore(1).CommittedHeadNumber);
    }

    [Fact]
    public void Only_one_slot_is_open_at_a_time()
    {
        using var database = ClusterDatabase.Open(DatabasePath);
        using var slot = database.BeginSlot();
        Assert.Throws<InvalidOperationException>(() => database.BeginSlot());
        slot.Commit();
        Assert.Throws<InvalidOperationException>(() => slot.Commit());
        using var next = database.BeginSlot();
    }

    [Fact]
    public void CommitTogether_writes_several_chains_at_once_or_none_when_one_block_is_wrong()
    {
        using var database = ClusterDatabase.Open(DatabasePath);
        var a = database.GetChainStore(1);
        var b = database.GetChainStore(2);
        var fa = new BlockFactory(1);
        var fb = new BlockFactory(2);
        var (ga, _) = fa.Next(0, 0);
        var (gb, _) = fb.Next(0, 0);
        database.CommitTogether([new ChainBlockCommit(a, ga, [], []), new ChainBlockCommit(b, gb, [], [])]);
        Assert.Equal(0UL, a.CommittedHeadNumber);
        Assert.Equal(0UL, b.CommittedHeadNumber);

        var (a1, a1r) = fa.Next(3, 2);
        var (b1, b1r) = fb.Next(3, 2);
        var (b2, b2r) = fb.Next(3, 2);
        // b2 does not extend b's head: nothing is staged or written, a1 included.
        Assert.Throws<InvalidOperationException>(() =>
            database.CommitTogether([new ChainBlockCommit(a, a1, a1r, []), new ChainBlockCommit(b, b2, b2r, [])]));
        Assert.Equal(0UL, a.HeadNumber);
        Assert.Equal(0UL, b.HeadNumber);
        Assert.Equal(0, StoreVerifier.RowsAbove(DatabasePath, 1, 0));

        database.CommitTogether([new ChainBlockCommit(a, a1, a1r, []), new ChainBlockCommit(b, b1, b1r, []), new ChainBlockCommit(b, b2, b2r, [])]);
        Assert.Equal(1UL, a.CommittedHeadNumber);
        Assert.Equal(2UL, b.CommittedHeadNumber);
    }
}
