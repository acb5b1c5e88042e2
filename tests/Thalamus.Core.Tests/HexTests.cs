using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Thalamus.Core.Tests;

public class HexTests
{
    [Theory]
    [InlineData("", new byte[0])]
    [InlineData("0x", new byte[0])]
    [InlineData("0x00", new byte[] { 0 })]
    [InlineData("0XfF", new byte[] { 0xff })]
    [InlineData("deadBEEF", new byte[] { 0xde, 0xad, 0xbe, 0xef })]
    public void Decode_accepts_optional_prefix_and_any_case(string text, byte[] expected) =>
        Assert.Equal(expected, Hex.Decode(text));

    [Fact]
    public void Decode_rejects_odd_length_with_the_count()
    {
        var e = Assert.Throws<FormatException>(() => Hex.Decode("0xabc"));
        Assert.Contains("odd", e.Message);
        Assert.Contains("3", e.Message);
    }

    [Theory]
    [InlineData("0x0g", 3, 'g')]
    [InlineData("zz", 0, 'z')]
    [InlineData("12 4", 2, ' ')]
    public void Decode_rejects_bad_digit_with_position(string text, int position, char digit)
    {
        var e = Assert.Throws<FormatException>(() => Hex.Decode(text));
        Assert.Contains($"position {position}", e.Message);
        Assert.Contains($"'{digit}'", e.Message);
    }

    [Theory]
    [InlineData("0x1")]
    [InlineData("xyz0")]
    [InlineData(null)]
    public void TryDecode_returns_false_on_bad_input(string? text) => Assert.False(Hex.TryDecode(text, out _));

    [Fact]
    public void Encode_is_lowercase_with_optional_prefix()
    {
        Assert.Equal("0x00abff", Hex.Encode([0x00, 0xab, 0xff]));
        Assert.Equal("00abff", Hex.Encode([0x00, 0xab, 0xff], prefix: false));
        Assert.Equal("0x", Hex.Encode([]));
    }

    [Fact]
    public void Encode_then_decode_round_trips() =>
        Prop.ForAll<byte[]>(bytes =>
        {
            Assert.Equal(bytes, Hex.Decode(Hex.Encode(bytes)));
            Assert.Equal(bytes, Hex.Decode(Hex.Encode(bytes, prefix: false).ToUpperInvariant()));
        }).QuickCheckThrowOnFailure();
}
