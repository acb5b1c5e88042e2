using System.Text;
using Thalamus.Core;
using Xunit;

namespace Thalamus.State.Tests.Trie;

public class PatriciaTrieTests
{
    private static byte[] B(string s) => Encoding.ASCII.GetBytes(s);

    [Fact]
    public void Empty_trie_has_the_empty_root()
    {
        var trie = new PatriciaTrie();
        Assert.Equal(Keccak256.OfEmptyList, trie.RootHash);
        Assert.Null(trie.Get(B("anything")));
        Assert.True(trie.IsEmpty);
    }

    [Fact]
    public void Roots_match_ethereum_tests_vectors()
    {
        // TrieTests/trieanyorder.json "dogs" and "puppy".
        var dogs = new PatriciaTrie();
        dogs.Set(B("doe"), B("reindeer"));
        dogs.Set(B("dog"), B("puppy"));
        dogs.Set(B("dogglesworth"), B("cat"));
        Assert.Equal(Hash256.Parse("0x8aad789dff2f538bca5d8ea56e8abe10f4c7ba3a5dea95fea4cd6e7c3a1168d3"), dogs.RootHash);

        var puppy = new PatriciaTrie();
        foreach (var (k, v) in new[] { ("do", "verb"), ("horse", "stallion"), ("doge", "coin"), ("dog", "puppy") })
            puppy.Set(B(k), B(v));
        Assert.Equal(Hash256.Parse("0x5991bb8c6514148a29db676a14ac506cd2cd5775ace63c30a4fe457715e9ac84"), puppy.RootHash);
    }

    [Fact]
    public void Single_leaf_root_is_the_hash_of_the_leaf_even_when_short()
    {
        var trie = new PatriciaTrie();
        trie.Set([0x01], [0x02]);
        // leaf [hp(0,1 leaf) = 0x20 0x01, 0x02] = c4 82 2001 02
        Assert.Equal(Keccak256.Compute(Hex.Decode("0xc482200102")), trie.RootHash);
    }

    [Fact]
    public void Children_under_32_bytes_are_inlined_in_the_branch()
    {
        var trie = new PatriciaTrie();
        trie.Set([0x10], [0x01]);
        trie.Set([0x20], [0x01]);
        // Each leaf is [hp(0 odd leaf) = 0x30, 0x01] = c2 30 01 (3 bytes), embedded verbatim in the branch.
        var branch = "0xd5" + "80" + "c23001" + "c23001" + string.Concat(Enumerable.Repeat("80", 13)) + "80";
        Assert.Equal(Keccak256.Compute(Hex.Decode(branch)), trie.RootHash);
    }

    [Fact]
    public void Children_of_32_bytes_or_more_are_referenced_by_hash()
    {
        var value = new byte[40];
        var trie = new PatriciaTrie();
        trie.Set([0x10], value);
        trie.Set([0x20], value);
        // leaf [0x30, 40 zero bytes] = ea 30 a8 00…: 43 bytes, so the branch holds keccak(leaf).
        var leaf = Hex.Decode("0xea30a8" + new string('0', 80));
        var leafHash = Keccak256.Compute(leaf).ToString()[2..];
        var branch = "0xf851" + "80" + "a0" + leafHash + "a0" + leafHash + string.Concat(Enumerable.Repeat("80", 13)) + "80";
        Assert.Equal(Keccak256.Compute(Hex.Decode(branch)), trie.RootHash);
    }

    [Fact]
    public void Get_Set_update_and_delete()
    {
        var trie = new PatriciaTrie();
        trie.Set(B("dog"), B("puppy"));
        trie.Set(B("doge"), B("coin"));
        trie.Set(B("do"), B("verb"));
        Assert.Equal(B("puppy"), trie.Get(B("dog")));
        Assert.Equal(B("verb"), trie.Get(B("do")));
        Assert.Null(trie.Get(B("d")));
        Assert.Null(trie.Get(B("dogs")));

        trie.Set(B("dog"), B("hound"));
        Assert.Equal(B("hound"), trie.Get(B("dog")));

        trie.Delete(B("doge"));
        Assert.Null(trie.Get(B("doge")));
        Assert.Equal(B("hound"), trie.Get(B("dog")));

        trie.Set(B("do"), []);
        Assert.Null(trie.Get(B("do")));
        trie.Delete(B("dog"));
        Assert.Equal(Keccak256.OfEmptyList, trie.RootHash);
        Assert.True(trie.IsEmpty);
    }

