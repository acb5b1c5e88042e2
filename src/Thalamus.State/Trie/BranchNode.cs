namespace Thalamus.State.Trie;

/// <summary>A 16-way fork by the next nibble, with the value of a key that ends here.</summary>
internal sealed class BranchNode : TrieNode
{
    public readonly TrieNode?[] Children = new TrieNode?[16];

    /// <summary>The value of the key ending at this node; null when none (values are never empty).</summary>
    public byte[]? Value;

    public int ChildCount
    {
        get
        {
            var count = 0;
            foreach (var child in Children)
                if (child is not null) count++;
            return count;
        }
    }
}
