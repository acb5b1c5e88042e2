using System.Text;
using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>Decodes Solidity's Error(string) and Panic(uint256) revert payloads for error messages.</summary>
public static class RevertReasonDecoder
{
    private static readonly byte[] ErrorSelector = [0x08, 0xc3, 0x79, 0xa0];
    private static readonly byte[] PanicSelector = [0x4e, 0x48, 0x7b, 0x71];

    /// <summary>The reason string, "panic: 0x.." for a Panic, or null when the data is neither.</summary>
    public static string? TryDecode(ReadOnlySpan<byte> data)
    {
        if (data.Length < 4) return null;
        if (data[..4].SequenceEqual(PanicSelector) && data.Length == 36)
            return "panic: " + UInt256.FromBigEndian(data.Slice(4, 32)).ToHexString();
        if (!data[..4].SequenceEqual(ErrorSelector) || data.Length < 4 + 64) return null;
        var body = data[4..];
        var offset = UInt256.FromBigEndian(body[..32]);
        if (!offset.IsUInt64 || (ulong)offset > (ulong)body.Length - 32) return null;
        var lengthAt = (int)(ulong)offset;
        var length = UInt256.FromBigEndian(body.Slice(lengthAt, 32));
        if (!length.IsUInt64 || (ulong)length > (ulong)(body.Length - lengthAt - 32)) return null;
        try
        {
            return new UTF8Encoding(false, true).GetString(body.Slice(lengthAt + 32, (int)(ulong)length));
        }
        catch (DecoderFallbackException)
        {
            return null;
        }
    }
}
