using Thalamus.Core;
using Xunit;

namespace Thalamus.Chain.Tests.Blocks;

public class LogFilterTests
{
    private static readonly Address Emitter = Address.Parse("0x00000000000000000000000000000000000000aa");
    private static readonly Address Other = Address.Parse("0x00000000000000000000000000000000000000bb");
    private static readonly Hash256 T1 = Keccak256.Compute([1]);
    private static readonly Hash256 T2 = Keccak256.Compute([2]);
    private static readonly Hash256 T3 = Keccak256.Compute([3]);

    [Fact]
    public void Empty_filter_matches_everything()
    {
        Assert.True(new LogFilter().Matches(Emitter, [T1]));
        Assert.True(new LogFilter().Matches(Emitter, []));
    }

    [Fact]
    public void Address_set_restricts_the_emitter()
    {
        var filter = new LogFilter { Addresses = [Emitter] };
        Assert.True(filter.Matches(Emitter, [T1]));
        Assert.False(filter.Matches(Other, [T1]));
    }

    [Fact]
    public void Topic_positions_with_wildcards_and_alternatives()
    {
        var filter = new LogFilter { Topics = [null, new[] { T2, T3 }] };
        Assert.True(filter.Matches(Emitter, [T1, T2]));
        Assert.True(filter.Matches(Emitter, [T1, T3, T1]));
        Assert.False(filter.Matches(Emitter, [T1, T1]));
        Assert.False(filter.Matches(Emitter, [T2]));

        // As in geth, every position counts, wildcards included.
        var trailingWildcard = new LogFilter { Topics = [new[] { T1 }, null] };
        Assert.False(trailingWildcard.Matches(Emitter, [T1]));
        Assert.True(trailingWildcard.Matches(Emitter, [T1, T3]));
    }

    [Fact]
    public void Bloom_check_skips_blocks_that_cannot_match()
    {
        var bloom = new Bloom();
        bloom.AddLog(Emitter, [T1]);
        Assert.True(new LogFilter { Addresses = [Emitter], Topics = [new[] { T1 }] }.MightMatch(bloom));
        Assert.False(new LogFilter { Topics = [new[] { T2 }] }.MightMatch(bloom));
    }
}
