using System.Text;
using Thalamus.Core;
using Xunit;

namespace Thalamus.Crypto.Tests;

public class Sha256Tests
{
    // FIPS 180-2 examples.
    [Theory]
    [InlineData("", "0xe3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")]
    [InlineData("abc", "0xba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")]
    [InlineData("abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq", "0x248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1")]
    public void Published_vectors(string message, string expected)
    {
        byte[] input = Encoding.ASCII.GetBytes(message);
        Assert.Equal(Hash256.Parse(expected), Sha256.Compute(input));
        Span<byte> output = stackalloc byte[32];
        Sha256.Compute(input, output);
        Assert.Equal(expected, Hex.Encode(output));
    }
}
