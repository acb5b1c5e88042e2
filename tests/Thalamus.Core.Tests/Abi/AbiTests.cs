using Xunit;

namespace Thalamus.Core.Tests;

public sealed class AbiTests
{
    private static readonly Address Alice = Address.Parse("0x00000000000000000000000000000000000a11ce");

    [Theory]
    [InlineData("transfer(address,uint256)", "0xa9059cbb")]
    [InlineData("balanceOf(address)", "0x70a08231")]
    [InlineData("Error(string)", "0x08c379a0")]
    [InlineData("Panic(uint256)", "0x4e487b71")]
    [InlineData("relayMessage(bytes32,uint256,address,address,bytes)", "0xc7b792a2")]
    [InlineData("crossCall(uint256,address,bytes)", "0x6161c169")]
    public void A_selector_is_the_first_four_bytes_of_the_signatures_keccak(string signature, string expected) =>
        Assert.Equal(expected, Abi.Selector(signature).ToString());

    [Fact]
    public void An_event_topic_is_the_keccak_of_the_signature() =>
        Assert.Equal("0xddf252ad1be2c89b69c2b068fc378daa952ba7f163c4a11628f55a4df523b3ef",
            Abi.EventTopic("Transfer(address,address,uint256)").ToString());

    [Theory]
    [InlineData("transfer(address, uint256)")]
    [InlineData("transfer")]
    [InlineData("(address)")]
    public void A_signature_that_is_not_canonical_is_refused_with_the_reason(string signature)
    {
        var e = Assert.Throws<ArgumentException>(() => Abi.Selector(signature));
        Assert.Contains("not a canonical signature", e.Message);
    }

    [Fact]
    public void A_transfer_call_encodes_as_solidity_does()
    {
        var data = Abi.Call("transfer(address,uint256)", Alice, new UInt256(1000));
        Assert.Equal("0xa9059cbb" + "00000000000000000000000000000000000000000000000000000000000a11ce"
            + "00000000000000000000000000000000000000000000000000000000000003e8", Hex.Encode(data));
    }

    [Fact]
    public void Dynamic_values_go_to_the_tail_behind_offsets_in_the_head()
    {
        // abi.encode(uint256 1, bytes 0x1234, string "hi"): the solc/ethers encoding.
        var data = Abi.Encode(1UL, AbiValue.Bytes([0x12, 0x34]), AbiValue.String("hi"));
        Assert.Equal(
            "0x0000000000000000000000000000000000000000000000000000000000000001" +
            "0000000000000000000000000000000000000000000000000000000000000060" +
            "00000000000000000000000000000000000000000000000000000000000000a0" +
            "0000000000000000000000000000000000000000000000000000000000000002" +
            "1234000000000000000000000000000000000000000000000000000000000000" +
            "0000000000000000000000000000000000000000000000000000000000000002" +
            "6869000000000000000000000000000000000000000000000000000000000000", Hex.Encode(data));
    }

    [Fact]
    public void A_revert_reason_encodes_as_solidity_require_does()
    {
        // What require(false, "Not enough") reverts with (Solidity documentation's example).
        Assert.Equal("0x08c379a0" +
            "0000000000000000000000000000000000000000000000000000000000000020" +
            "000000000000000000000000000000000000000000000000000000000000000a" +
            "4e6f7420656e6f75676800000000000000000000000000000000000000000000", Hex.Encode(Abi.EncodeError("Not enough")));
        Assert.Equal("Not enough", Abi.DecodeRevertReason(Abi.EncodeError("Not enough")));
    }

    [Fact]
    public void A_panic_decodes_to_its_code_and_other_revert_data_to_nothing()
    {
        Assert.Equal("panic: 0x11", Abi.DecodeRevertReason(Abi.EncodeCall(Abi.PanicSelector, 0x11UL)));
        Assert.Null(Abi.DecodeRevertReason([0xde, 0xad, 0xbe, 0xef]));
        Assert.Null(Abi.DecodeRevertReason(Abi.EncodeError("cut")[..40]));
    }

