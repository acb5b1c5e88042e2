using System.Buffers.Binary;
using System.Text;
using Thalamus.Core;

namespace Thalamus.Cluster;

/// <summary>The few Solidity ABI shapes the cluster reads and writes (static words and one dynamic bytes).</summary>
internal static class AbiCodec
{
    /// <summary>Error(string): how Solidity and ethers spell a revert reason.</summary>
    private static readonly byte[] ErrorSelector = [0x08, 0xc3, 0x79, 0xa0];

    public static UInt256 ReadWord(ReadOnlySpan<byte> data, int index) =>
        UInt256.FromBigEndian(data.Slice(index * 32, 32));

    public static Address ReadAddress(ReadOnlySpan<byte> data, int index)
    {
        var word = data.Slice(index * 32, 32);
        for (var i = 0; i < 12; i++) if (word[i] != 0) throw new FormatException("an address word has dirty upper bytes");
        return new Address(word[12..]);
    }

    /// <summary>The dynamic bytes whose offset is in word <paramref name="index"/>.</summary>
    public static byte[] ReadBytes(ReadOnlySpan<byte> data, int index)
    {
        var offset = ReadWord(data, index);
        if (!offset.IsUInt64 || (ulong)offset > (ulong)data.Length - 32) throw new FormatException("a bytes offset points outside the data");
        var start = (int)(ulong)offset;
        var length = UInt256.FromBigEndian(data.Slice(start, 32));
        if (!length.IsUInt64 || (ulong)length > (ulong)(data.Length - start - 32)) throw new FormatException("a bytes length runs past the data");
        return data.Slice(start + 32, (int)(ulong)length).ToArray();
    }

    /// <summary>Static words, then one <c>bytes</c> last (its offset word goes where <paramref name="words"/> ends).</summary>
    public static byte[] Encode(ReadOnlySpan<byte> selector, ReadOnlySpan<UInt256> words, ReadOnlySpan<byte> tail)
    {
        var head = (words.Length + 1) * 32;
        var padded = (tail.Length + 31) / 32 * 32;
        var output = new byte[selector.Length + head + 32 + padded];
        selector.CopyTo(output);
        var body = output.AsSpan(selector.Length);
        for (var i = 0; i < words.Length; i++) words[i].WriteBigEndian(body.Slice(i * 32, 32));
        new UInt256((ulong)head).WriteBigEndian(body.Slice(words.Length * 32, 32));
        new UInt256((ulong)tail.Length).WriteBigEndian(body.Slice(head, 32));
        tail.CopyTo(body[(head + 32)..]);
        return output;
    }

    public static UInt256 Word(in Address address) => address.ToUInt256();

    /// <summary>abi.encode(bool ok, bytes result): what crossCall returns.</summary>
    public static byte[] EncodeCallResult(bool ok, ReadOnlySpan<byte> result) =>
        Encode([], [ok ? UInt256.One : UInt256.Zero], result);

    /// <summary>Error(string) revert data, as a Solidity <c>revert("...")</c> produces.</summary>
    public static byte[] EncodeError(string reason) => Encode(ErrorSelector, [], Encoding.UTF8.GetBytes(reason));

    public static uint Selector(ReadOnlySpan<byte> data) => data.Length < 4 ? 0 : BinaryPrimitives.ReadUInt32BigEndian(data);
}
