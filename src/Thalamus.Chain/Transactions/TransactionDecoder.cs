using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>
/// Decodes the canonical network encoding of a transaction: a legacy RLP list, or an EIP-2718
/// envelope <c>type || rlp([...])</c> for types 0x01 (EIP-2930), 0x02 (EIP-1559) and 0x03
/// (EIP-4844, without the blob sidecar). Strict: the RLP must be canonical, every field must be
/// of the right kind and size, and no byte may trail the transaction.
/// </summary>
/// <remarks>
/// Decoding checks structure only. Chain id, intrinsic gas and the other rules that need a
/// context are <see cref="TransactionValidator"/>'s; the signature rules are
/// <see cref="Transaction.RecoverSender"/>'s.
/// </remarks>
public static partial class TransactionDecoder
{
    private const int LegacyFieldCount = 9;
    private const int AccessListFieldCount = 11;
    private const int DynamicFeeFieldCount = 12;
    private const int BlobFieldCount = 14;

    /// <exception cref="TransactionDecodingException">the bytes are not a valid transaction encoding.</exception>
    public static Transaction Decode(ReadOnlySpan<byte> raw)
    {
        if (raw.IsEmpty) throw new TransactionDecodingException("empty input: a transaction needs at least one byte");
        var first = raw[0];
        Transaction tx;
        try
        {
            if (first >= 0xc0) tx = DecodeLegacy(raw);
            else if (first <= 0x7f) tx = DecodeTyped(first, raw[1..]);
            else throw new TransactionDecodingException(
                $"a transaction must be an RLP list (legacy) or a type byte 0x01-0x03 followed by an RLP list; got an RLP string (first byte 0x{first:x2})");
        }
        catch (RlpException e)
        {
            throw new TransactionDecodingException($"malformed RLP: {e.Message}", e);
        }
        // The input is canonical (anything else was rejected), so it is the encoding the hash covers.
        tx.SetHash(Keccak256.Compute(raw));
        return tx;
    }

    /// <summary>Like <see cref="Decode"/>, reporting failure as a message instead of an exception.</summary>
    public static bool TryDecode(ReadOnlySpan<byte> raw, out Transaction? transaction, out string? error)
    {
        try
        {
            transaction = Decode(raw);
            error = null;
            return true;
        }
        catch (TransactionDecodingException e)
        {
            transaction = null;
            error = e.Message;
            return false;
        }
    }

    private static Transaction DecodeLegacy(ReadOnlySpan<byte> raw)
    {
        var fields = OpenFieldList(raw, "legacy transaction");
        ExpectFieldCount(fields, LegacyFieldCount, "legacy transaction", "[nonce, gasPrice, gasLimit, to, value, data, v, r, s]");

        var nonce = ReadUInt64(ref fields, "nonce");
        var gasPrice = ReadUInt256(ref fields, "gasPrice");
        var gasLimit = ReadUInt64(ref fields, "gasLimit");
        var to = ReadRecipient(ref fields, allowCreate: true);
        var value = ReadUInt256(ref fields, "value");
        var data = ReadString(ref fields, "data").ToArray();
        var v = ReadUInt256(ref fields, "v");
        var r = ReadUInt256(ref fields, "r");
        var s = ReadUInt256(ref fields, "s");

        return new Transaction
        {
            Type = TxType.Legacy,
            ChainId = ChainIdFromLegacyV(v),
            Nonce = nonce,
            GasPrice = gasPrice,
            GasLimit = gasLimit,
            To = to,
            Value = value,
            Data = data,
            V = v,
            R = r,
            S = s,
        };
    }

    /// <summary>v = 27/28 means no chain id; v = chainId*2+35/36 is EIP-155; nothing else is a legacy v.</summary>
    private static ulong? ChainIdFromLegacyV(in UInt256 v)
    {
        if (v == 27 || v == 28) return null;
        if (v < 35)
            throw new TransactionDecodingException($"invalid v {v}: a legacy transaction needs v = 27 or 28, or chainId*2+35 or chainId*2+36 (EIP-155)");
        var chainId = (v - 35) >> 1;
        if (!chainId.IsUInt64)
            throw new TransactionDecodingException($"invalid v {v.ToHexString()}: the chain id it encodes exceeds 2^64-1");
        return (ulong)chainId;
    }

