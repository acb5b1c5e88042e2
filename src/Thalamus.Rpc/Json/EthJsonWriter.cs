using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Rpc;

/// <summary>
/// Writes blocks, headers, transactions, receipts and logs in the shape geth returns them
/// (the shape ethers.js, viem and web3.js parse), straight to a <see cref="Utf8JsonWriter"/>.
/// </summary>
internal static class EthJsonWriter
{
    private static readonly JsonEncodedText Hash = JsonEncodedText.Encode("hash");
    private static readonly JsonEncodedText ParentHash = JsonEncodedText.Encode("parentHash");
    private static readonly JsonEncodedText Sha3Uncles = JsonEncodedText.Encode("sha3Uncles");
    private static readonly JsonEncodedText Miner = JsonEncodedText.Encode("miner");
    private static readonly JsonEncodedText StateRoot = JsonEncodedText.Encode("stateRoot");
    private static readonly JsonEncodedText TransactionsRoot = JsonEncodedText.Encode("transactionsRoot");
    private static readonly JsonEncodedText ReceiptsRoot = JsonEncodedText.Encode("receiptsRoot");
    private static readonly JsonEncodedText LogsBloom = JsonEncodedText.Encode("logsBloom");
    private static readonly JsonEncodedText Difficulty = JsonEncodedText.Encode("difficulty");
    private static readonly JsonEncodedText TotalDifficulty = JsonEncodedText.Encode("totalDifficulty");
    private static readonly JsonEncodedText Number = JsonEncodedText.Encode("number");
    private static readonly JsonEncodedText GasLimit = JsonEncodedText.Encode("gasLimit");
    private static readonly JsonEncodedText GasUsed = JsonEncodedText.Encode("gasUsed");
    private static readonly JsonEncodedText Timestamp = JsonEncodedText.Encode("timestamp");
    private static readonly JsonEncodedText ExtraData = JsonEncodedText.Encode("extraData");
    private static readonly JsonEncodedText MixHash = JsonEncodedText.Encode("mixHash");
    private static readonly JsonEncodedText Nonce = JsonEncodedText.Encode("nonce");
    private static readonly JsonEncodedText BaseFeePerGas = JsonEncodedText.Encode("baseFeePerGas");
    private static readonly JsonEncodedText WithdrawalsRoot = JsonEncodedText.Encode("withdrawalsRoot");
    private static readonly JsonEncodedText Withdrawals = JsonEncodedText.Encode("withdrawals");
    private static readonly JsonEncodedText BlobGasUsed = JsonEncodedText.Encode("blobGasUsed");
    private static readonly JsonEncodedText ExcessBlobGas = JsonEncodedText.Encode("excessBlobGas");
    private static readonly JsonEncodedText ParentBeaconBlockRoot = JsonEncodedText.Encode("parentBeaconBlockRoot");
    private static readonly JsonEncodedText Size = JsonEncodedText.Encode("size");
    private static readonly JsonEncodedText Transactions = JsonEncodedText.Encode("transactions");
    private static readonly JsonEncodedText Uncles = JsonEncodedText.Encode("uncles");

    private static readonly JsonEncodedText BlockHash = JsonEncodedText.Encode("blockHash");
    private static readonly JsonEncodedText BlockNumber = JsonEncodedText.Encode("blockNumber");
    private static readonly JsonEncodedText From = JsonEncodedText.Encode("from");
    private static readonly JsonEncodedText Gas = JsonEncodedText.Encode("gas");
    private static readonly JsonEncodedText GasPrice = JsonEncodedText.Encode("gasPrice");
    private static readonly JsonEncodedText MaxFeePerGas = JsonEncodedText.Encode("maxFeePerGas");
    private static readonly JsonEncodedText MaxPriorityFeePerGas = JsonEncodedText.Encode("maxPriorityFeePerGas");
    private static readonly JsonEncodedText MaxFeePerBlobGas = JsonEncodedText.Encode("maxFeePerBlobGas");
    private static readonly JsonEncodedText BlobVersionedHashes = JsonEncodedText.Encode("blobVersionedHashes");
    private static readonly JsonEncodedText Input = JsonEncodedText.Encode("input");
    private static readonly JsonEncodedText To = JsonEncodedText.Encode("to");
    private static readonly JsonEncodedText TransactionIndex = JsonEncodedText.Encode("transactionIndex");
    private static readonly JsonEncodedText Value = JsonEncodedText.Encode("value");
    private static readonly JsonEncodedText Type = JsonEncodedText.Encode("type");
    private static readonly JsonEncodedText AccessList = JsonEncodedText.Encode("accessList");
    private static readonly JsonEncodedText Address = JsonEncodedText.Encode("address");
    private static readonly JsonEncodedText StorageKeys = JsonEncodedText.Encode("storageKeys");
    private static readonly JsonEncodedText ChainId = JsonEncodedText.Encode("chainId");
    private static readonly JsonEncodedText V = JsonEncodedText.Encode("v");
    private static readonly JsonEncodedText R = JsonEncodedText.Encode("r");
    private static readonly JsonEncodedText S = JsonEncodedText.Encode("s");
    private static readonly JsonEncodedText YParity = JsonEncodedText.Encode("yParity");

