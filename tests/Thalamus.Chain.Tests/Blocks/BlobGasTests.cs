using Thalamus.Core;
using Xunit;

namespace Thalamus.Chain.Tests.Blocks;

public class BlobGasTests
{
    [Theory]
    [InlineData(0UL, 0UL, 0UL)]
    [InlineData(0UL, 393_216UL, 0UL)]          // exactly the target: no excess
    [InlineData(0UL, 786_432UL, 393_216UL)]     // a full block: one target's worth
    [InlineData(393_216UL, 0UL, 0UL)]
    [InlineData(500_000UL, 131_072UL, 237_856UL)]
    public void Excess_blob_gas_update(ulong parentExcess, ulong parentUsed, ulong expected)
    {
        Assert.Equal(expected, BlobGas.NextExcessBlobGas(parentExcess, parentUsed));
    }

    [Fact]
    public void Blob_base_fee_is_one_wei_without_excess_and_grows_exponentially()
    {
        Assert.Equal(UInt256.One, BlobGas.BaseFee(0));
        // e^1 = 2.718..., the integer approximation floors it.
        Assert.Equal((UInt256)2UL, BlobGas.BaseFee(BlobGas.BaseFeeUpdateFraction));
        // e^10 = 22026.47 (the Taylor series is exact to the integer here).
        Assert.Equal((UInt256)22026UL, BlobGas.BaseFee(10 * BlobGas.BaseFeeUpdateFraction));
        var previous = UInt256.Zero;
        for (ulong excess = 0; excess < 20_000_000; excess += 393_216)
        {
            var fee = BlobGas.BaseFee(excess);
            Assert.True(fee >= previous);
            previous = fee;
        }
    }
}
