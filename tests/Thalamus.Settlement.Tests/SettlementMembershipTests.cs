using Thalamus.Cluster;
using static Thalamus.Settlement.Tests.SettlementTestKit;

namespace Thalamus.Settlement.Tests;

/// <summary>Chains added and removed between slots: batches say which chains they cover, a new chain's genesis comes in the batch it joins in.</summary>
public sealed class SettlementMembershipTests
{
    [Fact]
    public async Task A_chain_added_joins_with_its_genesis_a_chain_removed_is_dropped_and_the_verifier_follows_both()
    {
        await using var kit = new SettlementTestKit(chains: 2, slotsPerBatch: 2);
        var (a, b) = (kit.Chain(0), kit.Chain(1));
        Transfer(a, 0, 1);                                                       // slot 1
        Transfer(b, 0, 1);                                                       // slot 2
        var c = kit.Cluster.AddChain(new ClusterChainOptions { ChainId = 903 });
        Transfer(c, 0, 1);                                                       // slot 3: 903 joins
        Transfer(a, 0, 1);                                                       // slot 4
        Transfer(b, 0, 1);                                                       // slot 5
        kit.Cluster.RemoveChain(b.ChainId);
        Transfer(a, 0, 1);                                                       // slot 6: 902 gone
        Transfer(c, 0, 1);                                                       // slot 7
        kit.Module.PostPending(flush: true);

        var batches = kit.Contract.AssertedBatches(0, kit.Parent.BlockNumber()).ToDictionary(x => x.FirstSlot, x => BatchCodec.Decode(x.Data));
        Assert.Equal([1UL, 3, 5, 7], batches.Keys.Order().ToArray());
        Assert.Equal([a.ChainId, b.ChainId], batches[1].Chains);
        Assert.Empty(batches[1].Joined);
        Assert.Equal([a.ChainId, b.ChainId, c.ChainId], batches[3].Chains);
        Assert.Equal(c.ChainId, Assert.Single(GenesisCodec.Decode(batches[3].Joined)).Profile.ChainId);
        Assert.Equal([a.ChainId, c.ChainId], batches[5].Chains);                // 902 was removed after slot 5
        Assert.Empty(batches[5].Joined);
        Assert.Equal([a.ChainId, c.ChainId], batches[7].Chains);

        var verifier = kit.Verifier(play: false);
        Assert.Equal(4, verifier.Sync());
        Assert.All(verifier.Verdicts.Values, v => Assert.True(v.Valid, v.Reason));
        var heads = verifier.Status().ChainHeads;
        Assert.Equal([a.ChainId, c.ChainId], heads.Keys.Order().ToArray());
        Assert.Equal(a.Head.Number, heads[a.ChainId]);
        Assert.Equal(c.Head.Number, heads[c.ChainId]);
    }

    [Fact]
    public async Task A_batch_in_which_a_member_chain_joins_again_is_false_with_the_reason()
    {
        await using var kit = new SettlementTestKit(chains: 2, slotsPerBatch: 1);
        Transfer(kit.Chain(0), 0, 1);
        kit.Module.PostPending(flush: true);
        var verifier = kit.Verifier(play: false);
        verifier.Sync();
        var first = kit.Contract.AssertedBatches(0, kit.Parent.BlockNumber()).Single();
        var decoded = BatchCodec.Decode(first.Data);
        var genesis = GenesisCodec.Decode(decoded.Genesis);

        // Forged batches at slot 2 (the poster's key is public, like every system account's): a chain joining twice, a chain never joined.
        Transfer(kit.Chain(1), 0, 1);
        var block = kit.Chain(1).Store.GetBlock(kit.Chain(1).Head.Number)!;
        var leaf = BlockLeaf.Of(2, kit.Chain(1).ChainId, block.Header).Hash;
        var twice = BatchCodec.Encode(2, 2, [], [new BatchBlock(2, kit.Chain(1).ChainId, block)], [901, 902], GenesisCodec.Encode([genesis[0]]));
        kit.Contract.AssertBatch(ParentAccount.FromName(SettlementOptions.PosterName), 2, 2, [leaf], SettlementMerkle.Root([]), twice, kit.Contract.AssertionBond());
        verifier.Sync();
        var verdict = verifier.Verdicts.Values.Last();
        Assert.False(verdict.Valid);
        Assert.Equal("chain 901 joins in this batch but is a member already", verdict.Reason);
    }
}