    private static readonly JsonEncodedText TransactionHash = JsonEncodedText.Encode("transactionHash");
    private static readonly JsonEncodedText CumulativeGasUsed = JsonEncodedText.Encode("cumulativeGasUsed");
    private static readonly JsonEncodedText EffectiveGasPrice = JsonEncodedText.Encode("effectiveGasPrice");
    private static readonly JsonEncodedText ContractAddress = JsonEncodedText.Encode("contractAddress");
    private static readonly JsonEncodedText Logs = JsonEncodedText.Encode("logs");
    private static readonly JsonEncodedText Status = JsonEncodedText.Encode("status");
    private static readonly JsonEncodedText BlobGasPrice = JsonEncodedText.Encode("blobGasPrice");

    private static readonly JsonEncodedText Topics = JsonEncodedText.Encode("topics");
    private static readonly JsonEncodedText Data = JsonEncodedText.Encode("data");
    private static readonly JsonEncodedText LogIndex = JsonEncodedText.Encode("logIndex");
    private static readonly JsonEncodedText Removed = JsonEncodedText.Encode("removed");

    /// <param name="extra">Writes more properties into the block object (eth_simulateV1's <c>calls</c>).</param>
    public static void WriteBlock(Utf8JsonWriter w, Block block, bool fullTransactions, Action<Utf8JsonWriter>? extra = null)
    {
        w.WriteStartObject();
        WriteHeaderFields(w, block.Header);
        w.WriteQuantity(Size, (ulong)block.Encode().Length);
        w.WritePropertyName(Transactions);
        w.WriteStartArray();
        var txs = block.Transactions;
        for (var i = 0; i < txs.Count; i++)
        {
            if (fullTransactions) WriteTransaction(w, txs[i], new TransactionLocation(block.Hash, block.Number, i), block.Header.BaseFeePerGas);
            else w.WriteHash(txs[i].Hash);
        }
        w.WriteEndArray();
        w.WritePropertyName(Uncles);
        w.WriteStartArray();
        w.WriteEndArray();
        w.WritePropertyName(Withdrawals);
        w.WriteStartArray();
        foreach (var wd in block.Withdrawals)
        {
            w.WriteStartObject();
            w.WriteQuantity(JsonEncodedText.Encode("index"), wd.Index);
            w.WriteQuantity(JsonEncodedText.Encode("validatorIndex"), wd.ValidatorIndex);
            w.WriteAddress(Address, wd.Address);
            w.WriteQuantity(JsonEncodedText.Encode("amount"), wd.AmountGwei);
            w.WriteEndObject();
        }
        w.WriteEndArray();
        extra?.Invoke(w);
        w.WriteEndObject();
    }

    /// <summary>A header as the newHeads subscription sends it.</summary>
    public static void WriteHeader(Utf8JsonWriter w, BlockHeader header)
    {
        w.WriteStartObject();
        WriteHeaderFields(w, header);
        w.WriteEndObject();
    }

