using Thalamus.Chain;

namespace Thalamus.Storage.Tests;

/// <summary>A database with about 100,000 logs over 125 blocks, and the same blocks in a memory store as the reference.</summary>
public sealed class LogIndexFixture : IDisposable
{
    public const int Blocks = 125;
    public const int TransactionsPerBlock = 400;

    private readonly TempDirectory _dir = new();

    public LogIndexFixture()
    {
        Factory = new BlockFactory(seed: 100_000);
        Database = ClusterDatabase.Open(_dir.File("logs.db"));
        Store = Database.GetChainStore(1);
        Reference = new MemoryChainStore();
        for (var i = 0; i < Blocks; i++)
        {
            var (block, receipts) = Factory.Next(i == 0 ? 0 : TransactionsPerBlock, 4);
            Store.CommitBlock(block, receipts, []);
            Reference.CommitBlock(block, receipts, []);
            LogCount += receipts.Sum(r => r.Receipt.Logs.Count);
        }
        // Distractors: another chain's logs in the same tables must never leak into chain 1's answers.
        var other = new BlockFactory(seed: 7);
        var otherStore = Database.GetChainStore(2);
        for (var i = 0; i < 5; i++)
        {
            var (block, receipts) = other.Next(i == 0 ? 0 : 100, 4);
            otherStore.CommitBlock(block, receipts, []);
        }
    }

    public BlockFactory Factory { get; }
    public ClusterDatabase Database { get; }
    public SqliteChainStore Store { get; }
    public MemoryChainStore Reference { get; }
    public int LogCount { get; }

    public void Dispose()
    {
        Database.Dispose();
        _dir.Dispose();
    }
}
