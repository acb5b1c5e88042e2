using System.Buffers;
using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>
/// Canonical encodings of a <see cref="Transaction"/>: the network form (a legacy RLP list, or
/// <c>type || rlp([...])</c> per EIP-2718; blob transactions without their sidecar) and the
/// signing preimage each type signs (EIP-155 for legacy with a chain id, the unsigned typed
/// payload for 0x01-0x03).
/// </summary>
public static class TransactionEncoder
{
    private const int StackLimit = 1024;

    /// <summary>Length in bytes of <see cref="Encode(Transaction)"/>.</summary>
    public static int GetEncodedLength(Transaction tx) => EnvelopeLength(tx, forSigning: false);

    /// <summary>The canonical network encoding; its Keccak-256 is the transaction hash.</summary>
    public static byte[] Encode(Transaction tx)
    {
        var result = new byte[GetEncodedLength(tx)];
        Write(tx, result, forSigning: false);
        return result;
    }

    /// <summary>Writes the network encoding into <paramref name="destination"/>; returns the bytes written.</summary>
    public static int Encode(Transaction tx, Span<byte> destination)
    {
        var length = GetEncodedLength(tx);
        if (destination.Length < length)
            throw new ArgumentException($"destination holds {destination.Length} bytes, the transaction needs {length}", nameof(destination));
        Write(tx, destination[..length], forSigning: false);
        return length;
    }

    /// <summary>The bytes a signature commits to (hash them with Keccak-256 to sign).</summary>
    public static byte[] EncodeForSigning(Transaction tx)
    {
        var result = new byte[EnvelopeLength(tx, forSigning: true)];
        Write(tx, result, forSigning: true);
        return result;
    }

