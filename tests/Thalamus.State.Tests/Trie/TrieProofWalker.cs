using Thalamus.Core;
using Xunit;

namespace Thalamus.State.Tests.Trie;

/// <summary>
/// An independent Merkle proof walker written from the Yellow Paper (hash each node, follow the
/// key's nibbles through branches, extensions and leaves), not from the trie's own code. Shared by
/// the trie's and the member chain's proof tests (Thalamus.Chain.Tests links this file).
/// </summary>
internal static class TrieProofWalker
{
    /// <summary>
    /// Walks <paramref name="proof"/> from <paramref name="root"/> along <paramref name="key"/>:
    /// returns the value, or null when the proof shows the key is absent. Fails (throws) when a
    /// node does not hash to its parent's reference, the proof is short, or it has unused nodes.
    /// </summary>
    public static byte[]? Walk(Hash256 root, ReadOnlySpan<byte> key, IReadOnlyList<byte[]> proof)
    {
        if (proof.Count == 0)
        {
            Assert.Equal(Keccak256.OfEmptyList, root);
            return null;
        }
        var nibbles = new byte[key.Length * 2];
        for (var i = 0; i < key.Length; i++)
        {
            nibbles[2 * i] = (byte)(key[i] >> 4);
            nibbles[2 * i + 1] = (byte)(key[i] & 0x0F);
        }
        Assert.Equal(root, Keccak256.Compute(proof[0]));
        var node = proof[0];
        var used = 1;
        var position = 0;
        while (true)
        {
            var items = Items(node);
            (bool IsList, byte[] Bytes) child;
            if (items.Count == 17)
            {
                if (position == nibbles.Length)
                {
                    Assert.Equal(proof.Count, used);
                    return items[16].Bytes.Length == 0 ? null : items[16].Bytes;
                }
                child = items[nibbles[position++]];
            }
            else
            {
                Assert.Equal(2, items.Count);
                Assert.False(items[0].IsList);
                var path = DecodeHexPrefix(items[0].Bytes, out var isLeaf);
                var rest = nibbles.AsSpan(position);
                if (isLeaf)
                {
                    Assert.Equal(proof.Count, used);
                    return rest.SequenceEqual(path) ? items[1].Bytes : null;
                }
                if (!rest.StartsWith(path))
                {
                    Assert.Equal(proof.Count, used);
                    return null;
                }
                position += path.Length;
                child = items[1];
            }

            if (child.IsList)
            {
                Assert.True(child.Bytes.Length < 32, "an embedded node must be under 32 bytes");
                node = child.Bytes;
                continue;
            }
            if (child.Bytes.Length == 0)
            {
                Assert.Equal(proof.Count, used);
                return null;
            }
            Assert.Equal(32, child.Bytes.Length);
            Assert.True(used < proof.Count, "the proof ends before the path does");
            node = proof[used++];
            Assert.Equal(new Hash256(child.Bytes), Keccak256.Compute(node));
        }
    }

    /// <summary>The items of a node: embedded lists as their whole RLP, strings as their payload.</summary>
    private static List<(bool IsList, byte[] Bytes)> Items(byte[] node)
    {
        var items = new List<(bool, byte[])>();
        var outer = new RlpReader(node);
        var list = outer.ReadList();
        outer.EnsureEnd();
        while (list.HasMore)
        {
            if (list.NextIsList) items.Add((true, list.ReadRaw().ToArray()));
            else items.Add((false, list.ReadBytes().ToArray()));
        }
        return items;
    }

    private static byte[] DecodeHexPrefix(byte[] encoded, out bool isLeaf)
    {
        var flag = encoded[0] >> 4;
        isLeaf = flag >= 2;
        var nibbles = new List<byte>();
        if ((flag & 1) == 1) nibbles.Add((byte)(encoded[0] & 0x0F));
        foreach (var b in encoded.AsSpan(1))
        {
            nibbles.Add((byte)(b >> 4));
            nibbles.Add((byte)(b & 0x0F));
        }
        return [.. nibbles];
    }
}
