using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Storage.Tests;

/// <summary>
/// Walks a state trie from its root through every node reference, the storage tries of the
/// accounts and their code, and fails on the first node that is missing: proof that a state
/// root is complete in a store, not just that a few paths resolve.
/// </summary>
public static class TrieWalker
{
    public sealed record Summary(int Nodes, int Accounts, int StorageSlots, int Contracts);

    public static Summary WalkState(IKeyValueStore store, Hash256 stateRoot)
    {
        var counts = new int[4];
        WalkTrie(store, stateRoot, counts, leaf =>
        {
            counts[1]++;
            var reader = new RlpReader(leaf);
            var account = reader.ReadList();
            account.ReadUInt64();
            account.ReadUInt256();
            var storageRoot = account.ReadHash256();
            var codeHash = account.ReadHash256();
            if (storageRoot != Keccak256.OfEmptyList) WalkTrie(store, storageRoot, counts, _ => counts[2]++);
            if (codeHash != Keccak256.OfEmpty)
            {
                var code = store.Get(codeHash.Bytes) ?? throw new InvalidOperationException($"code {codeHash} is missing");
                if (Keccak256.Compute(code) != codeHash) throw new InvalidOperationException($"code {codeHash} does not hash to its key");
                counts[3]++;
            }
        });
        return new Summary(counts[0], counts[1], counts[2], counts[3]);
    }

    private static void WalkTrie(IKeyValueStore store, Hash256 root, int[] counts, Action<byte[]> onLeaf)
    {
        if (root == Keccak256.OfEmptyList) return;
        var encoded = store.Get(root.Bytes) ?? throw new InvalidOperationException($"trie node {root} is missing");
        if (Keccak256.Compute(encoded) != root) throw new InvalidOperationException($"trie node {root} does not hash to its key");
        WalkNode(store, encoded, counts, onLeaf);
    }

    private static void WalkNode(IKeyValueStore store, ReadOnlySpan<byte> encoded, int[] counts, Action<byte[]> onLeaf)
    {
        counts[0]++;
        var outer = new RlpReader(encoded);
        var node = outer.ReadList();
        var items = node.CountRemainingItems();
        if (items == 17)
        {
            for (var i = 0; i < 16; i++) WalkReference(store, ref node, counts, onLeaf);
            var value = node.ReadBytes();
            if (!value.IsEmpty) onLeaf(value.ToArray());
        }
        else if (items == 2)
        {
            var path = node.ReadBytes();
            var isLeaf = (path[0] >> 4 & 2) != 0;
            if (isLeaf) onLeaf(node.ReadBytes().ToArray());
            else WalkReference(store, ref node, counts, onLeaf);
        }
        else throw new InvalidOperationException($"a trie node with {items} items");
    }

    private static void WalkReference(IKeyValueStore store, ref RlpReader node, int[] counts, Action<byte[]> onLeaf)
    {
        if (node.NextIsList)
        {
            WalkNode(store, node.ReadRaw(), counts, onLeaf);
            return;
        }
        var reference = node.ReadBytes();
        if (reference.IsEmpty) return;
        if (reference.Length != 32) throw new InvalidOperationException($"a node reference of {reference.Length} bytes");
        WalkTrie(store, new Hash256(reference), counts, onLeaf);
    }
}
