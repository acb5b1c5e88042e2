using Thalamus.State.Trie;

namespace Thalamus.State;

public sealed partial class PatriciaTrie
{
    /// <summary>
    /// A Merkle proof for <paramref name="key"/> (EIP-1186): the RLP of every node on the path from
    /// the root towards the key, root first. For a present key the last node holds the value; for
    /// an absent key the nodes cover the longest existing prefix and the last one shows where the
    /// path ends (a missing branch child, a diverging leaf or extension). As in geth, nodes under 32
    /// bytes are left out (they are embedded in their parent's RLP) except the root, and the proof
    /// of an empty trie is empty.
    /// </summary>
    /// <exception cref="TrieException">a node on the path is missing from the store or malformed.</exception>
    public IReadOnlyList<byte[]> GetProof(ReadOnlySpan<byte> key)
    {
        var proof = new List<byte[]>();
        if (_root is null) return proof;
        // Hashes of changed nodes must be current so that each node's RLP shows its children's references.
        EnsureReference(_root);

        var nibbleCount = key.Length * 2;
        var position = 0;
        var node = _root;
        TrieNode? parent = null;
        var slot = 0;
        while (node is not null)
        {
            if (node is HashNode hashNode)
            {
                node = Resolve(hashNode);
                Replace(parent, slot, node);
            }
            if (parent is null || node.InlineRlp is null) proof.Add(EncodeForProof(node));
            switch (node)
            {
                case LeafNode:
                    return proof;
                case ExtensionNode extension:
                    if (!MatchesPath(key, position, extension.Path)) return proof;
                    position += extension.Path.Length;
                    parent = extension;
                    node = extension.Child;
                    break;
                case BranchNode branch:
                    if (position == nibbleCount) return proof;
                    slot = Nibble(key, position++);
                    parent = branch;
                    node = branch.Children[slot];
                    break;
                default:
                    throw new InvalidOperationException($"unknown trie node {node.GetType().Name}");
            }
        }
        return proof;
    }

    private byte[] EncodeForProof(TrieNode node)
    {
        if (node.InlineRlp is not null) return node.InlineRlp.ToArray();
        _writer.Reset();
        TrieNodeCodec.Encode(node, _writer);
        return _writer.WrittenSpan.ToArray();
    }
}
