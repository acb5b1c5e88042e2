using Thalamus.Core;
using Thalamus.Evm.Precompiles;
using Xunit;
using static Thalamus.Evm.Tests.Precompiles.PrecompileTestInput;

namespace Thalamus.Evm.Tests.Precompiles;

public class Bn254PrecompileTests
{
    private const string G1 = "0000000000000000000000000000000000000000000000000000000000000001" + "0000000000000000000000000000000000000000000000000000000000000002";
    // 2·G1 for the BN254 generator (1, 2).
    private const string TwoG1 = "030644e72e131a029b85045b68181585d97816a916871ca8d3c208c16d87cfd3" + "15ed738c0e0a7c92e7845f96b2ae9c0a68a6a449e3538fc7ff3ebf7a5a18a2c4";

    [Fact]
    public void Add_costs_150_and_doubles_the_generator()
    {
        var result = PrecompileRegistry.Run(At(0x06), Hex.Decode(G1 + G1), 1000);
        Assert.True(result.Success);
        Assert.Equal(150, result.GasUsed);
        Assert.Equal(TwoG1, Hex.Encode(result.Output, prefix: false));
    }

    [Fact]
    public void Add_pads_short_input_and_ignores_extra_bytes()
    {
        // G1 + (absent = infinity) = G1; bytes past 128 are ignored.
        Assert.Equal(G1, Hex.Encode(PrecompileRegistry.Run(At(0x06), Hex.Decode(G1), 150).Output, prefix: false));
        Assert.Equal(new byte[64], PrecompileRegistry.Run(At(0x06), [], 150).Output);
        Assert.Equal(TwoG1, Hex.Encode(PrecompileRegistry.Run(At(0x06), Hex.Decode(G1 + G1 + "ff"), 150).Output, prefix: false));
    }

    [Fact]
    public void Multiply_costs_6000()
    {
        var result = PrecompileRegistry.Run(At(0x07), Hex.Decode(G1 + Word(2)), 6000);
        Assert.True(result.Success);
        Assert.Equal(6000, result.GasUsed);
        Assert.Equal(TwoG1, Hex.Encode(result.Output, prefix: false));
        // Scalar absent (padded with zeros): the point at infinity.
        Assert.Equal(new byte[64], PrecompileRegistry.Run(At(0x07), Hex.Decode(G1), 6000).Output);
    }

    [Theory]
    [InlineData(0x06, 150)]
    [InlineData(0x07, 6000)]
    public void A_point_off_the_curve_fails_consuming_all_gas(byte precompile, long price)
    {
        // (1, 3) is not on y^2 = x^3 + 3.
        string offCurve = Word(1) + Word(3);
        var result = PrecompileRegistry.Run(At(precompile), Hex.Decode(offCurve + Word(1) + Word(2)), 50_000);
        Assert.False(result.Success);
        Assert.Equal(50_000, result.GasUsed);
        Assert.True(price < 50_000);
    }

    [Fact]
    public void Pairing_of_nothing_is_one_for_the_base_price()
    {
        var result = PrecompileRegistry.Run(At(0x08), [], 45_000);
        Assert.True(result.Success);
        Assert.Equal(45_000, result.GasUsed);
        Assert.Equal(Hex.Decode("0x" + Word(1)), result.Output);
    }

    [Fact]
    public void Pairing_costs_34000_per_pair()
    {
        // Two pairs of points at infinity: the product is one.
        var result = PrecompileRegistry.Run(At(0x08), new byte[2 * 192], 200_000);
        Assert.True(result.Success);
        Assert.Equal(45_000 + 2 * 34_000, result.GasUsed);
        Assert.Equal(Hex.Decode("0x" + Word(1)), result.Output);

        var starved = PrecompileRegistry.Run(At(0x08), new byte[2 * 192], 45_000 + 2 * 34_000 - 1);
        Assert.False(starved.Success);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(191)]
    [InlineData(193)]
    public void Pairing_input_must_be_a_multiple_of_192(int length)
    {
        var result = PrecompileRegistry.Run(At(0x08), new byte[length], 1_000_000);
        Assert.False(result.Success);
        Assert.Equal(1_000_000, result.GasUsed);
    }
}
