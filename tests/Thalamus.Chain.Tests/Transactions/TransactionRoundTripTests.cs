using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Xunit;

namespace Thalamus.Chain.Tests.Transactions;

public class TransactionRoundTripTests
{
    [Theory]
    [InlineData(TxType.Legacy)]
    [InlineData(TxType.AccessList)]
    [InlineData(TxType.DynamicFee)]
    [InlineData(TxType.Blob)]
    public void Decoding_an_encoding_gives_back_every_field(TxType type) => Check.One(TransactionGenerators.Config, Prop.ForAll(
        TransactionGenerators.WithArbitrarySignature(type).ToArbitrary(), tx =>
        {
            var encoded = TransactionEncoder.Encode(tx);
            var decoded = TransactionDecoder.Decode(encoded);

            TransactionAssert.SameFields(tx, decoded);
            Assert.Equal(encoded, TransactionEncoder.Encode(decoded));
            Assert.Equal(tx.Hash, decoded.Hash);
            Assert.Equal(Keccak256.Compute(encoded), decoded.Hash);
        }));

    [Theory]
    [InlineData(TxType.Legacy)]
    [InlineData(TxType.AccessList)]
    [InlineData(TxType.DynamicFee)]
    [InlineData(TxType.Blob)]
    public void Envelope_starts_with_the_type_byte_or_a_list_header(TxType type) => Check.One(TransactionGenerators.Config, Prop.ForAll(
        TransactionGenerators.WithArbitrarySignature(type).ToArbitrary(), tx =>
        {
            var encoded = tx.Encode();
            if (type == TxType.Legacy)
            {
                Assert.True(encoded[0] >= 0xc0);
                Rlp.ValidateSingleItem(encoded);
            }
            else
            {
                Assert.Equal((byte)type, encoded[0]);
                Rlp.ValidateSingleItem(encoded.AsSpan(1));
            }
        }));

    [Fact]
    public void Span_encoding_and_length_agree_with_the_array_encoding() => Check.One(TransactionGenerators.Config, Prop.ForAll(
        TransactionGenerators.AnyWithArbitrarySignature.ToArbitrary(), tx =>
        {
            var encoded = TransactionEncoder.Encode(tx);
            Assert.Equal(encoded.Length, TransactionEncoder.GetEncodedLength(tx));
            var buffer = new byte[encoded.Length + 7];
            var written = TransactionEncoder.Encode(tx, buffer);
            Assert.Equal(encoded.Length, written);
            Assert.Equal(encoded, buffer[..written]);
        }));

    [Fact]
    public void Access_list_storage_keys_keep_their_32_bytes()
    {
        var tx = new Transaction
        {
            Type = TxType.AccessList,
            ChainId = 1,
            GasLimit = 30_000,
            To = Address.Zero,
            AccessList = [new AccessListEntry(Address.Zero, [UInt256.One])],
            V = 0,
            R = 1,
            S = 1,
        };
        var encoded = tx.Encode();
        var key = new byte[32];
        key[31] = 1;
        // 0xa0 followed by the whole 32-byte word, not the minimal integer 0x01.
        byte[] word = [0xa0, .. key];
        Assert.True(encoded.AsSpan().IndexOf(word) > 0);
        Assert.Equal(UInt256.One, TransactionDecoder.Decode(encoded).AccessList[0].StorageKeys[0]);
    }

    [Fact]
    public void Signing_preimage_of_a_typed_transaction_is_the_envelope_without_signature() => Check.One(TransactionGenerators.Config, Prop.ForAll(
        Gen.Elements(TxType.AccessList, TxType.DynamicFee, TxType.Blob).SelectMany(TransactionGenerators.WithArbitrarySignature).ToArbitrary(), tx =>
        {
            var preimage = TransactionEncoder.EncodeForSigning(tx);
            Assert.Equal((byte)tx.Type, preimage[0]);
            var full = new RlpReader(tx.Encode().AsSpan(1)).ReadList();
            var unsigned = new RlpReader(preimage.AsSpan(1)).ReadList();
            Assert.Equal(full.CountRemainingItems() - 3, unsigned.CountRemainingItems());
            Assert.Equal(Keccak256.Compute(preimage), TransactionEncoder.ComputeSigningHash(tx));
        }));

    [Fact]
    public void Legacy_signing_preimage_appends_chain_id_0_0_only_with_EIP155() => Check.One(TransactionGenerators.Config, Prop.ForAll(
        TransactionGenerators.WithArbitrarySignature(TxType.Legacy).ToArbitrary(), tx =>
        {
            var items = new RlpReader(TransactionEncoder.EncodeForSigning(tx)).ReadList();
            var count = items.CountRemainingItems();
            if (tx.ChainId is not { } chainId)
            {
                Assert.Equal(6, count);
                return;
            }
            Assert.Equal(9, count);
            for (var i = 0; i < 6; i++) items.Skip();
            Assert.Equal(chainId, items.ReadUInt64());
            Assert.Equal(0UL, items.ReadUInt64());
            Assert.Equal(0UL, items.ReadUInt64());
        }));
}
