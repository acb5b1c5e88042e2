using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Storage;
using static Thalamus.Settlement.Tests.SettlementTestKit;

namespace Thalamus.Settlement.Tests;

/// <summary>A cluster settles on its embedded parent; a verifier that reads only the parent follows, agrees, and wins against a false assertion.</summary>
public sealed class SettlementEndToEndTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-settlement-test-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    /// <summary>Transfers on every chain, messages both ways and a synchronous call, so batches hold cluster sections.</summary>
    private static void Traffic(SettlementTestKit kit)
    {
        var (a, b) = (kit.Chain(0), kit.Chain(1));
        var counter = Deploy(b, 1, "RemoteCounter");
        var caller = Deploy(a, 1, "SyncCaller");
        Transfer(a, 0, 2);
        Transfer(b, 0, 2);
        SendMessage(a, b.ChainId, 0);
        SendMessage(b, a.ChainId, 0);
        Send(a, 2, caller, Abi.Call("incrementRemote(uint256,address,uint256)", b.ChainId, counter, 5UL));
        Transfer(a, 1, 3);
        Transfer(b, 1, 3);
    }

    [Fact]
    public async Task A_cluster_settles_batches_on_the_embedded_parent_and_a_verifier_from_parent_data_alone_agrees()
    {
        await using var kit = new SettlementTestKit();
        Traffic(kit);
        var posted = kit.Module.PostPending(flush: true);

        Assert.True(posted >= 2, $"{posted} batches posted");
        Assert.Equal(kit.Module.LastSlot + 1, kit.Contract.NextSlot());
        var verifier = kit.Verifier(play: false);
        Assert.Equal(posted, verifier.Sync());
        Assert.All(verifier.Verdicts.Values, v => Assert.True(v.Valid, v.Reason));
        var status = verifier.Status();
        foreach (var chain in kit.Cluster.Chains) Assert.Equal(chain.Head.Number, status.ChainHeads[chain.ChainId]);
        var b = kit.Chain(1);
        Assert.Contains(Enumerable.Range(1, (int)b.Head.Number), n => b.Store.GetBlock((ulong)n)!.ClusterSection is not null);
    }

    [Fact]
    public async Task Cluster_increase_time_moves_every_member_chain_and_the_parent_by_the_same_seconds()
    {
        await using var kit = new SettlementTestKit(chains: 3);
        const ulong days28 = 28UL * 24 * 3600;
        var before = kit.Cluster.Chains.Select(c => c.Head.Timestamp).Append(kit.ParentChain.Head.Timestamp).ToArray();

        kit.Cluster.IncreaseTime(days28);
        foreach (var chain in kit.Cluster.Chains) chain.Mine();
        kit.ParentChain.Mine();

        var after = kit.Cluster.Chains.Select(c => c.Head.Timestamp).Append(kit.ParentChain.Head.Timestamp).ToArray();
        for (var i = 0; i < before.Length; i++)
            Assert.True(after[i] >= before[i] + days28, $"clock {i}: {before[i]} -> {after[i]}, expected at least {days28} s later");
        // One clock for all: the member chains' next blocks stay within a second of each other.
        Assert.True(after.Take(3).Max() - after.Take(3).Min() <= 1, string.Join(", ", after));
    }

    [Fact]
    public async Task Batches_are_final_after_the_challenge_window_and_the_bond_returns_to_the_poster()
    {
        await using var kit = new SettlementTestKit();
        Transfer(kit.Chain(0), 0, 1);
        Transfer(kit.Chain(1), 0, 1);
        kit.Module.PostPending(flush: true);
        Assert.Equal(0, kit.Module.FinalizeDue(kit.Contract));

        kit.AdvanceParent(TimeSpan.FromSeconds(new SettlementTerms().ChallengeWindowSeconds));
        Assert.Equal((int)kit.Contract.BatchCount(), kit.Module.FinalizeDue(kit.Contract));

        Assert.Equal(BatchStatus.Finalized, kit.Contract.Batch(0).Status);
        Assert.Equal(kit.Contract.BatchCount(), kit.Contract.FinalizedCount());
    }

    [Fact]
    public async Task A_false_state_root_is_challenged_by_the_verifier_rejected_by_the_arbiter_and_the_bond_goes_to_the_challenger()
    {
        await using var kit = new SettlementTestKit(faultSlot: 3);
        Traffic(kit);
        var verifier = kit.Verifier();
        verifier.RegisterArbiterIfNeeded();
        kit.Module.PostPending(flush: true);
        var faulty = Assert.Single(kit.Module.Posted, p => p.Faulty);
        var challengerBefore = kit.Parent.BalanceOf(Challenger.Address);

        verifier.Sync(); // verifies, finds the false batch and challenges it
        Assert.Equal(BatchStatus.Challenged, kit.Contract.Batch(faulty.Index).Status);
        Assert.False(verifier.Verdicts[faulty.Index].Valid);
        Assert.Contains("state root", verifier.Verdicts[faulty.Index].Reason);
        verifier.Sync(); // the arbiter rules on the challenge

        Assert.Equal(BatchStatus.Rejected, kit.Contract.Batch(faulty.Index).Status);
        Assert.Equal(faulty.FirstSlot, kit.Contract.NextSlot());
        var gained = kit.Parent.BalanceOf(Challenger.Address) - challengerBefore;
        var bond = kit.Contract.AssertionBond();
        Assert.True(gained < bond && gained > bond - new UInt256(10_000_000_000_000_000), $"the challenger gained {gained}, the assertion bond is {bond}");

        // The node asserts the slots again, honestly this time; the verifier goes back and agrees.
        Assert.True(kit.Module.PostPending(flush: true) > 0);
        verifier.Sync();
        var reposted = kit.Module.Posted.Where(p => p.FirstSlot == faulty.FirstSlot).Last();
        Assert.False(reposted.Faulty);
        Assert.True(verifier.Verdicts[reposted.Index].Valid, verifier.Verdicts[reposted.Index].Reason);
        var status = verifier.Status();
        foreach (var chain in kit.Cluster.Chains) Assert.Equal(chain.Head.Number, status.ChainHeads[chain.ChainId]);
    }

    private static readonly Address Minted = new(Hex.Decode("0x000000000000000000000000000000000000f00d"));

    [Fact]
    public async Task A_false_assertion_about_a_block_rolls_the_cluster_back_from_the_disputed_block_and_what_consumed_it_and_the_re_executed_blocks_settle()
    {
        // The fault injection: the node's block is right, its assertion claims another state root. The node cannot tell the
        // two apart from the verdict, so it discards the disputed block all the same; its re-execution is the same transactions.
        await RollbackAfterRejection(corruptBlock: false);
    }

    [Fact]
    public async Task A_block_with_a_state_change_outside_its_transactions_is_proven_false_and_its_re_execution_without_it_settles()
    {
        // The real case: the node's own block is invalid (a balance minted outside any transaction, as a buggy or dishonest
        // node could); the assertion is honest about it, the verifier's re-execution differs, and the rollback drops the mint.
        await RollbackAfterRejection(corruptBlock: true);
    }

    private static async Task RollbackAfterRejection(bool corruptBlock)
    {
        // Settlement slots: 1 A, 2 B, 3 C, 4 A sends to B (and B delivers, in the same slot), 5 C, 6 B, 7 A. The bad block: slot 4's first, on A.
        await using var kit = new SettlementTestKit(chains: 3, faultSlot: corruptBlock ? null : 4);
        var (a, b, c) = (kit.Chain(0), kit.Chain(1), kit.Chain(2));
        Transfer(a, 0, 1);
        Transfer(b, 0, 1);
        Transfer(c, 0, 1);
        if (corruptBlock) a.SetBalance(Minted, new UInt256(1_000_000));
        SendMessage(a, b.ChainId, 0);
        if (corruptBlock) Assert.Equal(new UInt256(1_000_000), a.GetBalance(Minted, BlockSelector.Latest));
        var badBlock = a.Head.Number;
        var deliveryBlock = b.Head.Number;
        Transfer(c, 1, 2);
        var bTransfer = Send(b, 1, Accounts[2].Address, [], UInt256.One, 21_000);
        var bTransferBlock = b.GetReceipt(bTransfer)!.BlockHash;
        Transfer(a, 1, 2);
        var cBlocks = Enumerable.Range(0, (int)c.Head.Number + 1).Select(n => c.Store.GetBlock((ulong)n)!.Hash).ToList();
        var verifier = kit.Verifier();
        verifier.RegisterArbiterIfNeeded();
        kit.Module.PostPending(flush: true);
        var challengerBefore = kit.Parent.BalanceOf(Challenger.Address);
        verifier.Sync(); // challenges
        var faulty = Assert.Single(kit.Module.Posted, p => !verifier.Verdicts[p.Index].Valid && p.FirstSlot <= 4 && 4 <= p.LastSlot);
        Assert.Equal(!corruptBlock, faulty.Faulty);
        Assert.Contains($"chain {a.ChainId} block {badBlock}: state root", verifier.Verdicts[faulty.Index].Reason);
        verifier.Sync(); // rules: false
        Assert.Equal(BatchStatus.Rejected, kit.Contract.Batch(faulty.Index).Status);
        Assert.True(kit.Parent.BalanceOf(Challenger.Address) > challengerBefore, "the challenger won the bonds");

        // The node sees the verdict, rolls back from the disputed block, and asserts the slots again.
        Assert.True(kit.Module.PostPending(flush: true) > 0);

        var rollback = kit.Module.LastRollback;
        Assert.NotNull(rollback);
        Assert.Same(rollback, kit.Cluster.Status().Rollback);
        Assert.Equal((a.ChainId, badBlock), (rollback.Request.ChainId, rollback.Request.FromBlock));
        Assert.Contains($"settlement batch {faulty.Index} (slots {faulty.FirstSlot}..{faulty.LastSlot}) was proven false", rollback.Request.Reason);
        Assert.Equal(deliveryBlock, rollback.FirstDiscarded(b.ChainId));
        Assert.Null(rollback.FirstDiscarded(c.ChainId));
        Assert.Equal(cBlocks, Enumerable.Range(0, (int)c.Head.Number + 1).Select(n => c.Store.GetBlock((ulong)n)!.Hash));
        Assert.Contains(bTransfer, rollback.Reinserted);
        Assert.Empty(rollback.Dropped);
        Assert.NotEqual(bTransferBlock, b.GetReceipt(bTransfer)!.BlockHash);
        Assert.Equal(UInt256.Zero, a.GetBalance(Minted, BlockSelector.Latest));

        // The verifier goes back to the rejected slots and agrees with the re-executed chains.
        verifier.Sync();
        var reposted = kit.Module.Posted.Where(p => p.Index > faulty.Index && p.FirstSlot == faulty.FirstSlot).ToList();
        Assert.NotEmpty(reposted);
        foreach (var batch in kit.Module.Posted.Where(p => p.Index >= reposted[0].Index))
            Assert.True(verifier.Verdicts[batch.Index].Valid, verifier.Verdicts[batch.Index].Reason);
        var status = verifier.Status();
        foreach (var chain in kit.Cluster.Chains) Assert.Equal(chain.Head.Number, status.ChainHeads[chain.ChainId]);

        // And the cluster goes on: a later slot settles too.
        Transfer(b, 2, 3);
        Assert.Equal(1, kit.Module.PostPending(flush: true));
        verifier.Sync();
        Assert.True(verifier.Verdicts[kit.Module.Posted[^1].Index].Valid);
    }

    [Fact]
    public async Task A_restarted_node_resumes_posting_where_the_contract_stands_without_reposting_or_skipping_a_slot()
    {
        var path = Path.Combine(_directory, "cluster.db");
        var parent = InProcessParentChain.CreateChain([ParentAccount.FromName(SettlementOptions.PosterName).Address], genesisTimestamp: 1_800_000_000);
        Address contract;
        ulong slotsBefore;
        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new SettlementTestKit(parent: parent, database: database, slotsPerBatch: 2);
            for (var i = 0; i < 5; i++) Transfer(kit.Chain(i % 2), 0, 1);
            kit.Module.PostPending();   // two full batches (slots 1..4); slot 5 waits
            contract = kit.Contract.Address;
            slotsBefore = kit.Module.LastSlot;
        }
        Assert.Equal(5UL, NextSlotOn(parent, contract));

        using (var database = ClusterDatabase.Open(path))
        {
            await using var kit = new SettlementTestKit(parent: parent, database: database, slotsPerBatch: 2);
            Assert.Equal(contract, kit.Contract.Address);
            Assert.Equal(slotsBefore, kit.Module.LastSlot);
            Transfer(kit.Chain(0), 0, 1);
            Assert.Equal(1, kit.Module.PostPending());
            var last = kit.Contract.Batch(kit.Contract.BatchCount() - 1);
            Assert.Equal((5UL, 6UL), (last.FirstSlot, last.LastSlot));
            var verifier = kit.Verifier(play: false);
            verifier.Sync();
            Assert.Equal(3, verifier.Verdicts.Count);
            Assert.All(verifier.Verdicts.Values, v => Assert.True(v.Valid, v.Reason));
        }
    }

    private static ulong NextSlotOn(MemberChain parent, Address contract) => new SettlementContract(new InProcessParentChain(parent), contract).NextSlot();
}
