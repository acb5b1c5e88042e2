using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Evm;

namespace Thalamus.Storage;

/// <summary>
/// A receipt as stored beside its transaction: everything but the logs (kept once, in the log
/// index) and the bloom (recomputed from the logs). rlp([type, status, cumulativeGas, gasUsed,
/// effectiveGasPrice, from, to|"", contract|"", blobGasUsed, [blobGasPrice]|[], firstLogIndex, logCount]).
/// </summary>
internal static class ReceiptCodec
{
    public static byte[] Encode(TransactionReceipt receipt)
    {
        var writer = new RlpWriter(128);
        var list = writer.StartList();
        writer.WriteUInt64((byte)receipt.Receipt.TxType);
        writer.WriteUInt64(receipt.Receipt.StatusCode);
        writer.WriteUInt64(receipt.Receipt.CumulativeGasUsed);
        writer.WriteUInt64(receipt.GasUsed);
        writer.WriteUInt256(receipt.EffectiveGasPrice);
        writer.WriteAddress(receipt.From);
        if (receipt.To is { } to) writer.WriteAddress(to); else writer.WriteBytes([]);
        if (receipt.ContractAddress is { } contract) writer.WriteAddress(contract); else writer.WriteBytes([]);
        writer.WriteUInt64(receipt.BlobGasUsed);
        var blob = writer.StartList();
        if (receipt.BlobGasPrice is { } price) writer.WriteUInt256(price);
        writer.EndList(blob);
        writer.WriteUInt64((ulong)receipt.FirstLogIndex);
        writer.WriteUInt64((ulong)receipt.Receipt.Logs.Count);
        writer.EndList(list);
        return writer.ToArray();
    }

    /// <summary>The receipt fields without logs.</summary>
    public readonly record struct Fields(
        TxType Type, bool Success, ulong CumulativeGasUsed, ulong GasUsed, UInt256 EffectiveGasPrice,
        Address From, Address? To, Address? ContractAddress, ulong BlobGasUsed, UInt256? BlobGasPrice,
        int FirstLogIndex, int LogCount);

    /// <exception cref="StorageException">the stored bytes are not a receipt this codec wrote.</exception>
    public static Fields Decode(ReadOnlySpan<byte> encoded)
    {
        try
        {
            var outer = new RlpReader(encoded);
            var r = outer.ReadList();
            outer.EnsureEnd();
            var type = r.ReadUInt64();
            if (type > (byte)TxType.Blob) throw new RlpException($"unknown transaction type {type}");
            var status = r.ReadUInt64();
            if (status > 1) throw new RlpException($"status {status}");
            var cumulative = r.ReadUInt64();
            var gasUsed = r.ReadUInt64();
            var price = r.ReadUInt256();
            var from = r.ReadAddress();
            var to = ReadOptionalAddress(ref r);
            var contract = ReadOptionalAddress(ref r);
            var blobGasUsed = r.ReadUInt64();
            var blobList = r.ReadList();
            UInt256? blobPrice = blobList.HasMore ? blobList.ReadUInt256() : null;
            blobList.EnsureEnd();
            var firstLog = r.ReadUInt64();
            var logCount = r.ReadUInt64();
            r.EnsureEnd();
            if (firstLog > int.MaxValue || logCount > int.MaxValue) throw new RlpException("log position out of range");
            return new Fields((TxType)type, status == 1, cumulative, gasUsed, price, from, to, contract, blobGasUsed, blobPrice, (int)firstLog, (int)logCount);
        }
        catch (RlpException e)
        {
            throw new StorageException($"a stored receipt is corrupt: {e.Message}", e);
        }
    }

    public static TransactionReceipt Build(in Fields fields, IReadOnlyList<LogEntry> logs, Hash256 txHash, int txIndex, Hash256 blockHash, ulong blockNumber) => new()
    {
        Receipt = new Receipt(fields.Type, fields.Success, fields.CumulativeGasUsed, logs),
        TransactionHash = txHash,
        TransactionIndex = txIndex,
        BlockHash = blockHash,
        BlockNumber = blockNumber,
        From = fields.From,
        To = fields.To,
        ContractAddress = fields.ContractAddress,
        GasUsed = fields.GasUsed,
        EffectiveGasPrice = fields.EffectiveGasPrice,
        BlobGasUsed = fields.BlobGasUsed,
        BlobGasPrice = fields.BlobGasPrice,
        FirstLogIndex = fields.FirstLogIndex,
    };

    private static Address? ReadOptionalAddress(ref RlpReader reader)
    {
        var bytes = reader.ReadBytes();
        if (bytes.IsEmpty) return null;
        if (bytes.Length != Address.Length) throw new RlpException($"an address is 20 bytes, got {bytes.Length}");
        return new Address(bytes);
    }
}
