using Thalamus.Core;

namespace Thalamus.Chain;

// Field readers: each turns an RLP problem into a TransactionDecodingException naming the field.
public static partial class TransactionDecoder
{
    private static RlpReader OpenFieldList(ReadOnlySpan<byte> encoded, string what)
    {
        var outer = new RlpReader(encoded);
        if (!outer.HasMore) throw new TransactionDecodingException($"{what}: the RLP payload is missing");
        if (!outer.NextIsList) throw new TransactionDecodingException($"{what} must be an RLP list, found an RLP string");
        var fields = outer.ReadList();
        if (outer.HasMore) throw new TransactionDecodingException($"{what}: unexpected bytes after the RLP list");
        return fields;
    }

    private static void ExpectFieldCount(RlpReader fields, int expected, string what, string layout)
    {
        var count = 0;
        while (fields.HasMore)
        {
            fields.ReadRaw();
            count++;
        }
        if (count != expected)
            throw new TransactionDecodingException($"{what} has {count} fields, expected {expected}: {layout}");
    }

    private static ReadOnlySpan<byte> ReadString(ref RlpReader fields, string field)
    {
        if (fields.NextIsList) throw new TransactionDecodingException($"{field} must be an RLP string, found a list");
        try
        {
            return fields.ReadBytes();
        }
        catch (RlpException e)
        {
            throw new TransactionDecodingException($"{field}: {e.Message}", e);
        }
    }

    private static RlpReader ReadList(ref RlpReader fields, string field)
    {
        if (!fields.NextIsList) throw new TransactionDecodingException($"{field} must be an RLP list, found a string");
        try
        {
            return fields.ReadList();
        }
        catch (RlpException e)
        {
            throw new TransactionDecodingException($"{field}: {e.Message}", e);
        }
    }

    private static ulong ReadUInt64(ref RlpReader fields, string field)
    {
        var bytes = ReadString(ref fields, field);
        CheckMinimalInteger(bytes, field);
        if (bytes.Length > 8)
            throw new TransactionDecodingException($"{field} exceeds 2^64-1 ({bytes.Length} bytes)");
        ulong value = 0;
        foreach (var b in bytes) value = (value << 8) | b;
        return value;
    }

    private static UInt256 ReadUInt256(ref RlpReader fields, string field)
    {
        var bytes = ReadString(ref fields, field);
        CheckMinimalInteger(bytes, field);
        if (bytes.Length > 32)
            throw new TransactionDecodingException($"{field} exceeds 2^256-1 ({bytes.Length} bytes)");
        return UInt256.FromBigEndian(bytes);
    }

    private static void CheckMinimalInteger(ReadOnlySpan<byte> bytes, string field)
    {
        if (bytes.Length > 0 && bytes[0] == 0)
            throw new TransactionDecodingException($"{field} has a leading zero byte: integers must be minimal big-endian (zero is the empty string)");
    }

    private static UInt256 ReadYParity(ref RlpReader fields)
    {
        var yParity = ReadUInt256(ref fields, "yParity");
        if (yParity > 1) throw new TransactionDecodingException($"yParity must be 0 or 1, got {yParity}");
        return yParity;
    }

    private static Address? ReadRecipient(ref RlpReader fields, bool allowCreate)
    {
        var bytes = ReadString(ref fields, "to");
        if (bytes.Length == Address.Length) return new Address(bytes);
        if (bytes.IsEmpty)
        {
            if (allowCreate) return null;
            throw new TransactionDecodingException("to must be a 20-byte address: an EIP-4844 transaction cannot create a contract");
        }
        throw new TransactionDecodingException(
            $"to must be a 20-byte address{(allowCreate ? " (or empty for contract creation)" : "")}, got {bytes.Length} bytes");
    }

    private static IReadOnlyList<AccessListEntry> ReadAccessList(ref RlpReader fields)
    {
        var list = ReadList(ref fields, "accessList");
        if (!list.HasMore) return [];
        var entries = new List<AccessListEntry>();
        while (list.HasMore)
        {
            var index = entries.Count;
            if (!list.NextIsList)
                throw new TransactionDecodingException($"accessList[{index}] must be a list [address, storageKeys], found a string");
            var entry = list.ReadList();
            var entryCopy = entry;
            var count = 0;
            while (entryCopy.HasMore)
            {
                entryCopy.ReadRaw();
                count++;
            }
            if (count != 2)
                throw new TransactionDecodingException($"accessList[{index}] has {count} items, expected 2: [address, storageKeys]");

            if (entry.NextIsList) throw new TransactionDecodingException($"accessList[{index}].address must be an RLP string, found a list");
            var address = entry.ReadBytes();
            if (address.Length != Address.Length)
                throw new TransactionDecodingException($"accessList[{index}].address must be 20 bytes, got {address.Length}");

            if (!entry.NextIsList) throw new TransactionDecodingException($"accessList[{index}].storageKeys must be a list, found a string");
            var keyList = entry.ReadList();
            var keys = new List<UInt256>();
            while (keyList.HasMore)
            {
                if (keyList.NextIsList)
                    throw new TransactionDecodingException($"accessList[{index}].storageKeys[{keys.Count}] must be an RLP string, found a list");
                var key = keyList.ReadBytes();
                if (key.Length != 32)
                    throw new TransactionDecodingException($"accessList[{index}].storageKeys[{keys.Count}] must be 32 bytes, got {key.Length}");
                keys.Add(UInt256.FromBigEndian(key));
            }
            entries.Add(new AccessListEntry(new Address(address), keys.ToArray()));
        }
        return entries.ToArray();
    }

    private static IReadOnlyList<Hash256> ReadBlobHashes(ref RlpReader fields)
    {
        var list = ReadList(ref fields, "blobVersionedHashes");
        var hashes = new List<Hash256>();
        while (list.HasMore)
        {
            if (list.NextIsList)
                throw new TransactionDecodingException($"blobVersionedHashes[{hashes.Count}] must be an RLP string, found a list");
            var hash = list.ReadBytes();
            if (hash.Length != Hash256.Length)
                throw new TransactionDecodingException($"blobVersionedHashes[{hashes.Count}] must be 32 bytes, got {hash.Length}");
            hashes.Add(new Hash256(hash));
        }
        return hashes.ToArray();
    }
}