    [Fact]
    public void Static_and_dynamic_values_round_trip_through_the_reader()
    {
        var id = Keccak256.Compute("id"u8);
        var payload = Enumerable.Range(0, 70).Select(i => (byte)i).ToArray();
        var data = Abi.Encode(id, ulong.MaxValue, Alice, true, AbiValue.Bytes(payload), AbiValue.String("héllo"), AbiValue.Bytes([]));
        var reader = new AbiReader(data);
        Assert.Equal(id, reader.Bytes32(0));
        Assert.Equal(ulong.MaxValue, reader.UInt64(1));
        Assert.Equal(Alice, reader.Address(2));
        Assert.True(reader.Bool(3));
        Assert.Equal(payload, reader.Bytes(4));
        Assert.Equal("héllo", reader.String(5));
        Assert.Empty(reader.Bytes(6));
    }

    [Fact]
    public void Arrays_of_words_and_of_bytes_and_tuples_round_trip()
    {
        var data = Abi.Encode(
            AbiValue.Array(1UL, 2UL, 3UL),
            AbiValue.Array(AbiValue.Bytes([0xaa]), AbiValue.String("second")),
            AbiValue.Tuple(Alice, AbiValue.String("in a tuple")));
        var reader = new AbiReader(data);

        var words = reader.Array(0, out var wordCount);
        Assert.Equal(3, wordCount);
        Assert.Equal(new UInt256(3), words.Word(2));

        var blobs = reader.Array(1, out var blobCount);
        Assert.Equal(2, blobCount);
        Assert.Equal([0xaa], blobs.Bytes(0));
        Assert.Equal("second", blobs.String(1));

        var tuple = reader.Tuple(2);
        Assert.Equal(Alice, tuple.Address(0));
        Assert.Equal("in a tuple", tuple.String(1));
    }

    [Fact]
    public void A_static_tuple_is_encoded_in_place()
    {
        var data = Abi.Encode(AbiValue.Tuple(1UL, 2UL), 3UL);
        Assert.Equal(96, data.Length);
        Assert.Equal(new UInt256(3), new AbiReader(data).Word(2));
    }

    [Fact]
    public void Calldata_is_matched_by_its_selector()
    {
        var transfer = Abi.Selector("transfer(address,uint256)");
        var data = Abi.EncodeCall(transfer, Alice, 5UL);
        Assert.True(AbiReader.TryCall(data, transfer, out var arguments));
        Assert.Equal(Alice, arguments.Address(0));
        Assert.False(AbiReader.TryCall(data, Abi.Selector("approve(address,uint256)"), out _));
        Assert.False(AbiReader.TryCall([0xa9, 0x05], transfer, out _));
    }

    public static TheoryData<string, byte[], string> Malformed => new()
    {
        { "a word past the end", new byte[31], "lies past the end" },
        { "dirty address bytes", Hex.Decode("0x01" + new string('0', 62)), "upper 12 bytes are not zero" },
        { "an offset outside the data", Hex.Decode("0x" + new string('0', 62) + "40"), "points outside" },
        { "a length past the data", Abi.Encode(AbiValue.Bytes(new byte[3]))[..64], "runs past" },
        { "a huge length", Hex.Decode("0x" + new string('0', 62) + "20" + new string('f', 64)), "runs past" },
        { "invalid UTF-8", Abi.Encode(AbiValue.Bytes([0xff, 0xfe])), "UTF-8" },
    };

    [Theory]
    [MemberData(nameof(Malformed))]
    public void Malformed_data_is_refused_with_the_reason_and_never_read_past(string what, byte[] data, string reason)
    {
        var e = Assert.Throws<AbiException>(() => Read(data, what));
        Assert.Contains(reason, e.Message);
    }

    [Fact]
    public void A_bool_other_than_zero_or_one_is_refused()
    {
        var e = Assert.Throws<AbiException>(() => new AbiReader(Abi.Encode(2UL)).Bool(0));
        Assert.Contains("not a bool", e.Message);
    }

    private static object Read(byte[] data, string what)
    {
        var reader = new AbiReader(data);
        return what switch
        {
            "a word past the end" => reader.Word(0),
            "dirty address bytes" => reader.Address(0),
            "invalid UTF-8" => reader.String(0),
            _ => reader.Bytes(0),
        };
    }
}
