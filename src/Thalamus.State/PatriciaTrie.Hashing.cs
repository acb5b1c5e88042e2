using Thalamus.Core;
using Thalamus.State.Trie;

namespace Thalamus.State;

public sealed partial class PatriciaTrie
{
    /// <summary>Computes the references of <paramref name="node"/> and its changed descendants, bottom-up.</summary>
    private void EnsureReference(TrieNode node)
    {
        if (node.HasReference) return;
        switch (node)
        {
            case ExtensionNode extension:
                EnsureReference(extension.Child);
                break;
            case BranchNode branch:
                foreach (var child in branch.Children)
                    if (child is not null) EnsureReference(child);
                break;
        }
        // Children are done, so the shared writer is free for this node.
        _writer.Reset();
        TrieNodeCodec.Encode(node, _writer);
        var rlp = _writer.WrittenSpan;
        if (rlp.Length < 32) node.InlineRlp = rlp.ToArray();
        else node.Hash = Keccak256.Compute(rlp);
        node.HasReference = true;
    }

    /// <summary>Stores every not-yet-persisted node of 32 bytes or more under its hash; references must be current.</summary>
    private void CommitNode(TrieNode node)
    {
        if (node.IsPersisted) return;
        switch (node)
        {
            case ExtensionNode extension:
                CommitNode(extension.Child);
                break;
            case BranchNode branch:
                foreach (var child in branch.Children)
                    if (child is not null) CommitNode(child);
                break;
        }
        if (node.InlineRlp is null)
        {
            _writer.Reset();
            TrieNodeCodec.Encode(node, _writer);
            _store.Put(node.Hash.Bytes, _writer.WrittenSpan);
        }
        node.IsPersisted = true;
    }
}
