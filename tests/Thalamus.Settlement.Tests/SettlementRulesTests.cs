using Thalamus.Core;
using static Thalamus.Settlement.Tests.SettlementTestKit;

namespace Thalamus.Settlement.Tests;

/// <summary>The contract refuses bad moves with reasons; the verifier survives data it cannot decode.</summary>
public sealed class SettlementRulesTests
{
    private static readonly ParentAccount Poster = ParentAccount.FromName(SettlementOptions.PosterName);
    private static readonly Hash256 SomeLeaf = new BlockLeaf(1, 901, 1, Keccak256.Compute([1]), Keccak256.Compute([2])).Hash;

    private static string Revert(Action move) => Assert.Throws<ParentChainException>(move).RevertReason ?? "(no reason)";

    [Fact]
    public async Task A_batch_out_of_order_with_the_wrong_bond_or_from_another_account_is_refused_with_the_reason()
    {
        await using var kit = new SettlementTestKit();
        var bond = kit.Contract.AssertionBond();

        Assert.Equal("Settlement: batch out of order: first slot 7, expected 1",
            Revert(() => kit.Contract.AssertBatch(Poster, 7, 8, [SomeLeaf], Hash256.Zero, [1], bond)));
        Assert.Equal($"Settlement: wrong bond, expected {bond}",
            Revert(() => kit.Contract.AssertBatch(Poster, 1, 1, [SomeLeaf], Hash256.Zero, [1], UInt256.One)));
        Assert.Equal("Settlement: only the poster asserts",
            Revert(() => kit.Contract.AssertBatch(Challenger, 1, 1, [SomeLeaf], Hash256.Zero, [1], bond)));
        Assert.Equal("Settlement: a batch commits at least one block",
            Revert(() => kit.Contract.AssertBatch(Poster, 1, 1, [], Hash256.Zero, [1], bond)));
        Assert.Equal(0UL, kit.Contract.BatchCount());
    }

    [Fact]
    public async Task A_challenge_after_the_window_a_wrong_leaf_and_a_ruling_by_a_non_arbiter_are_refused_with_the_reason()
    {
        await using var kit = new SettlementTestKit(slotsPerBatch: 1);
        Transfer(kit.Chain(0), 0, 1);
        kit.Module.PostPending();
        var block = kit.Chain(0).Head;
        var leaf = BlockLeaf.Of(1, kit.Chain(0).ChainId, block);
        var bond = kit.Contract.ChallengeBond();

        Assert.Equal("Settlement: the disputed block is not in the batch",
            Revert(() => kit.Contract.Challenge(Challenger, 0, leaf with { StateRoot = Hash256.Zero }, 0, [], bond)));
        Assert.Equal($"Settlement: wrong challenge bond, expected {bond}", Revert(() => kit.Contract.Challenge(Challenger, 0, leaf, 0, [], UInt256.One)));
        Assert.Equal("Settlement: not an arbiter", Revert(() => kit.Contract.Rule(Challenger, 0, false)));
        Assert.Equal("Settlement: the challenge window of batch 0 is still open", Revert(() => kit.Contract.Finalize(Poster, 0)));

        kit.AdvanceParent(TimeSpan.FromSeconds(kit.Contract.ChallengeWindow()));
        Assert.Equal("Settlement: the challenge window of batch 0 has closed", Revert(() => kit.Contract.Challenge(Challenger, 0, leaf, 0, [], bond)));
    }

    [Fact]
    public async Task An_arbitration_that_times_out_returns_the_challengers_bond_and_the_batch_is_pending_again()
    {
        await using var kit = new SettlementTestKit(faultSlot: 1, slotsPerBatch: 1);
        Transfer(kit.Chain(0), 0, 1);
        kit.Module.PostPending();
        var challengerOnly = new SettlementVerifier(new SettlementContract(kit.Parent, kit.Contract.Address), Rules, Challenger);
        challengerOnly.Sync();
        Assert.Equal(BatchStatus.Challenged, kit.Contract.Batch(0).Status);
        Assert.Equal("Settlement: arbitration still running", Revert(() => kit.Contract.TimeoutDispute(Challenger, 0)));

        kit.AdvanceParent(TimeSpan.FromSeconds(new SettlementTerms().ArbitrationTimeoutSeconds));
        var before = kit.Parent.BalanceOf(Challenger.Address);
        kit.Contract.TimeoutDispute(Poster, 0);

        Assert.Equal(BatchStatus.Pending, kit.Contract.Batch(0).Status);
        Assert.Equal(before + kit.Contract.ChallengeBond(), kit.Parent.BalanceOf(Challenger.Address));
    }

    [Fact]
    public async Task The_verifier_rejects_batch_data_it_cannot_decode_with_a_clear_reason_and_keeps_its_place()
    {
        await using var kit = new SettlementTestKit();
        kit.Contract.AssertBatch(Poster, 1, 1, [SomeLeaf], Hash256.Zero, [0xde, 0xad, 0xbe, 0xef], kit.Contract.AssertionBond());
        var verifier = kit.Verifier(play: false);

        Assert.Equal(1, verifier.Sync());

        var verdict = verifier.Verdicts[0];
        Assert.False(verdict.Valid);
        Assert.Contains("not Brotli-compressed", verdict.Reason);
        Assert.Equal(1UL, verifier.Status().NextSlot);
        Assert.Equal(0, verifier.Sync());
    }

    [Fact]
    public void Every_leaf_of_trees_of_one_to_nine_leaves_has_a_proof_that_verifies_and_a_changed_leaf_does_not()
    {
        for (var n = 1; n <= 9; n++)
        {
            var leaves = Enumerable.Range(0, n).Select(i => Keccak256.Compute([(byte)i, (byte)n])).ToList();
            var root = SettlementMerkle.Root(leaves);
            for (var i = 0; i < n; i++)
            {
                Assert.True(SettlementMerkle.Verify(SettlementMerkle.Proof(leaves, i), root, leaves[i]), $"leaf {i} of {n}");
                Assert.False(SettlementMerkle.Verify(SettlementMerkle.Proof(leaves, i), root, Keccak256.Compute([0xff, (byte)i])), $"a changed leaf {i} of {n}");
            }
        }
    }

    [Fact]
    public void Batch_data_round_trips_and_truncated_data_is_refused_with_the_reason()
    {
        var genesis = GenesisCodec.Encode([new ChainSpec(new Chain.ChainProfile { ChainId = 7 }, new Chain.GenesisConfig { ChainId = 7 })]);
        var block = new Chain.Block(new Chain.BlockHeader { Number = 1 }, [], null, [0xc0]);
        var data = BatchCodec.Encode(3, 4, genesis, [new BatchBlock(3, 7, block)]);

        var (first, last, decodedGenesis, blocks, _, _) = BatchCodec.Decode(data);

        Assert.Equal((3UL, 4UL), (first, last));
        Assert.Equal(genesis, decodedGenesis);
        Assert.Equal(block.Hash, Assert.Single(blocks).Block.Hash);
        Assert.Equal([0xc0], blocks[0].Block.ClusterSection);
        Assert.Equal(7UL, Assert.Single(GenesisCodec.Decode(decodedGenesis)).Profile.ChainId);
        Assert.Throws<SettlementDataException>(() => BatchCodec.Decode(data.AsSpan(0, data.Length / 2)));
    }
}
