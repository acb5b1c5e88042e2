using System.Text;
using FsCheck;
using FsCheck.Fluent;
using Org.BouncyCastle.Crypto.Digests;
using Xunit;

namespace Thalamus.Core.Tests;

public class Keccak256Tests
{
    [Theory]
    [InlineData("", "0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470")]
    [InlineData("abc", "0x4e03657aea45a94fc7d47ba826c8d667c0d1e6e33a64a036ec44f58fa12d6c45")]
    [InlineData("The quick brown fox jumps over the lazy dog", "0x4d741b6f1eb29cb2a9b9911c82f56fa8d73b04959d3d9d222895df6c0b28aa15")]
    public void Known_text_vectors(string text, string expected) =>
        Assert.Equal(expected, Keccak256.Compute(Encoding.ASCII.GetBytes(text)).ToString());

    // Zero-filled inputs around the 136-byte rate: one block minus one (padding bytes 0x01 and 0x80
    // share the last byte), exactly one block (padding needs a second block), one block plus one.
    [Theory]
    [InlineData(135, "0x29e3704feeca7fb9ba229f0fa04d9b36449cf3ad6e1d85d9cfff3a10df9abc3e")]
    [InlineData(136, "0x3a5912a7c5faa06ee4fe906253e339467a9ce87d533c65be3c15cb231cdb25f9")]
    [InlineData(137, "0xbee7fbb405cb0d91a8775e338c4a5e4b5d6b2d051f687fa942043cffdc73bd28")]
    [InlineData(1000, "0xae72e2bf2302ebcd309e003e5be58830f96deddaf87bb89eeea159388bfe3ec1")]
    public void Known_multi_block_vectors(int length, string expected) =>
        Assert.Equal(expected, Keccak256.Compute(new byte[length]).ToString());

    [Fact]
    public void Constants_are_the_well_known_hashes()
    {
        Assert.Equal("0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470", Keccak256.OfEmpty.ToString());
        Assert.Equal("0x56e81f171bcc55a6ff8345e692c0f86e5b48e01b996cadc001622fb5e363b421", Keccak256.OfEmptyList.ToString());
    }

    [Fact]
    public void Is_Keccak_not_Sha3()
    {
        // SHA3-256("") is a7ffc6f8…; Ethereum's Keccak uses the pre-standard 0x01 padding.
        Assert.NotEqual("0xa7ffc6f8bf1ed76651c14756a061d662f580ff4de43b49fa82d80a4b80f8434a", Keccak256.Compute([]).ToString());
    }

    [Fact]
    public void Agrees_with_an_independent_implementation_at_every_length_up_to_four_blocks()
    {
        var random = new Random(1234);
        for (var length = 0; length <= 4 * Keccak256.Rate + 3; length++)
        {
            var input = new byte[length];
            random.NextBytes(input);
            Assert.Equal(Reference(input), Keccak256.Compute(input).ToArray());
        }
    }

    [Fact]
    public void Agrees_with_an_independent_implementation_on_random_inputs() =>
        Prop.ForAll<byte[]>(input => Assert.Equal(Reference(input), Keccak256.Compute(input).ToArray()))
            .QuickCheckThrowOnFailure();

    [Fact]
    public void Span_overload_matches_and_allows_overlap()
    {
        var buffer = new byte[64];
        new Random(7).NextBytes(buffer);
        var expected = Keccak256.Compute(buffer.AsSpan(0, 64));
        Keccak256.Compute(buffer.AsSpan(0, 64), buffer.AsSpan(0, 32));
        Assert.Equal(expected.ToArray(), buffer[..32]);
        Assert.Throws<ArgumentException>(() => Keccak256.Compute([1, 2, 3], new byte[31]));
    }

    private static byte[] Reference(byte[] input)
    {
        var digest = new KeccakDigest(256);
        digest.BlockUpdate(input, 0, input.Length);
        var output = new byte[32];
        digest.DoFinal(output, 0);
        return output;
    }
}
