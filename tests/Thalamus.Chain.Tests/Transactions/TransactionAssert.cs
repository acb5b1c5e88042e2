using Xunit;

namespace Thalamus.Chain.Tests.Transactions;

internal static class TransactionAssert
{
    /// <summary>Every field equal, access list and blob hashes element by element.</summary>
    public static void SameFields(Transaction expected, Transaction actual)
    {
        Assert.Equal(expected.Type, actual.Type);
        Assert.Equal(expected.ChainId, actual.ChainId);
        Assert.Equal(expected.Nonce, actual.Nonce);
        Assert.Equal(expected.GasPrice, actual.GasPrice);
        Assert.Equal(expected.MaxPriorityFeePerGas, actual.MaxPriorityFeePerGas);
        Assert.Equal(expected.MaxFeePerGas, actual.MaxFeePerGas);
        Assert.Equal(expected.GasLimit, actual.GasLimit);
        Assert.Equal(expected.To, actual.To);
        Assert.Equal(expected.Value, actual.Value);
        Assert.Equal(expected.Data, actual.Data);
        Assert.Equal(expected.AccessList.Count, actual.AccessList.Count);
        for (var i = 0; i < expected.AccessList.Count; i++)
        {
            Assert.Equal(expected.AccessList[i].Address, actual.AccessList[i].Address);
            Assert.Equal(expected.AccessList[i].StorageKeys, actual.AccessList[i].StorageKeys);
        }
        Assert.Equal(expected.MaxFeePerBlobGas, actual.MaxFeePerBlobGas);
        Assert.Equal(expected.BlobVersionedHashes, actual.BlobVersionedHashes);
        Assert.Equal(expected.V, actual.V);
        Assert.Equal(expected.R, actual.R);
        Assert.Equal(expected.S, actual.S);
    }
}