    private static Transaction DecodeTyped(byte type, ReadOnlySpan<byte> payload) => type switch
    {
        (byte)TxType.AccessList => DecodeTypedFields(TxType.AccessList, payload, "EIP-2930 transaction", AccessListFieldCount,
            "[chainId, nonce, gasPrice, gasLimit, to, value, data, accessList, yParity, r, s]"),
        (byte)TxType.DynamicFee => DecodeTypedFields(TxType.DynamicFee, payload, "EIP-1559 transaction", DynamicFeeFieldCount,
            "[chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList, yParity, r, s]"),
        (byte)TxType.Blob => DecodeTypedFields(TxType.Blob, payload, "EIP-4844 transaction", BlobFieldCount,
            "[chainId, nonce, maxPriorityFeePerGas, maxFeePerGas, gasLimit, to, value, data, accessList, maxFeePerBlobGas, blobVersionedHashes, yParity, r, s]"),
        _ => throw new TransactionDecodingException($"transaction type 0x{type:x2} is not supported (Cancun knows 0x01, 0x02 and 0x03)"),
    };

    /// <summary>
    /// The three typed payloads share one field order: chainId, nonce, the fee fields (gasPrice for
    /// EIP-2930; the two caps otherwise), gasLimit, to, value, data, accessList, the blob fields
    /// (EIP-4844 only), yParity, r, s.
    /// </summary>
    private static Transaction DecodeTypedFields(TxType type, ReadOnlySpan<byte> payload, string label, int fieldCount, string shape)
    {
        var fields = OpenFieldList(payload, label);
        if (type == TxType.Blob && fields.HasMore && fields.NextIsList)
            throw new TransactionDecodingException(
                "EIP-4844 transaction in the pooled form [tx, blobs, commitments, proofs] is not supported here; pass the transaction without its blob sidecar");
        ExpectFieldCount(fields, fieldCount, label, shape);
        var chainId = ReadUInt64(ref fields, "chainId");
        var nonce = ReadUInt64(ref fields, "nonce");
        UInt256 gasPrice = default, maxPriorityFee = default, maxFee = default;
        if (type == TxType.AccessList)
        {
            gasPrice = ReadUInt256(ref fields, "gasPrice");
        }
        else
        {
            maxPriorityFee = ReadUInt256(ref fields, "maxPriorityFeePerGas");
            maxFee = ReadUInt256(ref fields, "maxFeePerGas");
        }
        var gasLimit = ReadUInt64(ref fields, "gasLimit");
        var to = ReadRecipient(ref fields, allowCreate: type != TxType.Blob);
        var value = ReadUInt256(ref fields, "value");
        var data = ReadString(ref fields, "data").ToArray();
        var accessList = ReadAccessList(ref fields);
        UInt256 maxFeePerBlobGas = default;
        IReadOnlyList<Hash256> blobHashes = [];
        if (type == TxType.Blob)
        {
            maxFeePerBlobGas = ReadUInt256(ref fields, "maxFeePerBlobGas");
            blobHashes = ReadBlobHashes(ref fields);
        }
        var yParity = ReadYParity(ref fields);
        var r = ReadUInt256(ref fields, "r");
        var s = ReadUInt256(ref fields, "s");
        return new Transaction
        {
            Type = type,
            ChainId = chainId,
            Nonce = nonce,
            GasPrice = gasPrice,
            MaxPriorityFeePerGas = maxPriorityFee,
            MaxFeePerGas = maxFee,
            GasLimit = gasLimit,
            To = to,
            Value = value,
            Data = data,
            AccessList = accessList,
            MaxFeePerBlobGas = maxFeePerBlobGas,
            BlobVersionedHashes = blobHashes,
            V = yParity,
            R = r,
            S = s,
        };
    }
}
