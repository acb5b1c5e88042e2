using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Xunit;

namespace Thalamus.State.Tests.Trie;

/// <summary>
/// The root is a function of the key/value map alone: any sequence of sets and deletes gives the
/// root of a trie built directly from the final map, in any insertion order, with or without a
/// commit-and-reopen in the middle.
/// </summary>
public class PatriciaTriePropertyTests
{
    private sealed record Operation(byte[] Key, byte[]? Value);

    private static readonly Gen<byte> KeyByte = Gen.Elements<byte>(0x00, 0x01, 0x10, 0x11, 0xab, 0xff);

    // Short keys over a small alphabet so that prefixes, shared paths and collisions are common;
    // some 32-byte keys as the secure tries use.
    private static readonly Gen<byte[]> Key = Gen.Frequency(
        (4, Gen.Choose(0, 4).SelectMany(n => Gen.ArrayOf(KeyByte, n))),
        (1, Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), 32)));

    private static readonly Gen<byte[]> Value = Gen.Choose(1, 60).SelectMany(n => Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), n));

    private static readonly Gen<Operation> Op = Gen.Frequency(
        (3, Gen.Zip(Key, Value).Select(t => new Operation(t.Item1, t.Item2))),
        (1, Key.Select(k => new Operation(k, null))));

    private static readonly Arbitrary<Operation[]> Operations =
        Gen.Choose(0, 60).SelectMany(n => Gen.ArrayOf(Op, n)).ToArbitrary();

    private static readonly Config Settings = Config.QuickThrowOnFailure.WithMaxTest(300);

    private static Dictionary<string, (byte[] Key, byte[] Value)> Apply(IEnumerable<Operation> operations, Action<Operation> onEach)
    {
        var map = new Dictionary<string, (byte[] Key, byte[] Value)>();
        foreach (var op in operations)
        {
            onEach(op);
            if (op.Value is null) map.Remove(Convert.ToHexString(op.Key));
            else map[Convert.ToHexString(op.Key)] = (op.Key, op.Value);
        }
        return map;
    }

    [Fact]
    public void Root_depends_only_on_the_final_map() =>
        Check.One(Settings, Prop.ForAll(Operations, operations =>
        {
            var trie = new PatriciaTrie();
            var map = Apply(operations, op =>
            {
                if (op.Value is null) trie.Delete(op.Key);
                else trie.Set(op.Key, op.Value);
            });

            var forward = new PatriciaTrie();
            foreach (var (key, value) in map.Values.OrderBy(e => Convert.ToHexString(e.Key))) forward.Set(key, value);
            var backward = new PatriciaTrie();
            foreach (var (key, value) in map.Values.OrderByDescending(e => Convert.ToHexString(e.Key))) backward.Set(key, value);

            Assert.Equal(forward.RootHash, trie.RootHash);
            Assert.Equal(forward.RootHash, backward.RootHash);
            if (map.Count == 0) Assert.Equal(Keccak256.OfEmptyList, trie.RootHash);
            foreach (var (key, value) in map.Values) Assert.Equal(value, trie.Get(key));
            Assert.Equal(map.Count, trie.Enumerate().Count());
        }));

    [Fact]
    public void Root_hash_read_midway_does_not_change_the_result() =>
        Check.One(Settings, Prop.ForAll(Operations, Operations, (first, second) =>
        {
            var store = new MemoryKeyValueStore();
            var trie = new PatriciaTrie(store);
            var straight = new PatriciaTrie();
            void Run(PatriciaTrie t, Operation op)
            {
                if (op.Value is null) t.Delete(op.Key);
                else t.Set(op.Key, op.Value);
            }
            foreach (var op in first)
            {
                Run(trie, op);
                Run(straight, op);
                _ = trie.RootHash; // cached hashes must be invalidated correctly by later changes
            }
            var root = trie.Commit();
            var reopened = new PatriciaTrie(store, root);
            foreach (var op in second)
            {
                Run(reopened, op);
                Run(straight, op);
            }
            Assert.Equal(straight.RootHash, reopened.RootHash);
        }));
}
