using Thalamus.Core;
using Thalamus.State.Tests.Trie;
using Xunit;

namespace Thalamus.State.Tests;

/// <summary>EIP-1186 proofs of a committed world state, checked with the independent walker.</summary>
public class AccountProofTests
{
    private static readonly Address Rich = Address.Parse("0x1000000000000000000000000000000000000001");
    private static readonly Address Contract = Address.Parse("0x2000000000000000000000000000000000000002");
    private static readonly Address Nobody = Address.Parse("0x3000000000000000000000000000000000000003");

    private static (MemoryKeyValueStore Store, Hash256 Root) BuildState()
    {
        var store = new MemoryKeyValueStore();
        var state = new WorldState(store);
        state.SetBalance(Rich, new UInt256(5_000_000_000_000_000_000UL));
        state.SetNonce(Rich, 7);
        state.SetCode(Contract, [0x60, 0x00, 0x54, 0x00]);
        for (ulong slot = 0; slot < 40; slot++) state.SetStorage(Contract, slot, new UInt256(slot * 1000 + 1));
        // Filler accounts, so the state trie has several levels.
        for (var i = 0; i < 200; i++)
        {
            var bytes = new byte[20];
            BitConverter.GetBytes(i + 1).CopyTo(bytes, 0);
            bytes[19] = 0xee;
            state.SetBalance(new Address(bytes), (ulong)(i + 1));
        }
        return (store, state.Commit());
    }

    private static byte[] AccountRlp(ulong nonce, UInt256 balance, Hash256 storageRoot, Hash256 codeHash) =>
        Rlp.EncodeList(Rlp.EncodeUInt64(nonce), Rlp.EncodeUInt256(balance), Rlp.EncodeHash256(storageRoot), Rlp.EncodeHash256(codeHash));

    [Fact]
    public void Existing_account_and_its_slots_are_proven_against_the_state_root()
    {
        var (store, root) = BuildState();
        UInt256[] slots = [UInt256.Zero, new UInt256(39), new UInt256(40), UInt256.MaxValue];
        var proof = AccountProof.Build(store, root, Contract, slots);

        Assert.True(proof.Exists);
        Assert.Equal(Keccak256.Compute([0x60, 0x00, 0x54, 0x00]), proof.CodeHash);
        Assert.NotEqual(Keccak256.OfEmptyList, proof.StorageHash);
        Assert.True(proof.Proof.Count >= 2);
        var leafValue = TrieProofWalker.Walk(root, Keccak256.Compute(Contract.Bytes).Bytes, proof.Proof);
        Assert.Equal(AccountRlp(proof.Nonce, proof.Balance, proof.StorageHash, proof.CodeHash), leafValue);

        Assert.Equal(slots, proof.StorageProofs.Select(s => s.Key));
        UInt256[] expected = [new UInt256(1), new UInt256(39_001), UInt256.Zero, UInt256.Zero];
        for (var i = 0; i < slots.Length; i++)
        {
            var storage = proof.StorageProofs[i];
            Assert.Equal(expected[i], storage.Value);
            var value = TrieProofWalker.Walk(proof.StorageHash, Keccak256.Compute(slots[i].ToBigEndian()).Bytes, storage.Proof);
            if (expected[i].IsZero) Assert.Null(value);
            else Assert.Equal(Rlp.EncodeUInt256(expected[i]), value);
        }
    }

    [Fact]
    public void Account_without_storage_has_empty_storage_proofs()
    {
        var (store, root) = BuildState();
        var proof = AccountProof.Build(store, root, Rich, [UInt256.One]);
        Assert.True(proof.Exists);
        Assert.Equal(7UL, proof.Nonce);
        Assert.Equal(new UInt256(5_000_000_000_000_000_000UL), proof.Balance);
        Assert.Equal(Keccak256.OfEmpty, proof.CodeHash);
        Assert.Equal(Keccak256.OfEmptyList, proof.StorageHash);
        Assert.Equal(AccountRlp(7, proof.Balance, Keccak256.OfEmptyList, Keccak256.OfEmpty),
            TrieProofWalker.Walk(root, Keccak256.Compute(Rich.Bytes).Bytes, proof.Proof));
        var storage = Assert.Single(proof.StorageProofs);
        Assert.Equal(UInt256.Zero, storage.Value);
        Assert.Empty(storage.Proof);
    }

    [Fact]
    public void Missing_account_is_proven_absent_with_zero_hashes()
    {
        var (store, root) = BuildState();
        var proof = AccountProof.Build(store, root, Nobody, [UInt256.Zero]);
        Assert.False(proof.Exists);
        Assert.Equal(Hash256.Zero, proof.CodeHash);
        Assert.Equal(Hash256.Zero, proof.StorageHash);
        Assert.Equal(UInt256.Zero, proof.Balance);
        Assert.Equal(0UL, proof.Nonce);
        Assert.NotEmpty(proof.Proof);
        Assert.Null(TrieProofWalker.Walk(root, Keccak256.Compute(Nobody.Bytes).Bytes, proof.Proof));
        Assert.Empty(Assert.Single(proof.StorageProofs).Proof);
    }

    [Fact]
    public void Proofs_at_an_older_root_show_the_older_values()
    {
        var store = new MemoryKeyValueStore();
        var state = new WorldState(store);
        state.SetStorage(Contract, UInt256.Zero, 1);
        state.SetBalance(Rich, 10);
        var before = state.Commit();
        state.SetStorage(Contract, UInt256.Zero, 2);
        state.SetBalance(Rich, 20);
        var after = state.Commit();

        var old = AccountProof.Build(store, before, Contract, [UInt256.Zero]);
        var now = AccountProof.Build(store, after, Contract, [UInt256.Zero]);
        Assert.Equal((UInt256)1UL, old.StorageProofs[0].Value);
        Assert.Equal((UInt256)2UL, now.StorageProofs[0].Value);
        Assert.Equal(Rlp.EncodeUInt256(1), TrieProofWalker.Walk(old.StorageHash, Keccak256.Compute(new byte[32]).Bytes, old.StorageProofs[0].Proof));
        Assert.Equal((UInt256)10UL, AccountProof.Build(store, before, Rich, []).Balance);
        Assert.Equal((UInt256)20UL, AccountProof.Build(store, after, Rich, []).Balance);
    }

    [Fact]
    public void Proof_of_an_empty_state_is_empty()
    {
        var proof = AccountProof.Build(new MemoryKeyValueStore(), Keccak256.OfEmptyList, Rich, []);
        Assert.False(proof.Exists);
        Assert.Empty(proof.Proof);
    }
}
