using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Xunit;

namespace Thalamus.Crypto.Tests;

public class Ripemd160Tests
{
    // The test vectors published with the algorithm (Dobbertin, Bosselaers, Preneel).
    [Theory]
    [InlineData("", "9c1185a5c5e9fc54612808977ee8f548b2258d31")]
    [InlineData("a", "0bdc9d2d256b3ee9daae347be6f4dc835a467ffe")]
    [InlineData("abc", "8eb208f7e05d987a9b044a8e98c6b087f15a0bfc")]
    [InlineData("message digest", "5d0689ef49d2fae572b881b123a85ffa21595f36")]
    [InlineData("abcdefghijklmnopqrstuvwxyz", "f71c27109c692c1b56bbdceb5b9d2865b3708dbc")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "12a053384a9c0c88e405a06c27dcf49ada62eb2b")]
    [InlineData("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789", "b0e20b6e3116640286ed3a87a5713079b21f5189")]
    [InlineData("12345678901234567890123456789012345678901234567890123456789012345678901234567890", "9b752e45573d4b39f4dbd3323cab82bf63326bfb")]
    public void Published_vectors(string message, string expected) =>
        Assert.Equal(expected, Hex.Encode(Ripemd160.Compute(Encoding.ASCII.GetBytes(message)), prefix: false));

    [Fact]
    public void Million_a() =>
        Assert.Equal("52783243c1697bdbe16d37f97f68f08325dc1528", Hex.Encode(Ripemd160.Compute(Enumerable.Repeat((byte)'a', 1_000_000).ToArray()), prefix: false));

    [Fact]
    public void Matches_an_independent_implementation() => Check.One(CryptoGenerators.Config, Prop.ForAll(
        CryptoGenerators.Message.ToArbitrary(), message =>
        {
            var reference = new Org.BouncyCastle.Crypto.Digests.RipeMD160Digest();
            reference.BlockUpdate(message, 0, message.Length);
            var expected = new byte[20];
            reference.DoFinal(expected, 0);

            Span<byte> actual = stackalloc byte[20];
            Ripemd160.Compute(message, actual);
            Assert.Equal(expected, actual.ToArray());
        }));

    [Fact]
    public void Short_output_buffer_is_an_argument_error() =>
        Assert.Throws<ArgumentException>(() => Ripemd160.Compute([1, 2, 3], new byte[19]));
}
