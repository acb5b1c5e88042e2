using System.Numerics;
using System.Text;
using System.Text.Json;
using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Xunit;

namespace Thalamus.Rpc.Tests;

public class RpcHexTests
{
    private static readonly Config Settings = Config.QuickThrowOnFailure.WithMaxTest(500);

    // Often fewer limbs, so small values are as common as full-width ones.
    private static readonly Arbitrary<UInt256> Words = Gen.Choose(0, 4)
        .SelectMany(width => Gen.ArrayOf(ArbMap.Default.GeneratorFor<ulong>(), 4).Select(l => width switch
        {
            0 => new UInt256(l[0] & 0xFF),
            1 => new UInt256(l[0]),
            2 => new UInt256(l[0], l[1]),
            3 => new UInt256(l[0], l[1], l[2]),
            _ => new UInt256(l[0], l[1], l[2], l[3]),
        }))
        .ToArbitrary();

    private static string Format(ulong value)
    {
        Span<byte> buffer = stackalloc byte[18];
        return Encoding.ASCII.GetString(buffer[..RpcHex.FormatQuantity(value, buffer)]);
    }

    private static string Format(UInt256 value)
    {
        Span<byte> buffer = stackalloc byte[RpcHex.MaxQuantityLength];
        return Encoding.ASCII.GetString(buffer[..RpcHex.FormatQuantity(value, buffer)]);
    }

    [Fact]
    public void Quantity_of_ulong_is_minimal_hex_and_round_trips() => Check.One(Settings, Prop.ForAll<ulong>(value =>
    {
        var text = Format(value);
        Assert.Equal("0x" + value.ToString("x", System.Globalization.CultureInfo.InvariantCulture), text);
        Assert.Null(RpcHex.TryParseQuantity(Encoding.ASCII.GetBytes(text), out ulong parsed));
        Assert.Equal(value, parsed);
    }));

    [Fact]
    public void Quantity_of_uint256_matches_BigInteger_and_round_trips() => Check.One(Settings, Prop.ForAll(Words, value =>
    {
        var text = Format(value);
        var big = value.ToBigInteger();
        var expected = big.IsZero ? "0x0" : "0x" + big.ToString("x", System.Globalization.CultureInfo.InvariantCulture).TrimStart('0');
        Assert.Equal(expected, text);
        Assert.Equal(value.ToHexString(), text);
        Assert.Null(RpcHex.TryParseQuantity(Encoding.ASCII.GetBytes(text), out UInt256 parsed));
        Assert.Equal(value, parsed);
    }));

    [Fact]
    public void Data_round_trips_and_is_lowercase() => Check.One(Settings, Prop.ForAll<byte[]>(bytes =>
    {
        var buffer = new byte[2 + 2 * bytes.Length];
        RpcHex.FormatData(bytes, buffer);
        var text = Encoding.ASCII.GetString(buffer);
        Assert.Equal(Hex.Encode(bytes), text);
        Assert.Null(RpcHex.TryParseData(buffer, out var parsed));
        Assert.Equal(bytes, parsed);
        // Upper-case digits are accepted on input.
        Assert.Null(RpcHex.TryParseData(Encoding.ASCII.GetBytes("0x" + text[2..].ToUpperInvariant()), out var upper));
        Assert.Equal(bytes, upper);
    }));

    [Theory]
    [InlineData("", RpcHex.ErrEmpty)]
    [InlineData("12", RpcHex.ErrMissingPrefix)]
    [InlineData("0x", RpcHex.ErrEmptyNumber)]
    [InlineData("0x01", RpcHex.ErrLeadingZero)]
    [InlineData("0x00", RpcHex.ErrLeadingZero)]
    [InlineData("0xg1", RpcHex.ErrSyntax)]
    [InlineData("0x1 ", RpcHex.ErrSyntax)]
    [InlineData("0x10000000000000000", RpcHex.ErrUInt64Range)]
    public void Bad_ulong_quantities_are_rejected_with_geths_message(string text, string error) =>
        Assert.Equal(error, RpcHex.TryParseQuantity(Encoding.ASCII.GetBytes(text), out ulong _));

    [Fact]
    public void Quantity_over_256_bits_is_rejected()
    {
        var text = "0x1" + new string('0', 64);
        Assert.Equal(RpcHex.ErrUInt256Range, RpcHex.TryParseQuantity(Encoding.ASCII.GetBytes(text), out UInt256 _));
        var max = "0x" + new string('f', 64);
        Assert.Null(RpcHex.TryParseQuantity(Encoding.ASCII.GetBytes(max), out UInt256 parsed));
        Assert.Equal(UInt256.MaxValue, parsed);
    }

    [Theory]
    [InlineData("0x1", RpcHex.ErrOddLength)]
    [InlineData("abcd", RpcHex.ErrMissingPrefix)]
    [InlineData("0xzz", RpcHex.ErrSyntax)]
    public void Bad_data_is_rejected(string text, string error) =>
        Assert.Equal(error, RpcHex.TryParseData(Encoding.ASCII.GetBytes(text), out _));

    [Fact]
    public void Empty_data_is_valid()
    {
        Assert.Null(RpcHex.TryParseData("0x"u8, out var bytes));
        Assert.Empty(bytes);
    }

    [Fact]
    public void Address_must_have_exactly_20_bytes()
    {
        var error = RpcHex.TryParseAddress("0x1234"u8, out _);
        Assert.Equal("hex string has length 4, want 40 for an address", error);
        Assert.Null(RpcHex.TryParseAddress("0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266"u8, out var address));
        Assert.Equal(Address.Parse("0xf39fd6e51aad88f6f4ce6ab8827279cfffb92266"), address);
    }

    [Fact]
    public void Writer_emits_quantities_data_and_words()
    {
        using var buffer = new PooledBufferWriter();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartArray();
            writer.WriteQuantity(0UL);
            writer.WriteQuantity(new UInt256(0, 1));
            writer.WriteData(ReadOnlySpan<byte>.Empty);
            writer.WriteData(new byte[600]);
            writer.WriteWord(UInt256.One);
            writer.WriteEndArray();
        }
        using var doc = JsonDocument.Parse(buffer.WrittenMemory);
        var items = doc.RootElement.EnumerateArray().Select(e => e.GetString()!).ToArray();
        Assert.Equal("0x0", items[0]);
        Assert.Equal("0x" + (BigInteger.One << 64).ToString("x", System.Globalization.CultureInfo.InvariantCulture).TrimStart('0'), items[1]);
        Assert.Equal("0x", items[2]);
        Assert.Equal("0x" + new string('0', 1200), items[3]);
        Assert.Equal("0x" + new string('0', 63) + "1", items[4]);
    }
}
