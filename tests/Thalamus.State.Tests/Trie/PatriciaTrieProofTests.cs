using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Xunit;

namespace Thalamus.State.Tests.Trie;

/// <summary>
/// Merkle proofs are checked by an independent walker written here from the Yellow Paper
/// (hash each node, follow the key's nibbles through branches, extensions and leaves), not by the
/// trie's own code, plus a proof built by hand for the "puppy" trie of the ethereum tests.
/// </summary>
public class PatriciaTrieProofTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    // ---- the "puppy" trie of TrieTests/trieanyorder.json, built node by node ----

    private static byte[] Branch(Dictionary<int, byte[]> children, byte[] value)
    {
        var items = new byte[17][];
        for (var i = 0; i < 16; i++) items[i] = children.TryGetValue(i, out var c) ? c : Rlp.EncodeBytes([]);
        items[16] = Rlp.EncodeBytes(value);
        return Rlp.EncodeList(items);
    }

    private static byte[] HashRef(byte[] node) => Rlp.EncodeBytes(Keccak256.Compute(node).Bytes);

    private static (byte[] Root, byte[] B1, byte[] ExtDo, byte[] B2) PuppyNodes()
    {
        // Keys in nibbles: do 6 4 6 f, dog +6 7, doge +6 5, horse 6 8 6 f 7 2 7 3 6 5.
        var leafCoin = Rlp.EncodeList(Rlp.EncodeBytes([0x35]), Rlp.EncodeBytes(B("coin")));
        var b3 = Branch(new() { [6] = leafCoin }, B("puppy"));
        var extDog = Rlp.EncodeList(Rlp.EncodeBytes([0x17]), b3);
        var b2 = Branch(new() { [6] = extDog }, B("verb"));
        var extDo = Rlp.EncodeList(Rlp.EncodeBytes([0x00, 0x6f]), HashRef(b2));
        var leafHorse = Rlp.EncodeList(Rlp.EncodeBytes([0x20, 0x6f, 0x72, 0x73, 0x65]), Rlp.EncodeBytes(B("stallion")));
        var b1 = Branch(new() { [4] = HashRef(extDo), [8] = leafHorse }, []);
        var root = Rlp.EncodeList(Rlp.EncodeBytes([0x16]), HashRef(b1));
        // The shape this relies on: the lower nodes are embedded, these four are referenced by hash.
        Assert.True(leafCoin.Length < 32 && b3.Length < 32 && extDog.Length < 32 && leafHorse.Length < 32);
        Assert.True(b2.Length >= 32 && extDo.Length >= 32 && b1.Length >= 32 && root.Length >= 32);
        return (root, b1, extDo, b2);
    }

    private static PatriciaTrie Puppy()
    {
        var trie = new PatriciaTrie();
        trie.Set(B("do"), B("verb"));
        trie.Set(B("horse"), B("stallion"));
        trie.Set(B("doge"), B("coin"));
        trie.Set(B("dog"), B("puppy"));
        return trie;
    }

    [Fact]
    public void Proof_of_the_puppy_trie_matches_the_hand_built_nodes()
    {
        var (root, b1, extDo, b2) = PuppyNodes();
        var expectedRoot = Hash256.Parse("0x5991bb8c6514148a29db676a14ac506cd2cd5775ace63c30a4fe457715e9ac84");
        Assert.Equal(expectedRoot, Keccak256.Compute(root));

        var trie = Puppy();
        Assert.Equal(expectedRoot, trie.RootHash);
        // "dog", "doge" (embedded below B2) and absent "doga" end in B2; "do" is B2's own value.
        foreach (var key in new[] { "dog", "doge", "doga", "do" })
            Assert.Equal([root, b1, extDo, b2], trie.GetProof(B(key)));
        // "cat" (6 3 ...) stops at B1's empty child 3; "horse" is embedded in B1.
        Assert.Equal([root, b1], trie.GetProof(B("cat")));
        Assert.Equal([root, b1], trie.GetProof(B("horse")));
        // "zebra" (7 a ...) leaves the root extension at once.
        Assert.Equal([root], trie.GetProof(B("zebra")));

        Assert.Equal(B("puppy"), TrieProofWalker.Walk(expectedRoot, B("dog"), trie.GetProof(B("dog"))));
        Assert.Equal(B("coin"), TrieProofWalker.Walk(expectedRoot, B("doge"), trie.GetProof(B("doge"))));
        Assert.Equal(B("verb"), TrieProofWalker.Walk(expectedRoot, B("do"), trie.GetProof(B("do"))));
        Assert.Equal(B("stallion"), TrieProofWalker.Walk(expectedRoot, B("horse"), trie.GetProof(B("horse"))));
        Assert.Null(TrieProofWalker.Walk(expectedRoot, B("doga"), trie.GetProof(B("doga"))));
        Assert.Null(TrieProofWalker.Walk(expectedRoot, B("cat"), trie.GetProof(B("cat"))));
        Assert.Null(TrieProofWalker.Walk(expectedRoot, B("zebra"), trie.GetProof(B("zebra"))));
        Assert.Null(TrieProofWalker.Walk(expectedRoot, B("dogs"), trie.GetProof(B("dogs"))));
    }

    [Fact]
    public void Proofs_from_a_reopened_trie_equal_those_of_the_live_trie()
    {
        var store = new MemoryKeyValueStore();
        var live = new PatriciaTrie(store);
        for (var i = 0; i < 300; i++) live.Set(Keccak256.Compute(BitConverter.GetBytes(i)).Bytes, B("value " + i));
        var root = live.Commit();
        var reopened = new PatriciaTrie(store, root);
        for (var i = 0; i < 320; i++)
        {
            var key = Keccak256.Compute(BitConverter.GetBytes(i)).Bytes;
            var proof = reopened.GetProof(key);
            Assert.Equal(live.GetProof(key), proof);
            var value = TrieProofWalker.Walk(root, key, proof);
            if (i < 300) Assert.Equal(B("value " + i), value);
            else Assert.Null(value);
        }
    }

    [Fact]
    public void Proof_follows_changes_made_after_a_commit()
    {
        var store = new MemoryKeyValueStore();
        var trie = new PatriciaTrie(store);
        trie.Set(B("alpha"), B("1"));
        trie.Set(B("alpine"), B("2"));
        trie.Commit();
        trie.Set(B("alps"), B("3"));
        trie.Delete(B("alpha"));
        var root = trie.RootHash;
        Assert.Equal(B("3"), TrieProofWalker.Walk(root, B("alps"), trie.GetProof(B("alps"))));
        Assert.Equal(B("2"), TrieProofWalker.Walk(root, B("alpine"), trie.GetProof(B("alpine"))));
        Assert.Null(TrieProofWalker.Walk(root, B("alpha"), trie.GetProof(B("alpha"))));
    }

    [Fact]
    public void Empty_trie_has_an_empty_proof_and_a_one_key_trie_a_single_node()
    {
        var trie = new PatriciaTrie();
        Assert.Empty(trie.GetProof(B("x")));
        Assert.Null(TrieProofWalker.Walk(trie.RootHash, B("x"), trie.GetProof(B("x"))));

        // A root under 32 bytes is still given (it is the root, not embedded anywhere).
        trie.Set(B("k"), B("v"));
        var proof = trie.GetProof(B("k"));
        Assert.Single(proof);
        Assert.True(proof[0].Length < 32);
        Assert.Equal(B("v"), TrieProofWalker.Walk(trie.RootHash, B("k"), proof));
        Assert.Null(TrieProofWalker.Walk(trie.RootHash, B("j"), trie.GetProof(B("j"))));
    }

    [Fact]
    public void Walker_rejects_tampered_and_truncated_proofs()
    {
        var trie = Puppy();
        var root = trie.RootHash;
        var proof = trie.GetProof(B("dog"));
        for (var n = 0; n < proof.Count; n++)
        {
            var tampered = proof.Select(p => p.ToArray()).ToList();
            tampered[n][^1] ^= 0x01;
            Assert.ThrowsAny<Exception>(() => TrieProofWalker.Walk(root, B("dog"), tampered));
        }
        Assert.ThrowsAny<Exception>(() => TrieProofWalker.Walk(root, B("dog"), proof.Take(proof.Count - 1).ToList()));
        // A valid proof of another key (here one that stops higher up) is not a proof of this one.
        Assert.ThrowsAny<Exception>(() => TrieProofWalker.Walk(root, B("dog"), trie.GetProof(B("cat"))));
    }

    private static readonly Arbitrary<byte[][]> KeySets =
        Gen.Choose(0, 40).SelectMany(n => Gen.ArrayOf(
            Gen.Choose(0, 5).SelectMany(len => Gen.ArrayOf(Gen.Elements<byte>(0x00, 0x01, 0x10, 0x1f, 0xf1, 0xff), len)), n)).ToArbitrary();

    [Fact]
    public void Every_key_is_proven_present_with_its_value_and_every_other_key_absent()
    {
        Prop.ForAll(KeySets, keys =>
        {
            var store = new MemoryKeyValueStore();
            var trie = new PatriciaTrie(store);
            var map = new Dictionary<string, byte[]>();
            for (var i = 0; i < keys.Length; i++)
            {
                // Values of 1 to 40 bytes: both embedded and hashed nodes occur.
                var value = Enumerable.Repeat((byte)(i + 1), 1 + i % 40).ToArray();
                trie.Set(keys[i], value);
                map[Convert.ToHexString(keys[i])] = value;
            }
            var root = trie.Commit();
            var reopened = new PatriciaTrie(store, root);
            foreach (var probe in keys.Concat([[], [0x00], [0x10, 0x10], [0xff, 0x00, 0x01], [0x01, 0x01, 0x01, 0x01, 0x01, 0x01]]))
            {
                var expected = map.GetValueOrDefault(Convert.ToHexString(probe));
                Assert.Equal(expected, TrieProofWalker.Walk(root, probe, trie.GetProof(probe)));
                Assert.Equal(expected, TrieProofWalker.Walk(root, probe, reopened.GetProof(probe)));
            }
        }).QuickCheckThrowOnFailure();
    }
}
