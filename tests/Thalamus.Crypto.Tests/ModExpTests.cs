using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Xunit;

namespace Thalamus.Crypto.Tests;

public class ModExpTests
{
    private static string Word(ulong value) => value.ToString("x64");

    private static byte[] Input(ulong baseLength, ulong exponentLength, ulong modulusLength, string body) =>
        Hex.Decode(Word(baseLength) + Word(exponentLength) + Word(modulusLength) + body);

    [Fact]
    public void EIP198_example_fermat_little_theorem()
    {
        // 3^(p-1) mod p = 1 for the secp256k1 field prime p.
        byte[] input = Input(1, 32, 32,
            "03" +
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e" +
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
        Assert.Equal(Hex.Decode("0x" + Word(1)), ModExp.Run(input));
    }

    [Fact]
    public void EIP198_example_zero_base()
    {
        byte[] input = Input(0, 32, 32,
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2e" +
            "fffffffffffffffffffffffffffffffffffffffffffffffffffffffefffffc2f");
        Assert.Equal(new byte[32], ModExp.Run(input));
    }

    [Fact]
    public void Zero_modulus_length_gives_empty_output_without_reading_huge_fields()
    {
        // Lengths far beyond memory are fine when the modulus is empty.
        byte[] input = Hex.Decode(new string('f', 64) + new string('f', 64) + Word(0));
        Assert.Empty(ModExp.Run(input));
        Assert.Empty(ModExp.Run([]));
        Assert.Empty(ModExp.Run(Input(0, 0, 0, "")));
    }

    [Theory]
    [InlineData(0UL, 5UL, 1)]
    [InlineData(7UL, 5UL, 3)]
    [InlineData(0UL, 0UL, 2)]
    public void Zero_modulus_gives_zeros_of_modulus_length(ulong baseValue, ulong exponent, int modulusLength)
    {
        byte[] input = Input(8, 8, (ulong)modulusLength, baseValue.ToString("x16") + exponent.ToString("x16") + new string('0', 2 * modulusLength));
        Assert.Equal(new byte[modulusLength], ModExp.Run(input));
    }

    [Fact]
    public void Modulus_one_and_zero_exponent_edge_cases()
    {
        Assert.Equal(new byte[] { 0 }, ModExp.Run(Input(1, 1, 1, "00" + "00" + "01"))); // 0^0 mod 1 = 0
        Assert.Equal(new byte[] { 1 }, ModExp.Run(Input(1, 1, 1, "00" + "00" + "05"))); // 0^0 mod 5 = 1
        Assert.Equal(new byte[] { 0, 1 }, ModExp.Run(Input(1, 0, 2, "07" + "0100"))); // 7^0 mod 256 = 1
        Assert.Equal(new byte[] { 0 }, ModExp.Run(Input(0, 1, 1, "03" + "05"))); // 0^3 mod 5 = 0
    }

    [Fact]
    public void Truncated_input_is_extended_with_zeros_on_the_right()
    {
        // base = 2, exponent = 3, the modulus field is 2 bytes but only "01" is present: modulus = 0x0100.
        Assert.Equal(new byte[] { 0x00, 0x08 }, ModExp.Run(Input(1, 1, 2, "02" + "03" + "01")));
        // The exponent field is 2 bytes with only "01" present: exponent = 0x0100 = 256; modulus absent = 0.
        Assert.Equal(new byte[] { 0 }, ModExp.Run(Input(1, 2, 1, "02" + "01")));
        // A header cut short reads as zero lengths.
        Assert.Empty(ModExp.Run(Hex.Decode(Word(1) + "00")));
    }

    [Fact]
    public void Oversized_lengths_with_a_modulus_are_argument_errors() =>
        Assert.Throws<ArgumentOutOfRangeException>(() => ModExp.Run(Hex.Decode(Word(1) + new string('f', 64) + Word(1))));

    [Fact]
    public void Exponent_head_is_the_leading_32_bytes()
    {
        byte[] input = Input(1, 40, 1, "07" + "0102030405060708" + new string('a', 64) + "09");
        ModExp.ReadHeader(input, out UInt256 b, out UInt256 e, out UInt256 m);
        Assert.Equal((UInt256)1, b);
        Assert.Equal((UInt256)40, e);
        Assert.Equal((UInt256)1, m);
        Assert.Equal(UInt256.FromBigEndian(Hex.Decode("0102030405060708" + new string('a', 48))), ModExp.ReadExponentHead(input, b, e));
        Assert.Equal(UInt256.FromBigEndian(Hex.Decode("0102")), ModExp.ReadExponentHead(input, b, 2));
        Assert.Equal(UInt256.Zero, ModExp.ReadExponentHead(input, UInt256.MaxValue, e));
    }

    [Fact]
    public void Agrees_with_repeated_multiplication() => Check.One(CryptoGenerators.Config, Prop.ForAll(
        Gen.Choose(0, 70).SelectMany(CryptoGenerators.Bytes).ToArbitrary(),
        Gen.Choose(0, 300).ToArbitrary(),
        Gen.Choose(1, 70).SelectMany(CryptoGenerators.Bytes).ToArbitrary(),
        (baseBytes, exponent, modulusBytes) =>
        {
            var b = new BigInteger(baseBytes, isUnsigned: true, isBigEndian: true);
            var m = new BigInteger(modulusBytes, isUnsigned: true, isBigEndian: true);
            BigInteger expected = BigInteger.Zero;
            if (!m.IsZero)
            {
                expected = BigInteger.One % m;
                for (int i = 0; i < exponent; i++)
                    expected = expected * b % m;
            }

            byte[] exponentBytes = new BigInteger(exponent).ToByteArray(isUnsigned: true, isBigEndian: true);
            byte[] input = [.. Input((ulong)baseBytes.Length, (ulong)exponentBytes.Length, (ulong)modulusBytes.Length, ""),
                .. baseBytes, .. exponentBytes, .. modulusBytes];
            byte[] output = ModExp.Run(input);

            Assert.Equal(modulusBytes.Length, output.Length);
            Assert.Equal(expected, new BigInteger(output, isUnsigned: true, isBigEndian: true));
        }));
}
