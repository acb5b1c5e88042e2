namespace Thalamus.State.Trie;

/// <summary>The end of a key: the remaining nibbles and the value.</summary>
internal sealed class LeafNode(byte[] path, byte[] value) : TrieNode
{
    /// <summary>Remaining key nibbles (one per byte), possibly empty.</summary>
    public byte[] Path = path;

    public byte[] Value = value;
}
