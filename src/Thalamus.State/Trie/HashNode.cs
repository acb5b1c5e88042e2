using Thalamus.Core;

namespace Thalamus.State.Trie;

/// <summary>A not-yet-loaded subtree, known by the hash of its root node in the store.</summary>
internal sealed class HashNode : TrieNode
{
    public HashNode(Hash256 hash)
    {
        Hash = hash;
        HasReference = true;
        IsPersisted = true;
    }
}
