using Thalamus.Core;
using Thalamus.Evm;
using Xunit;

namespace Thalamus.Chain.Tests.Blocks;

public class ReceiptTests
{
    private static readonly LogEntry SampleLog = new(
        Address.Parse("0x00000000000000000000000000000000000000aa"),
        [Keccak256.Compute([1]), Keccak256.Compute([2])],
        [0xde, 0xad]);

    [Theory]
    [InlineData(TxType.Legacy)]
    [InlineData(TxType.AccessList)]
    [InlineData(TxType.DynamicFee)]
    [InlineData(TxType.Blob)]
    public void Encode_decode_round_trip_keeps_every_field(TxType type)
    {
        var receipt = new Receipt(type, true, 123_456, [SampleLog]);
        var encoded = receipt.Encode();
        if (type == TxType.Legacy) Assert.True(encoded[0] >= 0xc0);
        else Assert.Equal((byte)type, encoded[0]);

        var decoded = Receipt.Decode(encoded);
        Assert.Equal(type, decoded.TxType);
        Assert.True(decoded.Success);
        Assert.Equal(123_456UL, decoded.CumulativeGasUsed);
        Assert.Equal(receipt.Bloom, decoded.Bloom);
        var log = Assert.Single(decoded.Logs);
        Assert.Equal(SampleLog.Address, log.Address);
        Assert.Equal(SampleLog.Topics, log.Topics);
        Assert.Equal(SampleLog.Data, log.Data);
        Assert.Equal(encoded, decoded.Encode());
    }

    [Fact]
    public void Bloom_holds_the_log_address_and_topics()
    {
        var receipt = new Receipt(TxType.DynamicFee, false, 21_000, [SampleLog]);
        Assert.Equal(0, receipt.StatusCode);
        Assert.True(receipt.Bloom.MightContain(SampleLog.Address.Bytes));
        Assert.True(receipt.Bloom.MightContain(SampleLog.Topics[0].Bytes));
        Assert.True(receipt.Bloom.MightContain(SampleLog.Topics[1].Bytes));
        Assert.True(new Receipt(TxType.Legacy, true, 0, []).Bloom.IsEmpty);
    }

    [Fact]
    public void Decode_rejects_malformed_input()
    {
        Assert.Throws<RlpException>(() => Receipt.Decode([]));
        Assert.Throws<RlpException>(() => Receipt.Decode([0x05, 0xc0]));
        Assert.Throws<RlpException>(() => Receipt.Decode([0x02, 0xc3, 0x80, 0x80, 0x80]));
    }

    [Fact]
    public void Root_of_no_receipts_is_the_empty_trie_root()
    {
        Assert.Equal(Keccak256.OfEmptyList, DerivableRoots.Receipts([]));
    }

    [Fact]
    public void Root_of_one_receipt_is_the_hash_of_its_single_leaf()
    {
        var receipt = new Receipt(TxType.DynamicFee, true, 21_000, [SampleLog]);
        var value = receipt.Encode();
        // Key rlp(0) = 0x80: nibbles [8, 0]; an even-length leaf path has hex-prefix 0x20 then the bytes.
        var leaf = Rlp.EncodeList(Rlp.EncodeBytes([0x20, 0x80]), Rlp.EncodeBytes(value));
        Assert.Equal(Keccak256.Compute(leaf), DerivableRoots.Receipts([receipt]));
    }
}
