using System.Text;
using Thalamus.Core;

namespace Thalamus.Integration.Tests;

/// <summary>The few ABI encodings the crash test needs (sendMessage and receiveMessage calls, count()).</summary>
internal static class ClusterTestAbi
{
    public static byte[] Selector(string signature) => Keccak256.Compute(Encoding.ASCII.GetBytes(signature)).Bytes[..4].ToArray();

    /// <summary>receiveMessage(string text).</summary>
    public static byte[] ReceiveMessage(string text)
    {
        var output = new List<byte>(Selector("receiveMessage(string)"));
        output.AddRange(Word(32));
        output.AddRange(DynamicBytes(Encoding.UTF8.GetBytes(text)));
        return [.. output];
    }

    /// <summary>IClusterMessenger.sendMessage(uint256 destinationChainId, address target, bytes data).</summary>
    public static byte[] SendMessage(ulong destinationChainId, Address target, byte[] data)
    {
        var output = new List<byte>(Selector("sendMessage(uint256,address,bytes)"));
        output.AddRange(Word(destinationChainId));
        output.AddRange(target.ToUInt256().ToBigEndian());
        output.AddRange(Word(96));
        output.AddRange(DynamicBytes(data));
        return [.. output];
    }

    private static byte[] Word(ulong value) => new UInt256(value).ToBigEndian();

    private static byte[] DynamicBytes(byte[] data)
    {
        var padded = new byte[32 + (data.Length + 31) / 32 * 32];
        new UInt256((ulong)data.Length).WriteBigEndian(padded.AsSpan(0, 32));
        data.CopyTo(padded, 32);
        return padded;
    }
}
