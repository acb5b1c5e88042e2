using System.Security.Cryptography;
using Thalamus.Core;
using Thalamus.Evm.Precompiles;
using Xunit;
using static Thalamus.Evm.Tests.Precompiles.PrecompileTestInput;

namespace Thalamus.Evm.Tests.Precompiles;

public class ModExpPrecompileTests
{
    private const string P = "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f";
    private const string PMinus1 = "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e";

    private static byte[] Input(ulong baseLength, ulong exponentLength, ulong modulusLength, string body) =>
        Hex.Decode(Word(baseLength) + Word(exponentLength) + Word(modulusLength) + body);

    [Fact]
    public void EIP198_example_one_costs_1360_under_EIP2565()
    {
        // 3^(p-1) mod p: complexity ceil(32/8)^2 = 16, iterations = bitlen(p-1) - 1 = 255; 16·255/3 = 1360.
        var result = PrecompileRegistry.Run(At(0x05), Input(1, 32, 32, "03" + PMinus1 + P), 100_000);
        Assert.True(result.Success);
        Assert.Equal(1360, result.GasUsed);
        Assert.Equal(Hex.Decode("0x" + Word(1)), result.Output);
    }

    [Fact]
    public void EIP198_example_two_zero_base_gives_zero()
    {
        var result = PrecompileRegistry.Run(At(0x05), Input(0, 32, 32, PMinus1 + P), 100_000);
        Assert.True(result.Success);
        Assert.Equal(1360, result.GasUsed);
        Assert.Equal(new byte[32], result.Output);
    }

    // The nagydani benchmark shapes: base and modulus of n bytes, exponent 0x010001 (17 bits):
    // ceil(n/8)^2 · 16 / 3.
    [Theory]
    [InlineData(64, 341)]
    [InlineData(128, 1365)]
    [InlineData(256, 5461)]
    [InlineData(512, 21845)]
    [InlineData(1024, 87381)]
    public void Rsa_shaped_inputs_are_priced_by_EIP2565(int length, long expectedGas)
    {
        byte[] modulus = RandomNumberGenerator.GetBytes(length);
        modulus[0] |= 0x80;
        byte[] input = Concat(Input((ulong)length, 3, (ulong)length, ""), RandomNumberGenerator.GetBytes(length), [0x01, 0x00, 0x01], modulus);

        var result = PrecompileRegistry.Run(At(0x05), input, 1_000_000);

        Assert.True(result.Success);
        Assert.Equal(expectedGas, result.GasUsed);
        Assert.Equal(expectedGas, PrecompileRegistry.ModExpGas(input));
        Assert.Equal(length, result.Output.Length);
    }

    // A 40-byte exponent: 8·(40 - 32) iterations for the extra bytes plus the head's top bit index.
    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", 64)]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000001", 64)]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000002", 65)]
    [InlineData("8000000000000000000000000000000000000000000000000000000000000000", 319)]
    public void Long_exponents_count_their_extra_bytes(string head, long iterations)
    {
        byte[] input = Input(32, 40, 32, new string('1', 64) + head + "0000000000000000" + P);
        Assert.Equal(Math.Max(200, 16 * iterations / 3), PrecompileRegistry.ModExpGas(input));
    }

    [Fact]
    public void Zero_lengths_cost_the_minimum_even_with_a_huge_exponent_length()
    {
        byte[] input = Hex.Decode(Word(0) + new string('f', 64) + Word(0));
        var result = PrecompileRegistry.Run(At(0x05), input, 200);
        Assert.True(result.Success);
        Assert.Equal(200, result.GasUsed);
        Assert.Empty(result.Output);

        var empty = PrecompileRegistry.Run(At(0x05), [], 200);
        Assert.True(empty.Success);
        Assert.Empty(empty.Output);
    }

    [Theory]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000000", "0000000000000000000000000000000000000000000000000000000000000020", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff")]
    [InlineData("ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "0000000000000000000000000000000000000000000000000000000000000001", "0000000000000000000000000000000000000000000000000000000000000001")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000001", "ffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff", "0000000000000000000000000000000000000000000000000000000000000001")]
    [InlineData("0000000000000000000000000000000000000000000000000000000000000001", "0000000000000000000000000000000000000000000000000000000100000000", "0000000000000000000000000000000000000000000000000000000000000001")]
    public void Absurd_lengths_run_out_of_gas_without_allocating(string baseLength, string exponentLength, string modulusLength)
    {
        byte[] input = Hex.Decode(baseLength + exponentLength + modulusLength + "03" + PMinus1 + P);
        var result = PrecompileRegistry.Run(At(0x05), input, 30_000_000);
        Assert.False(result.Success);
        Assert.Equal(30_000_000, result.GasUsed);
        Assert.Empty(result.Output);
    }

    [Fact]
    public void Zero_modulus_returns_zeros()
    {
        var result = PrecompileRegistry.Run(At(0x05), Input(1, 1, 4, "05" + "03" + "00000000"), 10_000);
        Assert.True(result.Success);
        Assert.Equal(new byte[4], result.Output);
    }
}
