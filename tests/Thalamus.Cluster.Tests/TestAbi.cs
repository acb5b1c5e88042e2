using System.Text;
using Thalamus.Core;

namespace Thalamus.Cluster.Tests;

/// <summary>Just enough Solidity ABI for the tests: static words and trailing dynamic bytes/string.</summary>
internal static class TestAbi
{
    public static byte[] Selector(string signature) => Keccak256.Compute(Encoding.UTF8.GetBytes(signature)).Bytes[..4].ToArray();

    public static UInt256 Word(Address address) => address.ToUInt256();

    public static UInt256 Word(ulong value) => new(value);

    /// <summary>selector ++ words ++ (optional dynamic bytes, whose offset word is appended after the words).</summary>
    public static byte[] Call(string signature, UInt256[] words, byte[]? dynamicTail = null)
    {
        var body = new List<byte>(Selector(signature));
        foreach (var w in words) body.AddRange(w.ToBigEndian());
        if (dynamicTail is not null)
        {
            body.AddRange(new UInt256((ulong)(words.Length + 1) * 32).ToBigEndian());
            body.AddRange(new UInt256((ulong)dynamicTail.Length).ToBigEndian());
            body.AddRange(dynamicTail);
            body.AddRange(new byte[(32 - dynamicTail.Length % 32) % 32]);
        }
        return [.. body];
    }

    public static byte[] Call(string signature, params UInt256[] words) => Call(signature, words, null);

    public static byte[] CallWithString(string signature, string text) => Call(signature, [], Encoding.UTF8.GetBytes(text));

    public static UInt256 DecodeWord(byte[] output, int index = 0) => UInt256.FromBigEndian(output.AsSpan(index * 32, 32));

    public static Address DecodeAddress(byte[] output, int index = 0) => new(output.AsSpan(index * 32 + 12, 20));

    public static string DecodeString(byte[] output, int index = 0)
    {
        var offset = (int)(ulong)DecodeWord(output, index);
        var length = (int)(ulong)UInt256.FromBigEndian(output.AsSpan(offset, 32));
        return Encoding.UTF8.GetString(output, offset + 32, length);
    }

    /// <summary>Constructor arguments appended to creation code.</summary>
    public static byte[] Deploy(byte[] creationCode, params UInt256[] args)
    {
        var code = new List<byte>(creationCode);
        foreach (var a in args) code.AddRange(a.ToBigEndian());
        return [.. code];
    }
}
