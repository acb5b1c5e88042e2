using Thalamus.Storage.CrashHarness;
using Xunit;

namespace Thalamus.Storage.Tests;

/// <summary>
/// A failure in the middle of a commit (injected with a trigger that aborts the Nth log insert,
/// after the block's header and transactions rows were written) must leave no trace of the block.
/// </summary>
public sealed class AtomicityTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string DatabasePath => _dir.File("node.db");

    private void FailLogInsertsOf(ulong chainId, ulong number) => StoreVerifier.ExecuteRaw(DatabasePath,
        $"CREATE TRIGGER injected_failure BEFORE INSERT ON logs WHEN NEW.chain_id = {chainId} AND NEW.number = {number} AND NEW.log_index = 7 " +
        "BEGIN SELECT RAISE(ABORT, 'injected failure'); END;");

    private void RemoveFailure() => StoreVerifier.ExecuteRaw(DatabasePath, "DROP TRIGGER injected_failure");

    [Fact]
    public void A_commit_that_fails_half_way_leaves_no_trace_and_the_store_carries_on()
    {
        using var database = ClusterDatabase.Open(DatabasePath);
        var store = database.GetChainStore(1);
        var chain = new SyntheticChain(store, 1, 20);
        for (var i = 0; i < 3; i++) chain.CommitNext();
        FailLogInsertsOf(1, 4);

        var (block, receipts, nodes) = chain.BuildNext();
        var error = Assert.Throws<StorageException>(() => store.CommitBlock(block, receipts, nodes));
        Assert.Contains("injected failure", error.Message);
        Assert.Equal(3UL, store.HeadNumber);
        Assert.Null(store.GetBlock(4));
        Assert.Null(store.GetTransactionLocation(block.Transactions[0].Hash));
        Assert.Equal(0, StoreVerifier.RowsAbove(DatabasePath, 1, 3));

        RemoveFailure();
        chain.Reload();
        for (var i = 0; i < 2; i++) chain.CommitNext();
        Assert.Equal(5UL, store.HeadNumber);
        StoreVerifier.VerifySyntheticChain(store, 20, walkEveryState: true);
    }

    [Fact]
    public void A_slot_that_fails_on_one_chain_writes_no_chain()
    {
        using var database = ClusterDatabase.Open(DatabasePath);
        var chains = new[] { 1UL, 2UL, 3UL }.Select(id => new SyntheticChain(database.GetChainStore(id), id, 10)).ToArray();
        FailLogInsertsOf(3, 1);
        var slot = database.BeginSlot();
        foreach (var chain in chains) chain.CommitNext();
        Assert.Throws<StorageException>(() => slot.Commit());
        foreach (var chain in chains)
        {
            Assert.Equal(0, StoreVerifier.RowsAbove(DatabasePath, chain.ChainId, 0));
            Assert.Equal(0UL, database.GetChainStore(chain.ChainId).CommittedHeadNumber);
            // Still staged: readable, and written with the chain's next commit.
            Assert.Equal(1UL, database.GetChainStore(chain.ChainId).HeadNumber);
        }

        RemoveFailure();
        using (var next = database.BeginSlot())
        {
            foreach (var chain in chains) chain.CommitNext();
            next.Commit();
        }
        foreach (var chain in chains)
        {
            var store = database.GetChainStore(chain.ChainId);
            Assert.Equal(2UL, store.CommittedHeadNumber);
            StoreVerifier.VerifySyntheticChain(store, 10);
        }
    }
}
