using Thalamus.State.Trie;

namespace Thalamus.State;

public sealed partial class PatriciaTrie
{
    // Both operations are only called when they will change the trie (Set and Delete check first),
    // so every node on the path is invalidated unconditionally.

    /// <summary>Inserts <paramref name="value"/> at the nibble path <paramref name="key"/> below <paramref name="node"/>; returns the new subtree.</summary>
    private TrieNode Insert(TrieNode? node, ReadOnlySpan<byte> key, byte[] value)
    {
        switch (node)
        {
            case null:
                return new LeafNode(key.ToArray(), value);

            case HashNode hashNode:
                return Insert(Resolve(hashNode), key, value);

            case LeafNode leaf:
            {
                var common = CommonPrefixLength(leaf.Path, key);
                if (common == leaf.Path.Length && common == key.Length)
                {
                    leaf.Value = value;
                    leaf.Invalidate();
                    return leaf;
                }
                var branch = new BranchNode();
                if (common == leaf.Path.Length) branch.Value = leaf.Value;
                else branch.Children[leaf.Path[common]] = new LeafNode(leaf.Path[(common + 1)..], leaf.Value);
                if (common == key.Length) branch.Value = value;
                else branch.Children[key[common]] = new LeafNode(key[(common + 1)..].ToArray(), value);
                return common == 0 ? branch : new ExtensionNode(key[..common].ToArray(), branch);
            }

            case ExtensionNode extension:
            {
                var common = CommonPrefixLength(extension.Path, key);
                if (common == extension.Path.Length)
                {
                    extension.Child = Insert(extension.Child, key[common..], value);
                    extension.Invalidate();
                    return extension;
                }
                // The key leaves the extension part-way: fork there.
                var branch = new BranchNode();
                var rest = extension.Path[(common + 1)..];
                branch.Children[extension.Path[common]] = rest.Length == 0 ? extension.Child : new ExtensionNode(rest, extension.Child);
                if (common == key.Length) branch.Value = value;
                else branch.Children[key[common]] = new LeafNode(key[(common + 1)..].ToArray(), value);
                return common == 0 ? branch : new ExtensionNode(key[..common].ToArray(), branch);
            }

            case BranchNode branch:
            {
                if (key.IsEmpty) branch.Value = value;
                else branch.Children[key[0]] = Insert(branch.Children[key[0]], key[1..], value);
                branch.Invalidate();
                return branch;
            }

            default:
                throw new InvalidOperationException($"unknown trie node {node.GetType().Name}");
        }
    }

    /// <summary>Removes the (present) key at nibble path <paramref name="key"/>; returns the new subtree or null.</summary>
    private TrieNode? Remove(TrieNode node, ReadOnlySpan<byte> key)
    {
        switch (node)
        {
            case HashNode hashNode:
                return Remove(Resolve(hashNode), key);

            case LeafNode:
                return null;

            case ExtensionNode extension:
            {
                var child = Remove(extension.Child, key[extension.Path.Length..]);
                switch (child)
                {
                    case null:
                        return null;
                    case LeafNode leaf:
                        return new LeafNode(Concat(extension.Path, leaf.Path), leaf.Value);
                    case ExtensionNode inner:
                        return new ExtensionNode(Concat(extension.Path, inner.Path), inner.Child);
                    default:
                        extension.Child = child;
                        extension.Invalidate();
                        return extension;
                }
            }

            case BranchNode branch:
            {
                if (key.IsEmpty) branch.Value = null;
                else branch.Children[key[0]] = Remove(branch.Children[key[0]]!, key[1..]);
                branch.Invalidate();
                return Collapse(branch);
            }

            default:
                throw new InvalidOperationException($"unknown trie node {node.GetType().Name}");
        }
    }

    /// <summary>A branch left with a single entry becomes a leaf or an extension (the trie stays canonical).</summary>
    private TrieNode? Collapse(BranchNode branch)
    {
        var only = -1;
        for (var i = 0; i < 16; i++)
        {
            if (branch.Children[i] is null) continue;
            if (only >= 0 || branch.Value is not null) return branch;
            only = i;
        }
        if (only < 0) return branch.Value is null ? null : new LeafNode([], branch.Value);

        var child = branch.Children[only]!;
        if (child is HashNode hashNode) child = Resolve(hashNode);
        return child switch
        {
            LeafNode leaf => new LeafNode(Prepend((byte)only, leaf.Path), leaf.Value),
            ExtensionNode extension => new ExtensionNode(Prepend((byte)only, extension.Path), extension.Child),
            _ => new ExtensionNode([(byte)only], child),
        };
    }

    private static int CommonPrefixLength(ReadOnlySpan<byte> a, ReadOnlySpan<byte> b) => a.CommonPrefixLength(b);

    private static byte[] Concat(byte[] a, byte[] b)
    {
        var result = new byte[a.Length + b.Length];
        a.CopyTo(result, 0);
        b.CopyTo(result, a.Length);
        return result;
    }

    private static byte[] Prepend(byte nibble, byte[] path)
    {
        var result = new byte[path.Length + 1];
        result[0] = nibble;
        path.CopyTo(result, 1);
        return result;
    }
}
