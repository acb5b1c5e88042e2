using Thalamus.Core;
using Thalamus.State;
using Thalamus.State.Tests.Trie;
using Xunit;
using static Thalamus.Chain.Tests.Node.ChainTestKit;

namespace Thalamus.Chain.Tests.Node;

/// <summary>eth_getProof on a member chain: proofs of any stored block's state, checked by walking them.</summary>
public class MemberChainProofTests
{
    private static readonly TestAccount Alice = TestAccount.Alice;
    private static readonly TestAccount Carol = TestAccount.Carol;

    private static void AssertProves(Hash256 root, AccountProof proof, MemberChain chain, BlockSelector block)
    {
        var account = TrieProofWalker.Walk(root, Keccak256.Compute(proof.Address.Bytes).Bytes, proof.Proof);
        if (!proof.Exists)
        {
            Assert.Null(account);
            return;
        }
        var expected = Rlp.EncodeList(Rlp.EncodeUInt64(proof.Nonce), Rlp.EncodeUInt256(proof.Balance),
            Rlp.EncodeHash256(proof.StorageHash), Rlp.EncodeHash256(proof.CodeHash));
        Assert.Equal(expected, account);
        Assert.Equal(chain.GetBalance(proof.Address, block), proof.Balance);
        Assert.Equal(chain.GetTransactionCount(proof.Address, block), proof.Nonce);
        var code = chain.GetCode(proof.Address, block);
        Assert.Equal(code.Length == 0 ? Keccak256.OfEmpty : Keccak256.Compute(code), proof.CodeHash);
        foreach (var storage in proof.StorageProofs)
        {
            Assert.Equal(chain.GetStorageAt(proof.Address, storage.Key, block), storage.Value);
            var value = TrieProofWalker.Walk(proof.StorageHash, Keccak256.Compute(storage.Key.ToBigEndian()).Bytes, storage.Proof);
            Assert.Equal(storage.Value.IsZero ? null : Rlp.EncodeUInt256(storage.Value), value);
        }
    }

    [Fact]
    public void Proofs_of_each_block_verify_against_that_blocks_state_root()
    {
        var chain = NewChain(out _);
        var deploy = chain.SendTransaction(Alice.Transfer(0, null, 0, gas: 200_000, data: Deployer(StorageRuntime())));
        var contract = chain.GetReceipt(deploy)!.ContractAddress!.Value;
        var deployedAt = chain.Head.Number;
        chain.SendTransaction(Alice.Transfer(1, contract, 0, gas: 100_000, data: StoreCall(42)));
        chain.SendTransaction(Alice.Transfer(2, Carol.Address, Ether(3)));
        var head = chain.Head.Number;

        for (var n = deployedAt; n <= head; n++)
        {
            var block = BlockSelector.FromNumber(n);
            var root = chain.ResolveHeader(block)!.StateRoot;
            var contractProof = chain.GetProof(contract, [UInt256.Zero, UInt256.One], block);
            Assert.True(contractProof.Exists);
            AssertProves(root, contractProof, chain, block);
            AssertProves(root, chain.GetProof(Alice.Address, [], block), chain, block);
            AssertProves(root, chain.GetProof(Carol.Address, [UInt256.Zero], block), chain, block);
        }

        var latest = chain.GetProof(contract, [UInt256.Zero], BlockSelector.Latest);
        Assert.Equal((UInt256)42UL, latest.StorageProofs[0].Value);
        Assert.Equal(UInt256.Zero, chain.GetProof(contract, [UInt256.Zero], BlockSelector.FromNumber(deployedAt)).StorageProofs[0].Value);
        var carol = chain.GetProof(Carol.Address, [], BlockSelector.Latest);
        Assert.True(carol.Exists);
        Assert.Equal(Ether(3), carol.Balance);

        // Carol did not exist before the transfer: the proof shows her absence, with geth's zero hashes.
        var before = chain.GetProof(Carol.Address, [UInt256.Zero], BlockSelector.FromNumber(head - 1));
        Assert.False(before.Exists);
        Assert.Equal(Hash256.Zero, before.CodeHash);
        Assert.Equal(Hash256.Zero, before.StorageHash);
        Assert.Empty(before.StorageProofs[0].Proof);
    }

    [Fact]
    public void Proof_at_the_head_includes_pending_dev_edits()
    {
        var chain = NewChain(out _);
        var headRoot = chain.Head.StateRoot;
        chain.SetBalance(Carol.Address, Ether(9));
        chain.SetStorageAt(Alice.Address, new UInt256(5), new UInt256(77));

        var carol = chain.GetProof(Carol.Address, [], BlockSelector.Latest);
        Assert.Equal(Ether(9), carol.Balance);
        var editedRoot = Keccak256.Compute(carol.Proof[0]);
        Assert.NotEqual(headRoot, editedRoot);
        AssertProves(editedRoot, carol, chain, BlockSelector.Latest);
        var alice = chain.GetProof(Alice.Address, [new UInt256(5)], BlockSelector.Latest);
        Assert.Equal(new UInt256(77), alice.StorageProofs[0].Value);
        AssertProves(editedRoot, alice, chain, BlockSelector.Latest);

        // Sealing makes the edits part of a header; the proofs keep agreeing with the state.
        chain.Mine(1, null);
        var sealedProof = chain.GetProof(Carol.Address, [], BlockSelector.Latest);
        AssertProves(chain.Head.StateRoot, sealedProof, chain, BlockSelector.Latest);
        Assert.Equal(Ether(9), sealedProof.Balance);
    }

    [Fact]
    public void Proof_of_an_unknown_block_is_an_error()
    {
        var chain = NewChain(out _);
        var error = Assert.Throws<ChainException>(() => chain.GetProof(Alice.Address, [], BlockSelector.FromNumber(99)));
        Assert.Contains("header not found", error.Message);
    }
}