    /// <summary>Keccak-256 of <see cref="EncodeForSigning"/>, without allocating for ordinary sizes.</summary>
    public static Hash256 ComputeSigningHash(Transaction tx)
    {
        var length = EnvelopeLength(tx, forSigning: true);
        if (length <= StackLimit)
        {
            Span<byte> buffer = stackalloc byte[length];
            Write(tx, buffer, forSigning: true);
            return Keccak256.Compute(buffer);
        }
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            var buffer = rented.AsSpan(0, length);
            Write(tx, buffer, forSigning: true);
            return Keccak256.Compute(buffer);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    private static int EnvelopeLength(Transaction tx, bool forSigning)
    {
        var list = Rlp.LengthOfList(PayloadLength(tx, forSigning));
        return tx.Type == TxType.Legacy ? list : checked(1 + list);
    }

    private static void Write(Transaction tx, Span<byte> destination, bool forSigning)
    {
        var writer = new TransactionRlpWriter(destination);
        if (tx.Type != TxType.Legacy) writer.WriteByte((byte)tx.Type);
        writer.WriteListHeader(PayloadLength(tx, forSigning));
        if (tx.Type == TxType.Legacy) WriteLegacyFields(ref writer, tx, forSigning);
        else WriteTypedFields(ref writer, tx, forSigning);
        if (writer.Position != destination.Length)
            throw new InvalidOperationException($"transaction encoder wrote {writer.Position} bytes, computed {destination.Length}");
    }

    private static int PayloadLength(Transaction tx, bool forSigning)
    {
        checked
        {
            var length = 0;
            if (tx.Type == TxType.Legacy)
            {
                length = Rlp.LengthOfUInt64(tx.Nonce)
                    + Rlp.LengthOfUInt256(tx.GasPrice)
                    + Rlp.LengthOfUInt64(tx.GasLimit)
                    + TransactionRlpWriter.AddressLength(tx.To)
                    + Rlp.LengthOfUInt256(tx.Value)
                    + Rlp.LengthOfBytes(tx.Data);
                if (!forSigning) length += SignatureLength(tx);
                else if (tx.ChainId is { } chainId) length += Rlp.LengthOfUInt64(chainId) + 2; // EIP-155: chainId, 0, 0
                return length;
            }

            CheckTypedFields(tx);
            length = Rlp.LengthOfUInt64(tx.ChainId!.Value) + Rlp.LengthOfUInt64(tx.Nonce);
            if (tx.Type == TxType.AccessList)
                length += Rlp.LengthOfUInt256(tx.GasPrice);
            else
                length += Rlp.LengthOfUInt256(tx.MaxPriorityFeePerGas) + Rlp.LengthOfUInt256(tx.MaxFeePerGas);
            length += Rlp.LengthOfUInt64(tx.GasLimit)
                + TransactionRlpWriter.AddressLength(tx.To)
                + Rlp.LengthOfUInt256(tx.Value)
                + Rlp.LengthOfBytes(tx.Data)
                + Rlp.LengthOfList(AccessListPayloadLength(tx.AccessList));
            if (tx.Type == TxType.Blob)
                length += Rlp.LengthOfUInt256(tx.MaxFeePerBlobGas)
                    + Rlp.LengthOfList(tx.BlobVersionedHashes.Count * TransactionRlpWriter.WordLength);
            if (!forSigning) length += SignatureLength(tx);
            return length;
        }
    }

    private static void CheckTypedFields(Transaction tx)
    {
        if (tx.Type is not (TxType.AccessList or TxType.DynamicFee or TxType.Blob))
            throw new ArgumentException($"cannot encode transaction type {(byte)tx.Type}", nameof(tx));
        if (tx.ChainId is null)
            throw new ArgumentException($"a {tx.Type} transaction needs a chain id", nameof(tx));
        if (tx.Type == TxType.Blob && tx.To is null)
            throw new ArgumentException("a blob transaction cannot create a contract: 'to' is required", nameof(tx));
    }

    private static int SignatureLength(Transaction tx) =>
        Rlp.LengthOfUInt256(tx.V) + Rlp.LengthOfUInt256(tx.R) + Rlp.LengthOfUInt256(tx.S);

    private static int AccessListPayloadLength(IReadOnlyList<AccessListEntry> accessList)
    {
        checked
        {
            var length = 0;
            for (var i = 0; i < accessList.Count; i++)
                length += Rlp.LengthOfList(EntryPayloadLength(accessList[i]));
            return length;
        }
    }

    // [address, [key, ...]]: 21 bytes for the address, 33 per 32-byte key
    private static int EntryPayloadLength(AccessListEntry entry) =>
        checked(21 + Rlp.LengthOfList(entry.StorageKeys.Count * TransactionRlpWriter.WordLength));

    private static void WriteLegacyFields(ref TransactionRlpWriter writer, Transaction tx, bool forSigning)
    {
        writer.WriteUInt64(tx.Nonce);
        writer.WriteUInt256(tx.GasPrice);
        writer.WriteUInt64(tx.GasLimit);
        writer.WriteAddress(tx.To);
        writer.WriteUInt256(tx.Value);
        writer.WriteBytes(tx.Data);
        if (!forSigning)
        {
            WriteSignature(ref writer, tx);
        }
        else if (tx.ChainId is { } chainId)
        {
            writer.WriteUInt64(chainId);
            writer.WriteUInt64(0);
            writer.WriteUInt64(0);
        }
    }

    private static void WriteTypedFields(ref TransactionRlpWriter writer, Transaction tx, bool forSigning)
    {
        writer.WriteUInt64(tx.ChainId!.Value);
        writer.WriteUInt64(tx.Nonce);
        if (tx.Type == TxType.AccessList)
        {
            writer.WriteUInt256(tx.GasPrice);
        }
        else
        {
            writer.WriteUInt256(tx.MaxPriorityFeePerGas);
            writer.WriteUInt256(tx.MaxFeePerGas);
        }
        writer.WriteUInt64(tx.GasLimit);
        writer.WriteAddress(tx.To);
        writer.WriteUInt256(tx.Value);
        writer.WriteBytes(tx.Data);
        WriteAccessList(ref writer, tx.AccessList);
        if (tx.Type == TxType.Blob)
        {
            writer.WriteUInt256(tx.MaxFeePerBlobGas);
            var hashes = tx.BlobVersionedHashes;
            writer.WriteListHeader(hashes.Count * TransactionRlpWriter.WordLength);
            for (var i = 0; i < hashes.Count; i++) writer.WriteHash(hashes[i]);
        }
        if (!forSigning) WriteSignature(ref writer, tx);
    }

    private static void WriteAccessList(ref TransactionRlpWriter writer, IReadOnlyList<AccessListEntry> accessList)
    {
        writer.WriteListHeader(AccessListPayloadLength(accessList));
        for (var i = 0; i < accessList.Count; i++)
        {
            var entry = accessList[i];
            writer.WriteListHeader(EntryPayloadLength(entry));
            writer.WriteAddress(entry.Address);
            var keys = entry.StorageKeys;
            writer.WriteListHeader(keys.Count * TransactionRlpWriter.WordLength);
            for (var k = 0; k < keys.Count; k++) writer.WriteWord(keys[k]);
        }
    }

    private static void WriteSignature(ref TransactionRlpWriter writer, Transaction tx)
    {
        writer.WriteUInt256(tx.V);
        writer.WriteUInt256(tx.R);
        writer.WriteUInt256(tx.S);
    }
}