    [Fact]
    public void Deleting_an_absent_key_changes_nothing()
    {
        var trie = new PatriciaTrie();
        trie.Set(B("abc"), B("1"));
        var root = trie.RootHash;
        trie.Delete(B("abd"));
        trie.Delete(B("ab"));
        trie.Delete(B("abcd"));
        Assert.Equal(root, trie.RootHash);
    }

    [Fact]
    public void Get_returns_a_copy()
    {
        var trie = new PatriciaTrie();
        trie.Set(B("k"), B("value"));
        var read = trie.Get(B("k"))!;
        read[0] = (byte)'X';
        Assert.Equal(B("value"), trie.Get(B("k")));
    }

    [Fact]
    public void Commit_then_reopen_reads_everything_and_continues_identically()
    {
        var store = new MemoryKeyValueStore();
        var trie = new PatriciaTrie(store);
        var reference = new PatriciaTrie();
        var random = new Random(42);
        for (var i = 0; i < 300; i++)
        {
            var key = new byte[32];
            random.NextBytes(key);
            var value = new byte[random.Next(1, 80)];
            random.NextBytes(value);
            trie.Set(key, value);
            reference.Set(key, value);
        }
        var root = trie.Commit();
        Assert.Equal(reference.RootHash, root);

        var reopened = new PatriciaTrie(store, root);
        Assert.Equal(root, reopened.RootHash);
        foreach (var (key, value) in reference.Enumerate()) Assert.Equal(value, reopened.Get(key));

        // Keep changing both; the reopened trie loads nodes lazily as it goes.
        foreach (var (key, _) in reference.Enumerate().Take(100))
        {
            reopened.Delete(key);
            reference.Delete(key);
        }
        reopened.Set(B("new"), B("value"));
        reference.Set(B("new"), B("value"));
        Assert.Equal(reference.RootHash, reopened.RootHash);

        var root2 = reopened.Commit();
        var again = new PatriciaTrie(store, root2);
        Assert.Equal(reference.Enumerate().Select(p => Hex.Encode(p.Key) + Hex.Encode(p.Value)), again.Enumerate().Select(p => Hex.Encode(p.Key) + Hex.Encode(p.Value)));
        // The old root is still readable: nodes are never removed from the store.
        Assert.Equal(300, new PatriciaTrie(store, root).Enumerate().Count());
    }

    [Fact]
    public void A_short_root_is_stored_and_reopens()
    {
        var store = new MemoryKeyValueStore();
        var trie = new PatriciaTrie(store);
        trie.Set([0x01], [0x02]);
        var root = trie.Commit();
        Assert.Equal([0x02], new PatriciaTrie(store, root).Get([0x01]));
    }

    [Fact]
    public void A_missing_node_is_a_TrieException_naming_the_hash()
    {
        var missing = Keccak256.Compute("nowhere"u8);
        var trie = new PatriciaTrie(new MemoryKeyValueStore(), missing);
        var e = Assert.Throws<TrieException>(() => trie.Get([1, 2, 3]));
        Assert.Contains(missing.ToString(), e.Message);
    }

    [Fact]
    public void A_malformed_stored_node_is_a_TrieException()
    {
        var store = new MemoryKeyValueStore();
        var garbage = Hex.Decode("0xc3010203");
        var hash = Keccak256.Compute(garbage);
        store.Put(hash.Bytes, garbage);
        var e = Assert.Throws<TrieException>(() => new PatriciaTrie(store, hash).Get([1]));
        Assert.Contains("3 items", e.Message);
    }

    [Fact]
    public void Enumerate_yields_keys_in_order()
    {
        var trie = new PatriciaTrie();
        foreach (var word in new[] { "wallace", "cat", "doge", "ca", "c", "catering" }) trie.Set(B(word), B(word.ToUpperInvariant()));
        var keys = trie.Enumerate().Select(p => Encoding.ASCII.GetString(p.Key)).ToArray();
        Assert.Equal(new[] { "c", "ca", "cat", "catering", "doge", "wallace" }, keys);
    }

    [Fact]
    public void SecureTrie_is_a_trie_over_hashed_keys()
    {
        var secure = new SecureTrie();
        var plain = new PatriciaTrie();
        foreach (var word in new[] { "alpha", "beta", "gamma" })
        {
            secure.Set(B(word), B(word + "!"));
            plain.Set(Keccak256.Compute(B(word)).Bytes, B(word + "!"));
        }
        Assert.Equal(plain.RootHash, secure.RootHash);
        Assert.Equal(B("beta!"), secure.Get(B("beta")));
        Assert.Equal(B("beta!"), secure.GetByHash(Keccak256.Compute(B("beta"))));
        secure.Delete(B("beta"));
        Assert.Null(secure.Get(B("beta")));
    }
}
