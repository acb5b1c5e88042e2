using System.Security.Cryptography;
using Thalamus.Core;
using Thalamus.Evm.Precompiles;
using Xunit;
using static Thalamus.Evm.Tests.Precompiles.PrecompileTestInput;

namespace Thalamus.Evm.Tests.Precompiles;

public class PrecompileRegistryTests
{
    [Theory]
    [InlineData("0x0000000000000000000000000000000000000001", true)]
    [InlineData("0x0000000000000000000000000000000000000005", true)]
    [InlineData("0x000000000000000000000000000000000000000a", true)]
    [InlineData("0x0000000000000000000000000000000000000000", false)]
    [InlineData("0x000000000000000000000000000000000000000b", false)]
    [InlineData("0x0000000000000000000000000000000000000100", false)]
    [InlineData("0x0000000000000000000000000000000000000101", false)]
    [InlineData("0x1000000000000000000000000000000000000001", false)]
    public void Recognises_the_Cancun_precompiles(string address, bool expected) =>
        Assert.Equal(expected, PrecompileRegistry.IsPrecompile(Address.Parse(address)));

    [Fact]
    public void Running_a_non_precompile_is_an_argument_error() =>
        Assert.Throws<ArgumentException>(() => PrecompileRegistry.Run(At(0x0b), [], 100_000));

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(31)]
    [InlineData(32)]
    [InlineData(33)]
    [InlineData(64)]
    [InlineData(1000)]
    public void Sha256_output_and_word_gas(int length)
    {
        byte[] input = RandomNumberGenerator.GetBytes(length);
        long words = (length + 31) / 32;
        var result = PrecompileRegistry.Run(At(0x02), input, 1_000_000);
        Assert.True(result.Success);
        Assert.Equal(60 + 12 * words, result.GasUsed);
        Assert.Equal(SHA256.HashData(input), result.Output);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(33)]
    [InlineData(500)]
    public void Identity_copies_input_with_word_gas(int length)
    {
        byte[] input = RandomNumberGenerator.GetBytes(length);
        var result = PrecompileRegistry.Run(At(0x04), input, 1_000_000);
        Assert.True(result.Success);
        Assert.Equal(15 + 3 * ((length + 31) / 32), result.GasUsed);
        Assert.Equal(input, result.Output);
    }

    [Fact]
    public void Ripemd160_is_left_padded_to_a_word()
    {
        var result = PrecompileRegistry.Run(At(0x03), "abc"u8, 1_000_000);
        Assert.True(result.Success);
        Assert.Equal(600 + 120, result.GasUsed);
        Assert.Equal(Hex.Decode("0x0000000000000000000000008eb208f7e05d987a9b044a8e98c6b087f15a0bfc"), result.Output);
    }

    [Theory]
    [InlineData(0x02, 72)]   // sha256 of 1 word
    [InlineData(0x03, 720)]  // ripemd160 of 1 word
    [InlineData(0x04, 18)]   // identity of 1 word
    [InlineData(0x01, 3000)] // ecrecover
    [InlineData(0x06, 150)]  // bn254 add
    [InlineData(0x07, 6000)] // bn254 mul
    [InlineData(0x05, 200)]  // modexp minimum
    public void Exact_gas_succeeds_and_one_less_fails_consuming_everything(byte precompile, long gas)
    {
        byte[] input = new byte[32];
        Assert.True(PrecompileRegistry.Run(At(precompile), input, gas).Success);
        Assert.Equal(gas, PrecompileRegistry.Run(At(precompile), input, gas).GasUsed);

        var starved = PrecompileRegistry.Run(At(precompile), input, gas - 1);
        Assert.False(starved.Success);
        Assert.Equal(gas - 1, starved.GasUsed);
        Assert.Empty(starved.Output);
    }
}
