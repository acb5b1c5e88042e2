using Xunit;

namespace Thalamus.Core.Tests.Rlp;

public class RlpMalformedInputTests
{
    private static RlpException Rejects(string hex) =>
        Assert.Throws<RlpException>(() => Core.Rlp.ValidateSingleItem(Hex.Decode(hex)));

    [Theory]
    [InlineData("0x8100")]
    [InlineData("0x817f")]
    public void Single_byte_below_0x80_wrapped_as_a_string(string hex) =>
        Assert.Contains("must be encoded as itself", Rejects(hex).Message);

    [Theory]
    [InlineData("0xb80100")]
    [InlineData("0xb837" + "00")]
    [InlineData("0xf80180")]
    public void Long_form_for_a_short_length(string hex) =>
        Assert.Contains("short form", Rejects(hex).Message);

    [Theory]
    [InlineData("0xb9003800")]
    [InlineData("0xf9003800")]
    public void Leading_zero_in_a_length(string hex) =>
        Assert.Contains("leading zero", Rejects(hex).Message);

    [Theory]
    [InlineData("0x", "expected an item")]
    [InlineData("0x83646f", "3 payload byte(s), only 2 left")]
    [InlineData("0xb9", "length prefix needs 2 byte(s)")]
    [InlineData("0xbf0f000000000000021111", "only 2 left")]
    [InlineData("0xffffffffffffffffff00", "18446744073709551615")]
    [InlineData("0xc28361", "only 1 left")]
    public void Truncated_or_oversized(string hex, string detail) =>
        Assert.Contains(detail, Rejects(hex).Message);

    [Fact]
    public void Trailing_bytes()
    {
        var e = Rejects("0x8080");
        Assert.Contains("1 unexpected trailing byte", e.Message);
    }

    [Fact]
    public void Errors_inside_lists_report_the_absolute_offset()
    {
        var e = Rejects("0xc3c28100");
        Assert.Contains("offset 2", e.Message);
    }

    [Theory]
    [InlineData("0x00")]
    [InlineData("0x820001")]
    public void Integer_with_leading_zero(string hex)
    {
        var e = Assert.Throws<RlpException>(() => new RlpReader(Hex.Decode(hex)).ReadUInt64());
        Assert.Contains("leading zero", e.Message);
        Assert.Throws<RlpException>(() => new RlpReader(Hex.Decode(hex)).ReadUInt256());
    }

    [Fact]
    public void Integer_too_large()
    {
        Assert.Contains("64 bits", Assert.Throws<RlpException>(() => new RlpReader(Hex.Decode("0x89010000000000000000")).ReadUInt64()).Message);
        var thirtyThree = Core.Rlp.EncodeBytes([0x01, .. new byte[32]]);
        Assert.Contains("256 bits", Assert.Throws<RlpException>(() => new RlpReader(thirtyThree).ReadUInt256()).Message);
    }

    [Fact]
    public void Wrong_item_kinds_and_sizes()
    {
        Assert.Contains("expected a string", Assert.Throws<RlpException>(() => new RlpReader([0xc0]).ReadBytes()).Message);
        Assert.Contains("expected a list", Assert.Throws<RlpException>(() => new RlpReader([0x80]).ReadList()).Message);
        Assert.Contains("20-byte address", Assert.Throws<RlpException>(() => new RlpReader(Core.Rlp.EncodeBytes(new byte[19])).ReadAddress()).Message);
        Assert.Contains("32-byte hash", Assert.Throws<RlpException>(() => new RlpReader(Core.Rlp.EncodeBytes(new byte[33])).ReadHash256()).Message);
        Assert.Contains("boolean", Assert.Throws<RlpException>(() => new RlpReader([0x02]).ReadBool()).Message);
    }

    [Fact]
    public void Reading_past_the_end_of_a_list_is_an_RlpException()
    {
        var e = Assert.Throws<RlpException>(() =>
        {
            var reader = new RlpReader([0xc1, 0x01]);
            var list = reader.ReadList();
            list.ReadUInt64();
            list.ReadUInt64();
        });
        Assert.Contains("expected an item", e.Message);
    }
}
