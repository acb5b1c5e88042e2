using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Xunit;

namespace Thalamus.Chain.Tests.Blocks;

public class BlockHeaderTests
{
    // Ethereum mainnet block 23,513,000 (raw header as `cast block 23513000 --raw` prints it). It is a
    // Prague header: the twenty Cancun fields followed by requestsHash. Rebuilding it from our Cancun
    // encoding plus that one trailing field checks every Cancun field's encoding and order.
    private const string MainnetBlock23513000Raw =
        "f90286a05b5b6bff48fe6a2167a2c70193bd1ec94e140ad09ebca6d64f468bc273518d36a01dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347944838b106fce9647bdf1e7877bf73ce8b0bad5f97a09099fb0c9d079059756770f425953cbc7965cf14a6f99e2007ceb5fc0c86f695a00ed75b9475c7d88f3656ae833b9af1249efe1d51234ae9c318e92fb9bbc58cefa05a70f4c705bec8d642aef9d9fa593a9292a2b70e85fe303cc20f407af4814be4b901009ff9dbe477c99f97b7556c0ffaf95a41bbeb73bdee22fd307bf7739ae6d7bf37eb3defd7f3ff78d772d5d7b5fc3fb5dddfd9d3f8fe85aeffbfa92cc29aaff5b7e5edf80e6e4addfc7cdbf1ce895bbd71d71d9a756a74cdbcbf7ddca5cbf306d9fedf3b278a7f13ef3545ab52fecd7cfb4eefef63f8e8c6e5a1b8ee57874ff67f0f5beeffd7bc503f6379c76f2ff6a4fff17d7fddbbff336ef42fd1d43ad3bddee246af87a6bdfe977ffb35f57a5dfdfca566d5e5d8f7fc9cba4f4531e666f5f0f3d7bcaf65b7e7708dcdf679afe6b4add57f6f4a3e397efb9cdf9f77f0f7fbcf3bb3bc880b2b71c0b4eee1dee95f72e5ffcd9eefeffc37fecd84ba435ebdf70d80840166c7a88402aea4ea84014204dd8468e2a7cf98546974616e2028746974616e6275696c6465722e78797a29a0542df7cb12be5ee5281247c44fbef1a534899cacf6f4a7cbb005e451dd416de68800000000000000008407e356e5a0740234ba028832cd35e1e2923133d136e54fbded84e1e1f1f21747508c8edb92830c00008404100000a030297d32b4bb781dea1b6861b8b15db62f4428d1ae766615b4c29cd515df3a9da0e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    private static readonly Hash256 MainnetBlock23513000Hash = Hash256.Parse("0x65407618ec1f44bd793f024f9ce855d7287ea4a9d7ae4c9e672362a372b9ded4");

    [Fact]
    public void Mainnet_header_fields_encode_exactly_as_ethereum_does()
    {
        var raw = Hex.Decode(MainnetBlock23513000Raw);
        Assert.Equal(MainnetBlock23513000Hash, Keccak256.Compute(raw));

        // The header from its published field values.
        var header = new BlockHeader
        {
            ParentHash = Hash256.Parse("0x5b5b6bff48fe6a2167a2c70193bd1ec94e140ad09ebca6d64f468bc273518d36"),
            OmmersHash = BlockHeader.EmptyOmmersHash,
            Coinbase = Address.Parse("0x4838B106FCe9647Bdf1E7877BF73cE8B0BAD5f97"),
            StateRoot = Hash256.Parse("0x9099fb0c9d079059756770f425953cbc7965cf14a6f99e2007ceb5fc0c86f695"),
            TransactionsRoot = Hash256.Parse("0x0ed75b9475c7d88f3656ae833b9af1249efe1d51234ae9c318e92fb9bbc58cef"),
            ReceiptsRoot = Hash256.Parse("0x5a70f4c705bec8d642aef9d9fa593a9292a2b70e85fe303cc20f407af4814be4"),
            LogsBloom = ReadBloom(raw),
            Difficulty = UInt256.Zero,
            Number = 23_513_000,
            GasLimit = 44_999_914,
            GasUsed = 21_103_837,
            Timestamp = 1_759_684_559,
            ExtraData = Hex.Decode("546974616e2028746974616e6275696c6465722e78797a29"),
            PrevRandao = Hash256.Parse("0x542df7cb12be5ee5281247c44fbef1a534899cacf6f4a7cbb005e451dd416de6"),
            Nonce = 0,
            BaseFeePerGas = 132_339_429,
            WithdrawalsRoot = Hash256.Parse("0x740234ba028832cd35e1e2923133d136e54fbded84e1e1f1f21747508c8edb92"),
            BlobGasUsed = 786_432,
            ExcessBlobGas = 68_157_440,
            ParentBeaconBlockRoot = Hash256.Parse("0x30297d32b4bb781dea1b6861b8b15db62f4428d1ae766615b4c29cd515df3a9d"),
        };
        var requestsHash = Hash256.Parse("0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");

        var cancunFields = new RlpReader(header.Encode()).ReadList().Remaining;
        var writer = new RlpWriter();
        var list = writer.StartList();
        writer.WriteRaw(cancunFields);
        writer.WriteHash256(requestsHash);
        writer.EndList(list);

        Assert.Equal(Hex.Encode(raw), Hex.Encode(writer.WrittenSpan));
        Assert.Equal(MainnetBlock23513000Hash, Keccak256.Compute(writer.WrittenSpan));
    }

