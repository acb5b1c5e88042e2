using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core.Tests.Numerics;
using Xunit;

namespace Thalamus.Core.Tests.Rlp;

public class RlpRoundTripTests
{
    [Fact]
    public void Any_tree_decodes_to_itself() =>
        Check.One(RlpGenerators.Settings, Prop.ForAll(RlpGenerators.Trees, tree =>
        {
            var encoded = tree.Encode();
            Assert.Equal(tree, RlpTree.Decode(encoded));
            Core.Rlp.ValidateSingleItem(encoded);
        }));

    [Fact]
    public void Every_strict_prefix_is_rejected_as_RlpException() =>
        Check.One(RlpGenerators.Settings.WithMaxTest(100), Prop.ForAll(RlpGenerators.Trees, tree =>
        {
            var encoded = tree.Encode();
            for (var length = 0; length < encoded.Length; length++)
                Assert.Throws<RlpException>(() => RlpTree.Decode(encoded[..length]));
        }));

    [Fact]
    public void A_trailing_byte_is_rejected() =>
        Check.One(RlpGenerators.Settings, Prop.ForAll(RlpGenerators.Trees, tree =>
        {
            var encoded = tree.Encode();
            var e = Assert.Throws<RlpException>(() => RlpTree.Decode([.. encoded, 0x00]));
            Assert.Contains("trailing", e.Message);
        }));

    [Fact]
    public void Arbitrary_bytes_either_decode_canonically_or_throw_RlpException() =>
        Prop.ForAll<byte[]>(bytes =>
        {
            RlpTree tree;
            try
            {
                tree = RlpTree.Decode(bytes);
            }
            catch (RlpException)
            {
                return;
            }
            // Whatever decodes is canonical, so it re-encodes to exactly the input.
            Assert.Equal(bytes, tree.Encode());
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Array_encoders_agree_with_the_writer_and_length_helpers() =>
        Check.One(RlpGenerators.Settings, Prop.ForAll(RlpGenerators.Trees, tree =>
        {
            if (tree.Bytes is not null)
            {
                var encoded = Core.Rlp.EncodeBytes(tree.Bytes);
                Assert.Equal(tree.Encode(), encoded);
                Assert.Equal(encoded.Length, Core.Rlp.LengthOfBytes(tree.Bytes));
            }
            else
            {
                var items = tree.Items!.Select(i => i.Encode()).ToArray();
                var encoded = Core.Rlp.EncodeList(items);
                Assert.Equal(tree.Encode(), encoded);
                Assert.Equal(encoded.Length, Core.Rlp.LengthOfList(items.Sum(i => i.Length)));
            }
        }));

    [Fact]
    public void UInt64_round_trips() =>
        Prop.ForAll<ulong>(value =>
        {
            var encoded = Core.Rlp.EncodeUInt64(value);
            Assert.Equal(encoded.Length, Core.Rlp.LengthOfUInt64(value));
            var reader = new RlpReader(encoded);
            Assert.Equal(value, reader.ReadUInt64());
            reader.EnsureEnd();
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void UInt256_round_trips() =>
        Check.One(UInt256Generators.Settings, Prop.ForAll(UInt256Generators.Arbitrary, value =>
        {
            var encoded = Core.Rlp.EncodeUInt256(value);
            Assert.Equal(encoded.Length, Core.Rlp.LengthOfUInt256(value));
            var reader = new RlpReader(encoded);
            Assert.Equal(value, reader.ReadUInt256());
            reader.EnsureEnd();
            // An integer is its minimal big-endian bytes as a string.
            Assert.Equal(Core.Rlp.EncodeBigInteger(value.ToBigInteger()), encoded);
        }));

    [Theory]
    [InlineData(0UL, "0x80")]
    [InlineData(15UL, "0x0f")]
    [InlineData(127UL, "0x7f")]
    [InlineData(128UL, "0x8180")]
    [InlineData(1024UL, "0x820400")]
    [InlineData(ulong.MaxValue, "0x88ffffffffffffffff")]
    public void Integer_vectors(ulong value, string expected) =>
        Assert.Equal(expected, Hex.Encode(Core.Rlp.EncodeUInt64(value)));

    [Fact]
    public void Structure_vectors()
    {
        Assert.Equal("0x83646f67", Hex.Encode(Core.Rlp.EncodeBytes("dog"u8)));
        Assert.Equal("0xc88363617483646f67", Hex.Encode(Core.Rlp.EncodeList(Core.Rlp.EncodeBytes("cat"u8), Core.Rlp.EncodeBytes("dog"u8))));
        Assert.Equal("0xc0", Hex.Encode(Core.Rlp.EncodeList()));
        Assert.Equal("0x80", Hex.Encode(Core.Rlp.EncodeBytes([])));
        // The set-theoretic representation of three: [ [], [[]], [ [], [[]] ] ].
        var three = RlpTree.List(RlpTree.List(), RlpTree.List(RlpTree.List()), RlpTree.List(RlpTree.List(), RlpTree.List(RlpTree.List())));
        Assert.Equal("0xc7c0c1c0c3c0c1c0", Hex.Encode(three.Encode()));
        var long56 = new byte[56];
        Assert.Equal("0xb838", Hex.Encode(Core.Rlp.EncodeBytes(long56).AsSpan(0, 2)));
    }

    [Fact]
    public void Writer_handles_long_nested_lists()
    {
        var writer = new RlpWriter(16);
        var outer = writer.StartList();
        var inner = writer.StartList();
        for (var i = 0; i < 100; i++) writer.WriteBytes(new byte[] { 0xaa, (byte)i });
        writer.EndList(inner);
        writer.WriteUInt64(7);
        writer.EndList(outer);
        var reader = new RlpReader(writer.ToArray());
        var list = reader.ReadList();
        reader.EnsureEnd();
        var innerList = list.ReadList();
        Assert.Equal(100, innerList.CountRemainingItems());
        for (var i = 0; i < 100; i++) Assert.Equal(new byte[] { 0xaa, (byte)i }, innerList.ReadBytes().ToArray());
        Assert.Equal(7UL, list.ReadUInt64());
        list.EnsureEnd();
    }
}
