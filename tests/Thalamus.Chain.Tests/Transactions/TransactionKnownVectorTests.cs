using Thalamus.Core;
using Xunit;

namespace Thalamus.Chain.Tests.Transactions;

/// <summary>Transactions recorded by other clients: the hash and sender they reported must come out here too.</summary>
public class TransactionKnownVectorTests
{
    [Fact]
    public void A_blob_transaction_from_a_4844_devnet_has_the_recorded_hash_and_sender()
    {
        // As reported over JSON-RPC by a devnet node (chain id 0x1a1f0ff42); the test vector of
        // attestantio/go-execution-client's type-3 transaction tests.
        var tx = new Transaction
        {
            Type = TxType.Blob,
            ChainId = 0x1a1f0ff42,
            Nonce = 1,
            MaxPriorityFeePerGas = 0xee6b281cUL,
            MaxFeePerGas = 0xee6b281cUL,
            GasLimit = 0x5208,
            To = Address.Parse("0x000000000000000000000000000000000000f1c1"),
            Value = UInt256.Zero,
            MaxFeePerBlobGas = 0x3e8UL,
            BlobVersionedHashes = [Hash256.Parse("0x010a8b6ba3ab54a1119c273b22a15c700be68aba00cc989903f0a53459d6daad")],
            V = 0,
            R = UInt256.Parse("0x8a8eb78331b968788c11b9c418f6979cc6dec32f4f4ad3ba398fec5b9058f0fa"),
            S = UInt256.Parse("0x50225cb61b29987a032d6187ae3d4af7fadd6107e17f1adb9ad7f136417d3548"),
        };

        Assert.Equal(Hash256.Parse("0xa93f6ce94cd78c3344d2f639620e36f327f59bb8d583a65f4d851ce11e36e2d2"), tx.Hash);
        Assert.Equal(Address.Parse("0x7e454a14b8e7528465eef86f0dc1da4f235d9d79"), tx.RecoverSender());

        var decoded = TransactionDecoder.Decode(tx.Encode());
        Assert.Equal(tx.Hash, decoded.Hash);
        Assert.Null(TransactionValidator.CheckStateless(decoded, 0x1a1f0ff42)?.Message);
        Assert.Equal(21_000UL, IntrinsicGas.Calculate(decoded));
        Assert.Equal(BlobGas.GasPerBlob, decoded.BlobGas);
    }
}
