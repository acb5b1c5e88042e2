using Thalamus.Core;

namespace Thalamus.State.Trie;

/// <summary>
/// RLP forms of trie nodes: leaf <c>[hp(path, leaf), value]</c>, extension <c>[hp(path), ref]</c>,
/// branch <c>[ref0 … ref15, value]</c>, where a child reference is the child's RLP when under
/// 32 bytes and otherwise its 32-byte hash as a string.
/// </summary>
internal static class TrieNodeCodec
{
    /// <summary>Encodes <paramref name="node"/>; its children's references must be current.</summary>
    public static void Encode(TrieNode node, RlpWriter writer)
    {
        switch (node)
        {
            case LeafNode leaf:
            {
                var marker = writer.StartList();
                WritePath(writer, leaf.Path, isLeaf: true);
                writer.WriteBytes(leaf.Value);
                writer.EndList(marker);
                break;
            }
            case ExtensionNode extension:
            {
                var marker = writer.StartList();
                WritePath(writer, extension.Path, isLeaf: false);
                WriteReference(writer, extension.Child);
                writer.EndList(marker);
                break;
            }
            case BranchNode branch:
            {
                var marker = writer.StartList();
                foreach (var child in branch.Children)
                {
                    if (child is null) writer.WriteBytes([]);
                    else WriteReference(writer, child);
                }
                writer.WriteBytes(branch.Value ?? []);
                writer.EndList(marker);
                break;
            }
            default:
                throw new InvalidOperationException($"cannot encode a {node.GetType().Name} (it must be resolved first)");
        }
    }

    private static void WritePath(RlpWriter writer, byte[] nibbles, bool isLeaf)
    {
        Span<byte> buffer = nibbles.Length <= 254 ? stackalloc byte[128] : new byte[HexPrefix.EncodedLength(nibbles.Length)];
        var length = HexPrefix.Encode(nibbles, isLeaf, buffer);
        writer.WriteBytes(buffer[..length]);
    }

    private static void WriteReference(RlpWriter writer, TrieNode child)
    {
        if (!child.HasReference) throw new InvalidOperationException("child reference not computed before encoding its parent");
        if (child.InlineRlp is not null) writer.WriteRaw(child.InlineRlp);
        else writer.WriteHash256(child.Hash);
    }

    /// <summary>Decodes a node read from the store (or embedded in a parent).</summary>
    public static TrieNode Decode(ReadOnlySpan<byte> rlp, Hash256? knownHash)
    {
        TrieNode node;
        try
        {
            var outer = new RlpReader(rlp);
            var list = outer.ReadList();
            outer.EnsureEnd();
            var count = list.CountRemainingItems();
            if (count == 2)
            {
                var path = HexPrefix.Decode(list.ReadBytes(), out var isLeaf);
                if (isLeaf)
                {
                    var value = list.ReadBytes();
                    if (value.IsEmpty) throw new TrieException("malformed trie node: leaf with an empty value");
                    node = new LeafNode(path, value.ToArray());
                }
                else
                {
                    if (path.Length == 0) throw new TrieException("malformed trie node: extension with an empty path");
                    node = new ExtensionNode(path, ReadReference(ref list) ?? throw new TrieException("malformed trie node: extension without a child"));
                }
            }
            else if (count == 17)
            {
                var branch = new BranchNode();
                for (var i = 0; i < 16; i++) branch.Children[i] = ReadReference(ref list);
                var value = list.ReadBytes();
                branch.Value = value.IsEmpty ? null : value.ToArray();
                node = branch;
            }
            else
            {
                throw new TrieException($"malformed trie node: a list of {count} items (expected 2 or 17)");
            }
        }
        catch (RlpException e)
        {
            throw new TrieException($"malformed trie node: {e.Message}", e);
        }
        node.SetLoaded(rlp, knownHash);
        return node;
    }

    private static TrieNode? ReadReference(ref RlpReader list)
    {
        if (list.NextIsList)
        {
            var raw = list.ReadRaw();
            if (raw.Length >= 32) throw new TrieException($"malformed trie node: embedded child of {raw.Length} bytes (must be under 32)");
            return Decode(raw, null);
        }
        var bytes = list.ReadBytes();
        return bytes.Length switch
        {
            0 => null,
            32 => new HashNode(new Hash256(bytes)),
            _ => throw new TrieException($"malformed trie node: child reference of {bytes.Length} bytes (expected 0 or 32)"),
        };
    }
}
