using Thalamus.Core;

namespace Thalamus.State;

/// <summary>The RLP forms the state trie stores: accounts as [nonce, balance, storageRoot, codeHash], slots as trimmed big-endian strings.</summary>
internal static class AccountEncoding
{
    /// <summary>List header (2) + nonce (9) + balance (33) + two hashes (33 each).</summary>
    public const int MaxLength = 2 + 9 + 33 + 33 + 33;

    public static int Encode(ulong nonce, in UInt256 balance, in Hash256 storageRoot, in Hash256 codeHash, Span<byte> destination)
    {
        // Payload written after a 2-byte gap, then the header is put in front.
        Span<byte> payload = destination[2..];
        var n = WriteUInt256(new UInt256(nonce), payload);
        n += WriteUInt256(balance, payload[n..]);
        payload[n++] = 0xa0;
        storageRoot.Bytes.CopyTo(payload[n..]);
        n += 32;
        payload[n++] = 0xa0;
        codeHash.Bytes.CopyTo(payload[n..]);
        n += 32;
        // payload is at least 68 bytes, so the list header is always the long form 0xf8 <len>.
        destination[0] = 0xf8;
        destination[1] = (byte)n;
        return n + 2;
    }

    public static Account Decode(ReadOnlySpan<byte> encoded)
    {
        try
        {
            var reader = new RlpReader(encoded);
            var list = reader.ReadList();
            reader.EnsureEnd();
            var account = new Account
            {
                Nonce = list.ReadUInt64(),
                Balance = list.ReadUInt256(),
                StorageRoot = list.ReadHash256(),
                CodeHash = list.ReadHash256(),
            };
            list.EnsureEnd();
            return account;
        }
        catch (RlpException e)
        {
            throw new InvalidOperationException($"malformed account record in the state trie: {e.Message}", e);
        }
    }

    /// <summary>RLP of the trimmed big-endian value (non-zero); returns the length written (at most 33).</summary>
    public static int EncodeSlotValue(in UInt256 value, Span<byte> destination) => WriteUInt256(value, destination);

    public static UInt256 DecodeSlotValue(ReadOnlySpan<byte> encoded)
    {
        try
        {
            var reader = new RlpReader(encoded);
            var value = reader.ReadUInt256();
            reader.EnsureEnd();
            return value;
        }
        catch (RlpException e)
        {
            throw new InvalidOperationException($"malformed storage value in the state trie: {e.Message}", e);
        }
    }

    private static int WriteUInt256(in UInt256 value, Span<byte> destination)
    {
        var length = value.ByteLength;
        if (length == 0)
        {
            destination[0] = 0x80;
            return 1;
        }
        if (length == 1 && value.U0 < 0x80)
        {
            destination[0] = (byte)value.U0;
            return 1;
        }
        destination[0] = (byte)(0x80 + length);
        value.WriteBigEndianTrimmed(destination.Slice(1, length));
        return length + 1;
    }
}
