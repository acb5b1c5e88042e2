using System.Text.Json;
using Thalamus.Chain;

namespace Thalamus.Rpc;

public sealed partial class RpcDispatcher
{
    private void GetBlockByNumber(ref ParamReader p, Utf8JsonWriter w)
    {
        var block = p.ReadBlockTag("block");
        var full = p.ReadOptionalBool("fullTransactions", false);
        p.End();
        WriteBlockOrNull(w, Backend.GetBlock(block), full);
    }

    private void GetBlockByHash(ref ParamReader p, Utf8JsonWriter w)
    {
        var hash = p.ReadHash("blockHash");
        var full = p.ReadOptionalBool("fullTransactions", false);
        p.End();
        WriteBlockOrNull(w, Backend.GetBlock(BlockSelector.FromHash(hash)), full);
    }

    private static void WriteBlockOrNull(Utf8JsonWriter w, Block? block, bool full)
    {
        if (block is null) w.WriteNullValue();
        else EthJsonWriter.WriteBlock(w, block, full);
    }

    private BlockSelector ReadBlockRef(ref ParamReader p, bool byHash) =>
        byHash ? BlockSelector.FromHash(p.ReadHash("blockHash")) : p.ReadBlockTag("block");

    private void GetBlockTransactionCount(ref ParamReader p, Utf8JsonWriter w, bool byHash)
    {
        var selector = ReadBlockRef(ref p, byHash);
        p.End();
        var block = Backend.GetBlock(selector);
        if (block is null) w.WriteNullValue();
        else w.WriteQuantity((ulong)block.Transactions.Count);
    }

    private void GetTransactionByBlockAndIndex(ref ParamReader p, Utf8JsonWriter w, bool byHash)
    {
        var selector = ReadBlockRef(ref p, byHash);
        var index = p.ReadQuantity("index");
        p.End();
        var block = Backend.GetBlock(selector);
        if (block is null || index >= (ulong)block.Transactions.Count)
        {
            w.WriteNullValue();
            return;
        }
        var i = (int)index;
        EthJsonWriter.WriteTransaction(w, block.Transactions[i], new TransactionLocation(block.Hash, block.Number, i), block.Header.BaseFeePerGas);
    }

    private void GetUncleCount(ref ParamReader p, Utf8JsonWriter w, bool byHash)
    {
        var selector = ReadBlockRef(ref p, byHash);
        p.End();
        if (Backend.GetHeader(selector) is null) w.WriteNullValue();
        else w.WriteQuantity(0UL);
    }

    private void GetBlockReceipts(ref ParamReader p, Utf8JsonWriter w)
    {
        var selector = p.ReadOptionalBlock("block");
        p.End();
        var header = Backend.GetHeader(selector);
        if (header is null)
        {
            w.WriteNullValue();
            return;
        }
        w.WriteStartArray();
        foreach (var receipt in Backend.GetBlockReceipts(header.Hash)) EthJsonWriter.WriteReceipt(w, receipt);
        w.WriteEndArray();
    }

    private void GetTransactionByHash(ref ParamReader p, Utf8JsonWriter w)
    {
        var hash = p.ReadHash("transactionHash");
        p.End();
        if (Backend.GetTransaction(hash) is not { } found)
        {
            w.WriteNullValue();
            return;
        }
        var baseFee = Thalamus.Core.UInt256.Zero;
        if (found.Location is { } location && Backend.GetHeader(BlockSelector.FromHash(location.BlockHash)) is { } header)
            baseFee = header.BaseFeePerGas;
        EthJsonWriter.WriteTransaction(w, found.Transaction, found.Location, baseFee);
    }

    private void GetTransactionReceipt(ref ParamReader p, Utf8JsonWriter w)
    {
        var hash = p.ReadHash("transactionHash");
        p.End();
        if (Backend.GetReceipt(hash) is { } receipt) EthJsonWriter.WriteReceipt(w, receipt);
        else w.WriteNullValue();
    }

    private void GetLogs(ref ParamReader p, Utf8JsonWriter w)
    {
        var request = p.ReadLogFilter("filter");
        p.End();
        var filter = request.Resolve(Backend.Head.Number, Options.MaxLogBlockRange);
        WriteLogs(w, QueryLogs(filter));
    }

    /// <summary>Runs a log query, enforcing the result limit before anything is written.</summary>
    internal List<LogRecord> QueryLogs(LogFilter filter)
    {
        var limit = Options.MaxLogResults;
        var logs = new List<LogRecord>();
        foreach (var log in Backend.GetLogs(filter))
        {
            if (logs.Count == limit)
                throw new RpcException(RpcErrorCodes.LimitExceeded, $"query returned more than {limit} results; narrow the block range or the filter");
            logs.Add(log);
        }
        return logs;
    }

    private static void WriteLogs(Utf8JsonWriter w, List<LogRecord> logs)
    {
        w.WriteStartArray();
        foreach (var log in logs) EthJsonWriter.WriteLog(w, log);
        w.WriteEndArray();
    }
}
