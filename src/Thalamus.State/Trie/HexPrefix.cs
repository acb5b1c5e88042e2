namespace Thalamus.State.Trie;

/// <summary>
/// Hex-prefix encoding of a nibble path (Yellow Paper appendix C): the first nibble holds
/// flags (2 = leaf, 1 = odd length); an odd path's first nibble shares that byte, an even
/// path gets a zero pad nibble.
/// </summary>
internal static class HexPrefix
{
    public static int EncodedLength(int nibbleCount) => nibbleCount / 2 + 1;

    public static int Encode(ReadOnlySpan<byte> nibbles, bool isLeaf, Span<byte> destination)
    {
        var odd = (nibbles.Length & 1) != 0;
        var flags = (isLeaf ? 2 : 0) | (odd ? 1 : 0);
        var length = EncodedLength(nibbles.Length);
        int next;
        if (odd)
        {
            destination[0] = (byte)((flags << 4) | nibbles[0]);
            next = 1;
        }
        else
        {
            destination[0] = (byte)(flags << 4);
            next = 0;
        }
        for (var i = 1; i < length; i++, next += 2)
            destination[i] = (byte)((nibbles[next] << 4) | nibbles[next + 1]);
        return length;
    }

    /// <summary>Decodes to nibbles; throws <see cref="TrieException"/> on bad flags or padding.</summary>
    public static byte[] Decode(ReadOnlySpan<byte> encoded, out bool isLeaf)
    {
        if (encoded.IsEmpty) throw new TrieException("malformed trie node: empty hex-prefix path");
        var flags = encoded[0] >> 4;
        if (flags > 3) throw new TrieException($"malformed trie node: hex-prefix flag nibble {flags} is not 0-3");
        isLeaf = (flags & 2) != 0;
        var odd = (flags & 1) != 0;
        if (!odd && (encoded[0] & 0x0F) != 0) throw new TrieException("malformed trie node: even hex-prefix path with a non-zero pad nibble");
        var nibbles = new byte[(encoded.Length - 1) * 2 + (odd ? 1 : 0)];
        var n = 0;
        if (odd) nibbles[n++] = (byte)(encoded[0] & 0x0F);
        for (var i = 1; i < encoded.Length; i++)
        {
            nibbles[n++] = (byte)(encoded[i] >> 4);
            nibbles[n++] = (byte)(encoded[i] & 0x0F);
        }
        return nibbles;
    }

    /// <summary>Splits bytes into nibbles, high nibble first.</summary>
    public static void ToNibbles(ReadOnlySpan<byte> bytes, Span<byte> nibbles)
    {
        for (var i = 0; i < bytes.Length; i++)
        {
            nibbles[2 * i] = (byte)(bytes[i] >> 4);
            nibbles[2 * i + 1] = (byte)(bytes[i] & 0x0F);
        }
    }
}