    [Fact]
    public void Mainnet_header_without_requests_hash_decodes_to_its_fields()
    {
        var raw = Hex.Decode(MainnetBlock23513000Raw);
        var fields = new RlpReader(raw).ReadList();
        var writer = new RlpWriter();
        var list = writer.StartList();
        for (var i = 0; i < 20; i++) writer.WriteRaw(fields.ReadRaw());
        writer.EndList(list);
        var cancun = writer.ToArray();

        var header = BlockHeader.Decode(cancun);
        Assert.Equal(23_513_000UL, header.Number);
        Assert.Equal(44_999_914UL, header.GasLimit);
        Assert.Equal(21_103_837UL, header.GasUsed);
        Assert.Equal((UInt256)132_339_429UL, header.BaseFeePerGas);
        Assert.Equal(786_432UL, header.BlobGasUsed);
        Assert.Equal(68_157_440UL, header.ExcessBlobGas);
        Assert.Equal(Address.Parse("0x4838b106fce9647bdf1e7877bf73ce8b0bad5f97"), header.Coinbase);
        Assert.Equal(cancun, header.Encode());
        Assert.Equal(Keccak256.Compute(cancun), header.Hash);
    }

    [Fact]
    public void Encode_then_decode_gives_the_same_header()
    {
        var gen =
            from parent in Generators.Hash
            from state in Generators.Hash
            from coinbase in Generators.Address
            from numbers in Generators.UInt64.ArrayOf(8)
            from extra in Generators.Bytes(0, 32)
            from baseFee in Generators.UInt256
            select new BlockHeader
            {
                ParentHash = parent,
                StateRoot = state,
                Coinbase = coinbase,
                Number = numbers[0],
                GasLimit = numbers[1],
                GasUsed = numbers[2],
                Timestamp = numbers[3],
                Nonce = numbers[4],
                BlobGasUsed = numbers[5],
                ExcessBlobGas = numbers[6],
                Difficulty = numbers[7],
                ExtraData = extra,
                BaseFeePerGas = baseFee,
                ParentBeaconBlockRoot = parent,
            };
        Prop.ForAll(gen.ToArbitrary(), header =>
        {
            var encoded = header.Encode();
            var decoded = BlockHeader.Decode(encoded);
            return decoded.Encode().AsSpan().SequenceEqual(encoded) && decoded.Hash == header.Hash
                && decoded.Number == header.Number && decoded.BaseFeePerGas == header.BaseFeePerGas
                && decoded.ExtraData.AsSpan().SequenceEqual(header.ExtraData);
        }).QuickCheckThrowOnFailure();
    }

    [Fact]
    public void Decode_rejects_a_header_with_the_wrong_field_count()
    {
        var full = new BlockHeader { Number = 5 }.Encode();
        var fields = new RlpReader(full).ReadList();
        var writer = new RlpWriter();
        var list = writer.StartList();
        for (var i = 0; i < 19; i++) writer.WriteRaw(fields.ReadRaw());
        writer.EndList(list);
        var error = Assert.Throws<RlpException>(() => BlockHeader.Decode(writer.ToArray()));
        Assert.Contains("20 fields", error.Message);
    }

    [Fact]
    public void Decode_rejects_trailing_bytes_and_garbage()
    {
        var encoded = new BlockHeader { Number = 1 }.Encode();
        Assert.Throws<RlpException>(() => BlockHeader.Decode([.. encoded, 0x00]));
        Assert.Throws<RlpException>(() => BlockHeader.Decode([0xc3, 0x01]));
        Assert.Throws<RlpException>(() => BlockHeader.Decode([]));
    }

    private static Bloom ReadBloom(byte[] raw)
    {
        var fields = new RlpReader(raw).ReadList();
        for (var i = 0; i < 6; i++) fields.Skip();
        return new Bloom(fields.ReadBytes());
    }
}
