using Thalamus.Core;

namespace Thalamus.State.Trie;

/// <summary>
/// A node of the in-memory trie. Each node caches its reference as a parent embeds it: the RLP
/// itself when shorter than 32 bytes (<see cref="InlineRlp"/>), else its Keccak hash. A change
/// invalidates the caches along the changed path only, so a root recomputation re-encodes and
/// re-hashes just the dirty nodes.
/// </summary>
internal abstract class TrieNode
{
    /// <summary>The node's RLP when it is under 32 bytes (embedded in the parent), else null.</summary>
    public byte[]? InlineRlp;

    /// <summary>Keccak of the node's RLP; meaningful when <see cref="HasReference"/> and <see cref="InlineRlp"/> is null.</summary>
    public Hash256 Hash;

    /// <summary>True when <see cref="InlineRlp"/>/<see cref="Hash"/> are current.</summary>
    public bool HasReference;

    /// <summary>True when this node and everything below it are in the store.</summary>
    public bool IsPersisted;

    public void Invalidate()
    {
        InlineRlp = null;
        HasReference = false;
        IsPersisted = false;
    }

    /// <summary>Marks the node as loaded from the store, with the reference its RLP implies.</summary>
    public void SetLoaded(ReadOnlySpan<byte> rlp, Hash256? knownHash)
    {
        if (rlp.Length < 32) InlineRlp = rlp.ToArray();
        else Hash = knownHash ?? Keccak256.Compute(rlp);
        HasReference = true;
        IsPersisted = true;
    }
}
