using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Storage;
using static Thalamus.Settlement.Tests.SettlementTestKit;

namespace Thalamus.Settlement.Tests;

/// <summary>The rollback after a batch is proven false survives a crash between two chains' rewinds: the restart finishes it once.</summary>
public sealed class SettlementRollbackCrashTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-settlement-crash-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    /// <summary>Stands for the process dying: thrown by the cluster's fault injection point, caught by nobody.</summary>
    private sealed class SimulatedCrash(ulong chainId) : Exception($"simulated crash after chain {chainId} was rewound");

    [Fact]
    public async Task A_node_killed_between_two_chains_rewinds_of_a_settlement_rollback_finishes_it_at_restart_and_the_verifier_agrees_with_the_re_executed_chains()
    {
        var path = Path.Combine(_directory, "cluster.db");
        var parent = InProcessParentChain.CreateChain([ParentAccount.FromName(SettlementOptions.PosterName).Address, .. Accounts.Select(a => a.Address)],
            genesisTimestamp: 1_800_000_000);
        ulong badBlock, deliveryBlock;
        Hash256 aKept, bKept, bTransfer;
        Hash256[] cBlocks;
        PostedBatch faulty;
        using (var database = ClusterDatabase.Open(path))
        {
            // Settlement slots: 1 A, 2 B, 3 C, 4 A sends to B (B delivers in the same slot), 5 C, 6 B, 7 A; slot 4 is asserted falsely.
            await using var kit = new SettlementTestKit(chains: 3, faultSlot: 4, parent: parent, database: database);
            var (a, b, c) = (kit.Chain(0), kit.Chain(1), kit.Chain(2));
            Transfer(a, 0, 1);
            Transfer(b, 0, 1);
            Transfer(c, 0, 1);
            SendMessage(a, b.ChainId, 0);
            badBlock = a.Head.Number;
            deliveryBlock = b.Head.Number;
            Transfer(c, 1, 2);
            bTransfer = Send(b, 1, Accounts[2].Address, [], UInt256.One, 21_000);
            Transfer(a, 1, 2);
            aKept = a.Store.GetBlock(badBlock - 1)!.Hash;
            bKept = b.Store.GetBlock(deliveryBlock - 1)!.Hash;
            cBlocks = [.. Enumerable.Range(0, (int)c.Head.Number + 1).Select(n => c.Store.GetBlock((ulong)n)!.Hash)];
            var verifier = kit.Verifier();
            verifier.RegisterArbiterIfNeeded();
            kit.Module.PostPending(flush: true);
            verifier.Sync(); // challenges
            verifier.Sync(); // rules: false
            faulty = Assert.Single(kit.Module.Posted, p => p.Faulty);
            Assert.Equal(BatchStatus.Rejected, kit.Contract.Batch(faulty.Index).Status);
            var bHead = b.Head.Number;

            // The node sees the verdict and rolls back; it dies right after A's rewind.
            kit.Cluster.AfterChainRewound = id => throw new SimulatedCrash(id);
            Assert.Throws<SimulatedCrash>(() => kit.Module.PostPending(flush: true));
            Assert.Equal(badBlock - 1, a.Store.HeadNumber);
            Assert.Equal(bHead, b.Store.HeadNumber);
            Assert.Null(kit.Module.LastRollback);
        }

        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new SettlementTestKit(chains: 3, faultSlot: 4, parent: parent, database: database);
            var (a, b, c) = (kit.Chain(0), kit.Chain(1), kit.Chain(2));

            // The start finished the rollback: A from the bad block, B from the delivery, C untouched; B's transfer ran again.
            var rollback = kit.Module.LastRollback;
            Assert.NotNull(rollback);
            Assert.True(rollback.Resumed);
            Assert.Same(rollback, kit.Cluster.Status().Rollback);
            Assert.Equal((a.ChainId, badBlock), (rollback.Request.ChainId, rollback.Request.FromBlock));
            Assert.Contains($"settlement batch {faulty.Index} (slots {faulty.FirstSlot}..{faulty.LastSlot}) was proven false", rollback.Request.Reason);
            Assert.Equal(deliveryBlock, rollback.FirstDiscarded(b.ChainId));
            Assert.Null(rollback.FirstDiscarded(c.ChainId));
            Assert.Equal(aKept, a.Store.GetBlock(badBlock - 1)!.Hash);
            Assert.Equal(bKept, b.Store.GetBlock(deliveryBlock - 1)!.Hash);
            Assert.Equal(cBlocks, Enumerable.Range(0, (int)c.Head.Number + 1).Select(n => c.Store.GetBlock((ulong)n)!.Hash));
            Assert.Contains(bTransfer, rollback.Reinserted);
            Assert.Empty(rollback.Dropped);
            Assert.NotNull(b.GetReceipt(bTransfer));

            // The verdict is known handled (it came with the rollback's intent): posting asserts the slots again, no second rollback.
            var heads = kit.Cluster.Chains.Select(chain => chain.Head.Hash).ToArray();
            Assert.True(kit.Module.PostPending(flush: true) > 0);
            Assert.Same(rollback, kit.Module.LastRollback);
            Assert.Equal(heads, kit.Cluster.Chains.Select(chain => chain.Head.Hash));
            Assert.Null(kit.Module.LastError);

            // A verifier from the parent's data alone agrees with the re-executed chains.
            var verifier = kit.Verifier(play: false);
            verifier.Sync();
            var reposted = kit.Contract.BatchCount() - 1;
            Assert.True(verifier.Verdicts[reposted].Valid, verifier.Verdicts[reposted].Reason);
            Assert.Equal(faulty.FirstSlot, Enumerable.Range((int)faulty.Index + 1, (int)(reposted - faulty.Index)).Select(i => kit.Contract.Batch((ulong)i).FirstSlot).Min());
            var status = verifier.Status();
            foreach (var chain in kit.Cluster.Chains) Assert.Equal(chain.Head.Number, status.ChainHeads[chain.ChainId]);
        }
    }
}
