using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Thalamus.Core.Tests;

public class Hash256Tests
{
    private const string Sample = "0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421";

    [Fact]
    public void Parse_and_ToString_round_trip_lowercase()
    {
        var hash = Hash256.Parse(Sample.ToUpperInvariant().Replace("0X", "0x"));
        Assert.Equal(Sample, hash.ToString());
        Assert.Equal(Hex.Decode(Sample), hash.ToArray());
        Assert.Equal(Hex.Decode(Sample), hash.Bytes.ToArray());
    }

    [Theory]
    [InlineData("0x1234")]
    [InlineData("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b42100")]
    [InlineData("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b42g")]
    public void Parse_rejects_wrong_length_or_digits(string text)
    {
        Assert.Throws<FormatException>(() => Hash256.Parse(text));
        Assert.False(Hash256.TryParse(text, out _));
    }

    [Fact]
    public void Constructor_requires_exactly_32_bytes() =>
        Assert.Throws<ArgumentException>(() => new Hash256(new byte[31]));

    [Fact]
    public void Equality_and_hash_code_follow_the_bytes() =>
        Prop.ForAll(Gens.Bytes32, Gens.Bytes32, (a, b) =>
        {
            var ha = new Hash256(a);
            var hb = new Hash256(b);
            var hb2 = new Hash256(b);
            Assert.Equal(a.AsSpan().SequenceEqual(b), ha == hb);
            Assert.True(hb == hb2);
            Assert.Equal(hb.GetHashCode(), hb2.GetHashCode());
            Assert.Equal(Math.Sign(a.AsSpan().SequenceCompareTo(b)), Math.Sign(ha.CompareTo(hb)));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Every_byte_takes_part_in_equality()
    {
        for (var i = 0; i < 32; i++)
        {
            var bytes = new byte[32];
            bytes[i] = 1;
            Assert.NotEqual(Hash256.Zero, new Hash256(bytes));
            Assert.False(new Hash256(bytes).IsZero);
        }
        Assert.True(Hash256.Zero.IsZero);
    }

    [Fact]
    public void UInt256_conversion_is_big_endian()
    {
        var bytes = new byte[32];
        bytes[31] = 0x01;
        bytes[0] = 0x80;
        var value = new Hash256(bytes).ToUInt256();
        Assert.Equal(1UL, value.U0);
        Assert.Equal(0x8000000000000000UL, value.U3);
        Prop.ForAll(Gens.Bytes32, b => Assert.Equal(new Hash256(b), Hash256.FromUInt256(new Hash256(b).ToUInt256())))
            .QuickCheckThrowOnFailure();
    }
}
