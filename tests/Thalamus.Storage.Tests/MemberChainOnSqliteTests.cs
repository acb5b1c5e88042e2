using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Storage.CrashHarness;
using Xunit;

namespace Thalamus.Storage.Tests;

/// <summary>A real MemberChain (signed transactions, EVM execution) over the SQLite store.</summary>
public sealed class MemberChainOnSqliteTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string DatabasePath => _dir.File("node.db");

    private static MemberChain Open(ClusterDatabase database) =>
        new(MemberChainLoad.Profile(automine: true), MemberChainLoad.Genesis(), database.GetChainStore(MemberChainLoad.ChainId));

    [Fact]
    public void Snapshot_and_revert_rewind_the_store_and_a_restart_sees_the_new_branch()
    {
        Hash256 kept, reverted, replacement;
        using (var database = ClusterDatabase.Open(DatabasePath))
        {
            var chain = Open(database);
            kept = chain.SendTransaction(MemberChainLoad.Transfer(0));
            var snapshot = chain.Snapshot();
            reverted = chain.SendTransaction(MemberChainLoad.Transfer(1));
            chain.SendTransaction(MemberChainLoad.Transfer(2));
            Assert.Equal(3UL, chain.Head.Number);

            Assert.True(chain.Revert(snapshot));
            Assert.Equal(1UL, chain.Head.Number);
            Assert.Equal(1UL, database.GetChainStore(MemberChainLoad.ChainId).HeadNumber);
            Assert.Null(chain.GetReceipt(reverted));
            Assert.Equal(0, StoreVerifier.RowsAbove(DatabasePath, MemberChainLoad.ChainId, 1));

            // Nonce 1 again, now to another recipient: the new branch.
            replacement = chain.SendTransaction(TransactionSigner.Sign(new Transaction
            {
                Type = TxType.DynamicFee, ChainId = MemberChainLoad.ChainId, Nonce = 1, MaxPriorityFeePerGas = 2, MaxFeePerGas = 100_000_000_000UL,
                GasLimit = 21_000, To = MemberChainLoad.Recipient(99), Value = 5,
            }, MemberChainLoad.SenderKey));
            Assert.Equal(2UL, chain.Head.Number);
        }
        using (var database = ClusterDatabase.Open(DatabasePath))
        {
            var chain = Open(database);
            Assert.Equal(2UL, chain.Head.Number);
            Assert.NotNull(chain.GetReceipt(kept));
            Assert.NotNull(chain.GetReceipt(replacement));
            Assert.Null(chain.GetReceipt(reverted));
            Assert.Equal((UInt256)5UL, chain.GetBalance(MemberChainLoad.Recipient(99), BlockSelector.Latest));
            Assert.Equal(UInt256.Zero, chain.GetBalance(MemberChainLoad.Recipient(2), BlockSelector.Latest));
            Assert.Equal(MemberChainLoad.Amount(0), chain.GetBalance(MemberChainLoad.Recipient(0), BlockSelector.FromNumber(1)));
            Assert.Equal(2UL, chain.GetTransactionCount(MemberChainLoad.SenderAddress, BlockSelector.Latest));
        }
    }

    [Fact]
    public void Blocks_sealed_by_several_chains_in_a_slot_commit_together()
    {
        using var database = ClusterDatabase.Open(DatabasePath);
        var profiles = new[] { 31337UL, 31338UL }.Select(id => (Profile: new ChainProfile { ChainId = id, AllowEqualTimestamps = true }, Genesis: new GenesisConfig
        {
            ChainId = id,
            Alloc = new Dictionary<Address, GenesisAccount> { [MemberChainLoad.SenderAddress] = new() { Balance = UInt256.Parse("1000000000000000000000") } },
        })).ToArray();
        var chains = profiles.Select(p => new MemberChain(p.Profile, p.Genesis, database.GetChainStore(p.Profile.ChainId))).ToArray();
        using (var slot = database.BeginSlot())
        {
            foreach (var chain in chains)
                chain.SendTransaction(TransactionSigner.Sign(new Transaction
                {
                    Type = TxType.DynamicFee, ChainId = chain.ChainId, Nonce = 0, MaxPriorityFeePerGas = 1, MaxFeePerGas = 100_000_000_000UL,
                    GasLimit = 21_000, To = MemberChainLoad.Recipient(7), Value = 7,
                }, MemberChainLoad.SenderKey));
            Assert.Equal(2, slot.BlockCount);
            foreach (var chain in chains)
            {
                Assert.Equal(1UL, chain.Head.Number);
                Assert.Equal(0, StoreVerifier.RowsAbove(DatabasePath, chain.ChainId, 0));
                Assert.Equal((UInt256)7UL, chain.GetBalance(MemberChainLoad.Recipient(7), BlockSelector.Latest));
            }
            slot.Commit();
        }
        foreach (var chain in chains) Assert.Equal(1UL, database.GetChainStore(chain.ChainId).CommittedHeadNumber);
    }
}
