using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Xunit;

namespace Thalamus.Chain.Tests.Blocks;

public class BaseFeeCalculatorTests
{
    private const ulong InitialBaseFee = 1_000_000_000;

    // geth's TestCalcBaseFee vectors (parent gas limit 20M, so the target is 10M).
    [Theory]
    [InlineData(InitialBaseFee, 20_000_000UL, 10_000_000UL, 1_000_000_000UL)] // at target: unchanged
    [InlineData(InitialBaseFee, 20_000_000UL, 9_000_000UL, 987_500_000UL)]    // below target: down
    [InlineData(InitialBaseFee, 20_000_000UL, 11_000_000UL, 1_012_500_000UL)] // above target: up
    public void Geth_vectors(ulong parentBaseFee, ulong parentGasLimit, ulong parentGasUsed, ulong expected)
    {
        Assert.Equal((UInt256)expected, BaseFeeCalculator.Next(parentBaseFee, parentGasUsed, parentGasLimit));
    }

    [Fact]
    public void Full_block_raises_by_an_eighth_and_empty_block_lowers_by_an_eighth()
    {
        Assert.Equal((UInt256)1_125_000_000UL, BaseFeeCalculator.Next(InitialBaseFee, 30_000_000, 30_000_000));
        Assert.Equal((UInt256)875_000_000UL, BaseFeeCalculator.Next(InitialBaseFee, 0, 30_000_000));
    }

    [Fact]
    public void Any_use_above_target_raises_by_at_least_one_wei()
    {
        Assert.Equal((UInt256)8UL, BaseFeeCalculator.Next(7, 15_000_001, 30_000_000));
    }

    [Fact]
    public void Profile_floor_applies()
    {
        var profile = new ChainProfile { MinBaseFee = 100 };
        var parent = new BlockHeader { BaseFeePerGas = 100, GasLimit = 30_000_000, GasUsed = 0 };
        Assert.Equal((UInt256)100UL, BaseFeeCalculator.Next(parent, profile));
    }

    [Fact]
    public void Change_is_bounded_by_an_eighth_and_follows_the_direction_of_use()
    {
        var gen =
            from fee in Gen.Choose(0, int.MaxValue)
            from limit in Gen.Choose(2, 60_000_000)
            from used in Gen.Choose(0, limit)
            select (Fee: (ulong)fee, Limit: (ulong)limit, Used: (ulong)used);
        Prop.ForAll(gen.ToArbitrary(), c =>
        {
            var next = (ulong)BaseFeeCalculator.Next(c.Fee, c.Used, c.Limit);
            var target = c.Limit / 2;
            var maxStep = c.Fee / 8 + 1;
            if (c.Used == target) return next == c.Fee;
            if (c.Used > target) return next > c.Fee && next - c.Fee <= maxStep;
            return next <= c.Fee && c.Fee - next <= maxStep;
        }).QuickCheckThrowOnFailure();
    }
}
