using System.Numerics;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Evm.Precompiles;
using Xunit;
using static Thalamus.Evm.Tests.Precompiles.PrecompileTestInput;

namespace Thalamus.Evm.Tests.Precompiles;

public class PointEvaluationPrecompileTests
{
    /// <summary>z = 0, y = 0 with commitment and proof both the point at infinity (compressed 0xc0…): a valid opening.</summary>
    private static byte[] TrivialValidInput()
    {
        byte[] infinity = new byte[48];
        infinity[0] = 0xc0;
        byte[] versionedHash = Sha256.Compute(infinity).ToArray();
        versionedHash[0] = 0x01;
        return Concat(versionedHash, new byte[32], new byte[32], infinity, infinity);
    }

    [Fact]
    public void A_valid_opening_returns_the_blob_parameters_for_50000_gas()
    {
        var result = PrecompileRegistry.Run(At(0x0a), TrivialValidInput(), 60_000);

        Assert.True(result.Success);
        Assert.Equal(50_000, result.GasUsed);
        Assert.Equal(64, result.Output.Length);
        Assert.Equal(new BigInteger(4096), new BigInteger(result.Output.AsSpan(0, 32), isUnsigned: true, isBigEndian: true));
        Assert.Equal(
            BigInteger.Parse("52435875175126190479447740508185965837690552500527637822603658699938581184513"),
            new BigInteger(result.Output.AsSpan(32, 32), isUnsigned: true, isBigEndian: true));
    }

    [Fact]
    public void A_versioned_hash_that_does_not_match_the_commitment_fails()
    {
        byte[] input = TrivialValidInput();
        input[31] ^= 1;
        var result = PrecompileRegistry.Run(At(0x0a), input, 60_000);
        Assert.False(result.Success);
        Assert.Equal(60_000, result.GasUsed);
    }

    [Fact]
    public void A_wrong_claimed_value_fails()
    {
        byte[] input = TrivialValidInput();
        input[95] = 1; // y = 1, but the zero polynomial evaluates to 0
        Assert.False(PrecompileRegistry.Run(At(0x0a), input, 60_000).Success);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(191)]
    [InlineData(193)]
    public void Input_must_be_192_bytes(int length)
    {
        byte[] input = new byte[length];
        TrivialValidInput().AsSpan(0, Math.Min(length, 192)).CopyTo(input);
        var result = PrecompileRegistry.Run(At(0x0a), input, 60_000);
        Assert.False(result.Success);
        Assert.Equal(60_000, result.GasUsed);
    }

    [Fact]
    public void Underfunded_call_fails() =>
        Assert.False(PrecompileRegistry.Run(At(0x0a), TrivialValidInput(), 49_999).Success);
}
