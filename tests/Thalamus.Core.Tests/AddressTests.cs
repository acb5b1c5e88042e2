using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Thalamus.Core.Tests;

public class AddressTests
{
    // The test vectors listed in EIP-55.
    [Theory]
    [InlineData("0x52908400098527886E0F7030069857D2E4169EE7")]
    [InlineData("0x8617E340B3D01FA5F11F306F4090FD50E238070D")]
    [InlineData("0xde709f2102306220921060314715629080e2fb77")]
    [InlineData("0x27b1fdb04752bbc536007a920d24acb045561c26")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed")]
    [InlineData("0xfB6916095ca1df60bB79Ce92cE3Ea74c37c5d359")]
    [InlineData("0xdbF03B407c01E7cD3CBea99509d93f8DDDC8C6FB")]
    [InlineData("0xD1220A0cf47c7B9Be7A2E6BA89F429762e7b9aDb")]
    public void Eip55_vectors(string checksummed)
    {
        var fromLower = Address.Parse(checksummed.ToLowerInvariant());
        Assert.Equal(checksummed, fromLower.ToChecksumString());
        Assert.Equal(checksummed.ToLowerInvariant(), fromLower.ToString());
        Assert.Equal(fromLower, Address.ParseChecksummed(checksummed));
        Assert.True(Address.IsValidChecksum(checksummed));
    }

    [Fact]
    public void ParseChecksummed_rejects_a_wrong_checksum_and_names_the_right_one()
    {
        const string good = "0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
        var bad = "0x5aaeb6053F3E94C9b9A09f33669435E7Ef1BeAed";
        var e = Assert.Throws<FormatException>(() => Address.ParseChecksummed(bad));
        Assert.Contains(good, e.Message);
        Assert.False(Address.IsValidChecksum(bad));
        Assert.Equal(Address.Parse(good), Address.Parse(bad)); // the lenient parser ignores case
    }

    [Theory]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeA")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed00")]
    [InlineData("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAeg")]
    [InlineData("")]
    public void Parse_rejects_bad_input_with_FormatException(string text)
    {
        Assert.Throws<FormatException>(() => Address.Parse(text));
        Assert.False(Address.TryParse(text, out _));
    }

    [Fact]
    public void UInt256_conversion_uses_the_low_20_bytes() =>
        Prop.ForAll(Gens.Bytes20, Gens.Bytes32, (a, word) =>
        {
            var address = new Address(a);
            Assert.Equal(address, Address.FromUInt256(address.ToUInt256()));
            var fromWord = Address.FromUInt256(new Hash256(word).ToUInt256());
            Assert.Equal(word[12..], fromWord.ToArray());
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Equality_follows_every_byte()
    {
        for (var i = 0; i < 20; i++)
        {
            var bytes = new byte[20];
            bytes[i] = 0x42;
            var address = new Address(bytes);
            Assert.NotEqual(Address.Zero, address);
            Assert.Equal(address, new Address(bytes));
            Assert.Equal(address.GetHashCode(), new Address(bytes).GetHashCode());
        }
    }
}
