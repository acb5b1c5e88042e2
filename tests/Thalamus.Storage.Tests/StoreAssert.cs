using Thalamus.Chain;
using Xunit;

namespace Thalamus.Storage.Tests;

/// <summary>Field-by-field equality for what a store returns.</summary>
public static class StoreAssert
{
    public static void SameBlock(Block expected, Block? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Hash, actual.Hash);
        Assert.Equal(expected.Encode(), actual.Encode());
        Assert.Equal(expected.Transactions.Select(t => t.Hash), actual.Transactions.Select(t => t.Hash));
    }

    public static void SameReceipts(IReadOnlyList<TransactionReceipt> expected, IReadOnlyList<TransactionReceipt> actual)
    {
        Assert.Equal(expected.Count, actual.Count);
        for (var i = 0; i < expected.Count; i++) SameReceipt(expected[i], actual[i]);
    }

    public static void SameReceipt(TransactionReceipt expected, TransactionReceipt? actual)
    {
        Assert.NotNull(actual);
        Assert.Equal(expected.Receipt.Encode(), actual.Receipt.Encode());
        Assert.Equal(expected.TransactionHash, actual.TransactionHash);
        Assert.Equal(expected.TransactionIndex, actual.TransactionIndex);
        Assert.Equal(expected.BlockHash, actual.BlockHash);
        Assert.Equal(expected.BlockNumber, actual.BlockNumber);
        Assert.Equal(expected.From, actual.From);
        Assert.Equal(expected.To, actual.To);
        Assert.Equal(expected.ContractAddress, actual.ContractAddress);
        Assert.Equal(expected.GasUsed, actual.GasUsed);
        Assert.Equal(expected.EffectiveGasPrice, actual.EffectiveGasPrice);
        Assert.Equal(expected.BlobGasUsed, actual.BlobGasUsed);
        Assert.Equal(expected.BlobGasPrice, actual.BlobGasPrice);
        Assert.Equal(expected.FirstLogIndex, actual.FirstLogIndex);
        Assert.Equal(expected.LogsBloom, actual.LogsBloom);
        SameLogs(expected.Logs, actual.Logs);
    }

    public static void SameLogs(IEnumerable<LogRecord> expected, IEnumerable<LogRecord> actual)
    {
        var e = expected.ToList();
        var a = actual.ToList();
        Assert.Equal(e.Count, a.Count);
        for (var i = 0; i < e.Count; i++)
        {
            Assert.Equal(e[i].Address, a[i].Address);
            Assert.Equal(e[i].Topics, a[i].Topics);
            Assert.Equal(e[i].Data, a[i].Data);
            Assert.Equal(e[i].BlockNumber, a[i].BlockNumber);
            Assert.Equal(e[i].BlockHash, a[i].BlockHash);
            Assert.Equal(e[i].TransactionHash, a[i].TransactionHash);
            Assert.Equal(e[i].TransactionIndex, a[i].TransactionIndex);
            Assert.Equal(e[i].LogIndex, a[i].LogIndex);
        }
    }
}