    private static void WriteHeaderFields(Utf8JsonWriter w, BlockHeader h)
    {
        w.WriteHash(Hash, h.Hash);
        w.WriteHash(ParentHash, h.ParentHash);
        w.WriteHash(Sha3Uncles, h.OmmersHash);
        w.WriteAddress(Miner, h.Coinbase);
        w.WriteHash(StateRoot, h.StateRoot);
        w.WriteHash(TransactionsRoot, h.TransactionsRoot);
        w.WriteHash(ReceiptsRoot, h.ReceiptsRoot);
        w.WriteData(LogsBloom, h.LogsBloom.Bytes);
        w.WriteQuantity(Difficulty, h.Difficulty);
        w.WriteQuantity(TotalDifficulty, h.Difficulty);
        w.WriteQuantity(Number, h.Number);
        w.WriteQuantity(GasLimit, h.GasLimit);
        w.WriteQuantity(GasUsed, h.GasUsed);
        w.WriteQuantity(Timestamp, h.Timestamp);
        w.WriteData(ExtraData, h.ExtraData);
        w.WriteHash(MixHash, h.PrevRandao);
        Span<byte> nonce = stackalloc byte[8];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(nonce, h.Nonce);
        w.WriteData(Nonce, nonce);
        w.WriteQuantity(BaseFeePerGas, h.BaseFeePerGas);
        w.WriteHash(WithdrawalsRoot, h.WithdrawalsRoot);
        w.WriteQuantity(BlobGasUsed, h.BlobGasUsed);
        w.WriteQuantity(ExcessBlobGas, h.ExcessBlobGas);
        w.WriteHash(ParentBeaconBlockRoot, h.ParentBeaconBlockRoot);
    }

    /// <param name="location">Null for a pooled (pending) transaction.</param>
    /// <param name="baseFee">The including block's base fee (for the effective gas price), ignored when pending.</param>
    public static void WriteTransaction(Utf8JsonWriter w, Transaction tx, TransactionLocation? location, UInt256 baseFee)
    {
        w.WriteStartObject();
        if (location is { } loc)
        {
            w.WriteHash(BlockHash, loc.BlockHash);
            w.WriteQuantity(BlockNumber, loc.BlockNumber);
            w.WriteQuantity(TransactionIndex, (ulong)loc.Index);
        }
        else
        {
            w.WriteNull(BlockHash);
            w.WriteNull(BlockNumber);
            w.WriteNull(TransactionIndex);
        }
        w.WriteHash(Hash, tx.Hash);
        w.WriteQuantity(Type, (ulong)tx.Type);
        w.WriteAddress(From, SenderOf(tx));
        w.WriteAddressOrNull(To, tx.To);
        w.WriteQuantity(Nonce, tx.Nonce);
        w.WriteQuantity(Gas, tx.GasLimit);
        w.WriteQuantity(Value, tx.Value);
        w.WriteData(Input, tx.Data);
        if (tx.Type is TxType.Legacy or TxType.AccessList)
        {
            w.WriteQuantity(GasPrice, tx.GasPrice);
        }
        else
        {
            w.WriteQuantity(GasPrice, location is null ? tx.MaxFeePerGas : EffectivePrice(tx, baseFee));
            w.WriteQuantity(MaxFeePerGas, tx.MaxFeePerGas);
            w.WriteQuantity(MaxPriorityFeePerGas, tx.MaxPriorityFeePerGas);
        }
        if (tx.Type == TxType.Blob)
        {
            w.WriteQuantity(MaxFeePerBlobGas, tx.MaxFeePerBlobGas);
            w.WritePropertyName(BlobVersionedHashes);
            w.WriteStartArray();
            foreach (var h in tx.BlobVersionedHashes) w.WriteHash(h);
            w.WriteEndArray();
        }
        if (tx.Type != TxType.Legacy)
        {
            w.WritePropertyName(AccessList);
            w.WriteStartArray();
            foreach (var entry in tx.AccessList)
            {
                w.WriteStartObject();
                w.WriteAddress(Address, entry.Address);
                w.WritePropertyName(StorageKeys);
                w.WriteStartArray();
                foreach (var key in entry.StorageKeys) w.WriteWord(key);
                w.WriteEndArray();
                w.WriteEndObject();
            }
            w.WriteEndArray();
        }
        if (tx.ChainId is { } chainId) w.WriteQuantity(ChainId, chainId);
        w.WriteQuantity(V, tx.V);
        w.WriteQuantity(R, tx.R);
        w.WriteQuantity(S, tx.S);
        if (tx.Type != TxType.Legacy) w.WriteQuantity(YParity, tx.V);
        w.WriteEndObject();
    }

