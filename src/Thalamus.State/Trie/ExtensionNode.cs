namespace Thalamus.State.Trie;

/// <summary>A shared run of nibbles (never empty) leading to a single child, always a branch once resolved.</summary>
internal sealed class ExtensionNode(byte[] path, TrieNode child) : TrieNode
{
    public byte[] Path = path;

    public TrieNode Child = child;
}
