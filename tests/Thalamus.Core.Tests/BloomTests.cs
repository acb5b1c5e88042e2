using System.Numerics;
using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Xunit;

namespace Thalamus.Core.Tests;

public class BloomTests
{
    [Fact]
    public void Matches_go_ethereum_reference_after_100_items()
    {
        // go-ethereum core/types/bloom9_test.go, TestBloomExtensively.
        var bloom = new Bloom();
        for (var i = 0; i < 100; i++) bloom.Add(Encoding.ASCII.GetBytes($"xxxxxxxxxx data {i} yyyyyyyyyyyyyy"));
        Assert.Equal("0xc8d3ca65cdb4874300a9e39475508f23ed6da09fdbc487f89a2dcf50b09eb263", Keccak256.Compute(bloom.Bytes).ToString());
        Assert.Equal(bloom, new Bloom(bloom.Bytes));
    }

    [Fact]
    public void Added_items_are_found_and_unrelated_ones_mostly_not()
    {
        var bloom = new Bloom();
        foreach (var word in new[] { "testtest", "test", "hallo", "other" }) bloom.Add(Encoding.ASCII.GetBytes(word));
        foreach (var word in new[] { "testtest", "test", "hallo", "other" }) Assert.True(bloom.MightContain(Encoding.ASCII.GetBytes(word)));
        // The same negatives go-ethereum checks.
        Assert.False(bloom.MightContain("tes"u8));
        Assert.False(bloom.MightContain("lo"u8));
    }

    [Fact]
    public void Each_item_sets_one_to_three_bits() =>
        Prop.ForAll<byte[]>(item =>
        {
            var bloom = new Bloom();
            bloom.Add(item);
            var bits = 0;
            foreach (var b in bloom.Bytes) bits += BitOperations.PopCount(b);
            Assert.InRange(bits, 1, 3);
            Assert.True(bloom.MightContain(item));
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void Accumulate_is_the_union() =>
        Prop.ForAll<byte[][], byte[][]>((left, right) =>
        {
            var a = new Bloom();
            var b = new Bloom();
            var both = new Bloom();
            foreach (var item in left) { a.Add(item); both.Add(item); }
            foreach (var item in right) { b.Add(item); both.Add(item); }
            a.Accumulate(b);
            Assert.Equal(both, a);
        }).QuickCheckThrowOnFailure();

    [Fact]
    public void AddLog_adds_address_and_topics()
    {
        var address = Address.Parse("0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed");
        var topic = Abi.EventTopic("Transfer(address,address,uint256)");
        var bloom = new Bloom();
        bloom.AddLog(address, [topic]);
        var expected = new Bloom();
        expected.Add(address.Bytes);
        expected.Add(topic.Bytes);
        Assert.Equal(expected, bloom);
        Assert.True(bloom.MightContain(address.Bytes));
        Assert.True(bloom.MightContain(topic.Bytes));
    }

    [Fact]
    public void Wrong_size_encoding_is_rejected() =>
        Assert.Throws<ArgumentException>(() => new Bloom(new byte[255]));
}