    public static void WriteReceipt(Utf8JsonWriter w, TransactionReceipt r)
    {
        w.WriteStartObject();
        w.WriteHash(TransactionHash, r.TransactionHash);
        w.WriteQuantity(TransactionIndex, (ulong)r.TransactionIndex);
        w.WriteHash(BlockHash, r.BlockHash);
        w.WriteQuantity(BlockNumber, r.BlockNumber);
        w.WriteAddress(From, r.From);
        w.WriteAddressOrNull(To, r.To);
        w.WriteQuantity(CumulativeGasUsed, r.CumulativeGasUsed);
        w.WriteQuantity(GasUsed, r.GasUsed);
        w.WriteQuantity(EffectiveGasPrice, r.EffectiveGasPrice);
        w.WriteAddressOrNull(ContractAddress, r.ContractAddress);
        w.WritePropertyName(Logs);
        w.WriteStartArray();
        foreach (var log in r.Logs) WriteLog(w, log);
        w.WriteEndArray();
        w.WriteData(LogsBloom, r.LogsBloom.Bytes);
        w.WriteQuantity(Type, (ulong)r.Type);
        w.WriteQuantity(Status, r.Status);
        if (r.Type == TxType.Blob)
        {
            w.WriteQuantity(BlobGasUsed, r.BlobGasUsed);
            if (r.BlobGasPrice is { } price) w.WriteQuantity(BlobGasPrice, price);
        }
        w.WriteEndObject();
    }

    public static void WriteLog(Utf8JsonWriter w, LogRecord log)
    {
        w.WriteStartObject();
        w.WriteAddress(Address, log.Address);
        w.WritePropertyName(Topics);
        w.WriteStartArray();
        foreach (var t in log.Topics) w.WriteHash(t);
        w.WriteEndArray();
        w.WriteData(Data, log.Data);
        w.WriteQuantity(BlockNumber, log.BlockNumber);
        w.WriteHash(TransactionHash, log.TransactionHash);
        w.WriteQuantity(TransactionIndex, (ulong)log.TransactionIndex);
        w.WriteHash(BlockHash, log.BlockHash);
        w.WriteQuantity(LogIndex, (ulong)log.LogIndex);
        w.WriteBoolean(Removed, log.Removed);
        w.WriteEndObject();
    }

    public static void WriteFeeHistory(Utf8JsonWriter w, FeeHistory history)
    {
        w.WriteStartObject();
        w.WriteQuantity(JsonEncodedText.Encode("oldestBlock"), history.OldestBlock);
        w.WritePropertyName(BaseFeePerGas);
        WriteQuantities(w, history.BaseFeePerGas);
        w.WritePropertyName("gasUsedRatio"u8);
        WriteDoubles(w, history.GasUsedRatio);
        w.WritePropertyName("baseFeePerBlobGas"u8);
        WriteQuantities(w, history.BaseFeePerBlobGas);
        w.WritePropertyName("blobGasUsedRatio"u8);
        WriteDoubles(w, history.BlobGasUsedRatio);
        if (history.Reward is { } reward)
        {
            w.WritePropertyName("reward"u8);
            w.WriteStartArray();
            foreach (var block in reward) WriteQuantities(w, block);
            w.WriteEndArray();
        }
        w.WriteEndObject();
    }

    /// <summary>What a 1559-style transaction paid per gas in a block with <paramref name="baseFee"/>.</summary>
    public static UInt256 EffectivePrice(Transaction tx, UInt256 baseFee)
    {
        if (tx.Type is TxType.Legacy or TxType.AccessList) return tx.GasPrice;
        if (tx.MaxFeePerGas <= baseFee) return tx.MaxFeePerGas;
        var headroom = tx.MaxFeePerGas - baseFee;
        return baseFee + (tx.MaxPriorityFeePerGas < headroom ? tx.MaxPriorityFeePerGas : headroom);
    }

    /// <summary>
    /// A stored transaction was validated when it entered the pool (an impersonated one names its
    /// sender in its marker signature); a bad signature here is a store bug, shown as the zero
    /// address rather than a failed response.
    /// </summary>
    private static Address SenderOf(Transaction tx)
    {
        try
        {
            return tx.ResolveSender();
        }
        catch (InvalidTransactionException)
        {
            return Core.Address.Zero;
        }
    }

    private static void WriteQuantities(Utf8JsonWriter w, IReadOnlyList<UInt256> values)
    {
        w.WriteStartArray();
        foreach (var v in values) w.WriteQuantity(v);
        w.WriteEndArray();
    }

    private static void WriteDoubles(Utf8JsonWriter w, IReadOnlyList<double> values)
    {
        w.WriteStartArray();
        foreach (var v in values) w.WriteNumberValue(double.IsFinite(v) ? v : 0);
        w.WriteEndArray();
    }
}
