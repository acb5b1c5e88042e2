using Thalamus.Core;
using Thalamus.State.Trie;

namespace Thalamus.State;

public sealed partial class PatriciaTrie
{
    /// <summary>
    /// Walks to the value of <paramref name="key"/> (the stored array, not a copy). Subtrees loaded
    /// from the store on the way replace their hash placeholders, so later reads stay in memory.
    /// </summary>
    private byte[]? Find(ReadOnlySpan<byte> key)
    {
        var nibbleCount = key.Length * 2;
        var position = 0;
        var node = _root;
        TrieNode? parent = null;
        var slot = 0;
        while (true)
        {
            switch (node)
            {
                case null:
                    return null;
                case HashNode hashNode:
                    node = Resolve(hashNode);
                    Replace(parent, slot, node);
                    continue;
                case LeafNode leaf:
                    return MatchesPath(key, position, leaf.Path) && position + leaf.Path.Length == nibbleCount ? leaf.Value : null;
                case ExtensionNode extension:
                    if (!MatchesPath(key, position, extension.Path)) return null;
                    position += extension.Path.Length;
                    parent = extension;
                    node = extension.Child;
                    continue;
                case BranchNode branch:
                    if (position == nibbleCount) return branch.Value;
                    slot = Nibble(key, position++);
                    parent = branch;
                    node = branch.Children[slot];
                    continue;
                default:
                    throw new InvalidOperationException($"unknown trie node {node.GetType().Name}");
            }
        }
    }

    private void Replace(TrieNode? parent, int slot, TrieNode resolved)
    {
        switch (parent)
        {
            case null:
                _root = resolved;
                break;
            case ExtensionNode extension:
                extension.Child = resolved;
                break;
            case BranchNode branch:
                branch.Children[slot] = resolved;
                break;
        }
    }

    /// <summary>Loads the node behind <paramref name="hashNode"/> from the store.</summary>
    private TrieNode Resolve(HashNode hashNode)
    {
        var rlp = _store.Get(hashNode.Hash.Bytes)
            ?? throw new TrieException($"trie node {hashNode.Hash} is missing from the store");
        return TrieNodeCodec.Decode(rlp, hashNode.Hash);
    }

    private static int Nibble(ReadOnlySpan<byte> key, int index) =>
        (index & 1) == 0 ? key[index >> 1] >> 4 : key[index >> 1] & 0x0F;

    /// <summary>True when the key's nibbles from <paramref name="position"/> start with <paramref name="path"/>.</summary>
    private static bool MatchesPath(ReadOnlySpan<byte> key, int position, byte[] path)
    {
        if (position + path.Length > key.Length * 2) return false;
        for (var i = 0; i < path.Length; i++)
            if (Nibble(key, position + i) != path[i]) return false;
        return true;
    }

    /// <summary>
    /// Every (key, value) pair in key order. Keys with an odd number of nibbles cannot be produced
    /// by byte keys and are reported as an error.
    /// </summary>
    public IEnumerable<KeyValuePair<byte[], byte[]>> Enumerate()
    {
        var results = new List<KeyValuePair<byte[], byte[]>>();
        var path = new List<byte>();
        Collect(_root, null, 0, path, results);
        return results;
    }

    private void Collect(TrieNode? node, TrieNode? parent, int slot, List<byte> path, List<KeyValuePair<byte[], byte[]>> results)
    {
        if (node is HashNode hashNode)
        {
            node = Resolve(hashNode);
            Replace(parent, slot, node);
        }
        switch (node)
        {
            case null:
                return;
            case LeafNode leaf:
                path.AddRange(leaf.Path);
                results.Add(new(PackNibbles(path), leaf.Value.ToArray()));
                path.RemoveRange(path.Count - leaf.Path.Length, leaf.Path.Length);
                return;
            case ExtensionNode extension:
                path.AddRange(extension.Path);
                Collect(extension.Child, extension, 0, path, results);
                path.RemoveRange(path.Count - extension.Path.Length, extension.Path.Length);
                return;
            case BranchNode branch:
                if (branch.Value is not null) results.Add(new(PackNibbles(path), branch.Value.ToArray()));
                for (var i = 0; i < 16; i++)
                {
                    if (branch.Children[i] is null) continue;
                    path.Add((byte)i);
                    Collect(branch.Children[i], branch, i, path, results);
                    path.RemoveAt(path.Count - 1);
                }
                return;
        }
    }

    private static byte[] PackNibbles(List<byte> nibbles)
    {
        if ((nibbles.Count & 1) != 0) throw new TrieException($"trie holds a key of {nibbles.Count} nibbles, which is not a whole number of bytes");
        var bytes = new byte[nibbles.Count / 2];
        for (var i = 0; i < bytes.Length; i++) bytes[i] = (byte)((nibbles[2 * i] << 4) | nibbles[2 * i + 1]);
        return bytes;
    }
}
