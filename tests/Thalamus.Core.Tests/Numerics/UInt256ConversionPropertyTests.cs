using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Xunit;
using static Thalamus.Core.Tests.Numerics.UInt256Generators;

namespace Thalamus.Core.Tests.Numerics;

/// <summary>Byte, BigInteger, integer and text conversions: round trips and agreement with BigInteger.</summary>
public class UInt256ConversionPropertyTests
{
    private static void Check1(Action<UInt256> property) => Check.One(Settings, Prop.ForAll(Arbitrary, property));

    private static byte[] ReferenceBigEndian(UInt256 a)
    {
        byte[] minimal = Ref(a).IsZero ? [] : Ref(a).ToByteArray(isUnsigned: true, isBigEndian: true);
        var full = new byte[32];
        minimal.CopyTo(full, 32 - minimal.Length);
        return full;
    }

    [Fact]
    public void Big_endian_bytes_round_trip() => Check1(a =>
    {
        byte[] bytes = a.ToBigEndian();
        Assert.Equal(ReferenceBigEndian(a), bytes);
        Assert.Equal(a, UInt256.FromBigEndian(bytes));

        Span<byte> buffer = stackalloc byte[40];
        buffer.Fill(0xAA);
        a.WriteBigEndian(buffer);
        Assert.Equal(bytes, buffer[..32].ToArray());
        Assert.Equal(0xAA, buffer[32]);
    });

    [Fact]
    public void Trimmed_big_endian_is_minimal_and_round_trips() => Check1(a =>
    {
        var buffer = new byte[32];
        a.WriteBigEndianTrimmed(buffer);
        byte[] trimmed = buffer[..a.ByteLength];
        Assert.Equal(ReferenceBigEndian(a)[(32 - a.ByteLength)..], trimmed);
        if (trimmed.Length > 0) Assert.NotEqual(0, trimmed[0]);
        Assert.Equal(a, UInt256.FromBigEndian(trimmed));
    });

    [Fact]
    public void Short_big_endian_input_is_left_padded() => Check.One(Settings, Prop.ForAll(
        Gen.Choose(0, 255).ArrayOf().Select(xs => xs.Take(32).Select(x => (byte)x).ToArray()).ToArbitrary(), bytes =>
        {
            UInt256 value = UInt256.FromBigEndian(bytes);
            BigInteger expected = bytes.Length == 0 ? 0 : new BigInteger(bytes, isUnsigned: true, isBigEndian: true);
            AssertEqual(expected, value);
        }));

    [Fact]
    public void Big_endian_input_longer_than_32_bytes_is_rejected()
    {
        Assert.Throws<ArgumentException>(() => UInt256.FromBigEndian(new byte[33]));
        Assert.Throws<ArgumentException>(() => UInt256.One.WriteBigEndian(new byte[31]));
        Assert.Throws<ArgumentException>(() => new UInt256(0, 1).WriteBigEndianTrimmed(new byte[8]));
    }

    [Fact]
    public void BigInteger_round_trips_and_reduces_mod_2_256() => Check.One(Settings, Prop.ForAll(
        Arbitrary, Arbitrary, Gen.Choose(-2, 2).ToArbitrary(), (a, b, k) =>
        {
            Assert.Equal(Ref(a), a.ToBigInteger());
            Assert.Equal(a, UInt256.FromBigInteger(a.ToBigInteger()));

            // Any integer, negative or beyond 2^256, maps to its residue (two's complement for negatives).
            BigInteger wide = Ref(a) + k * Modulus - Ref(b);
            AssertEqual(wide, UInt256.FromBigInteger(wide));
        }));

    [Fact]
    public void Integer_conversions_truncate_or_check() => Check1(a =>
    {
        Assert.Equal((ulong)(Ref(a) & ulong.MaxValue), (ulong)a);
        Assert.Equal(unchecked((long)(ulong)(Ref(a) & ulong.MaxValue)), (long)a);
        Assert.Equal(unchecked((int)(uint)(Ref(a) & uint.MaxValue)), (int)a);

        if (Ref(a) <= ulong.MaxValue) Assert.Equal((ulong)Ref(a), checked((ulong)a));
        else Assert.Throws<OverflowException>(() => checked((ulong)a));
        if (Ref(a) <= long.MaxValue) Assert.Equal((long)Ref(a), checked((long)a));
        else Assert.Throws<OverflowException>(() => checked((long)a));
        if (Ref(a) <= int.MaxValue) Assert.Equal((int)Ref(a), checked((int)a));
        else Assert.Throws<OverflowException>(() => checked((int)a));
    });

    [Fact]
    public void Implicit_conversions_from_builtin_integers() => Check.One(Settings, Prop.ForAll(
        Gen.Choose(0, int.MaxValue).ToArbitrary(), i =>
        {
            UInt256 fromInt = i;
            UInt256 fromUInt = (uint)i * 2u;
            UInt256 fromULong = (ulong)i * 0x1_0000_0001UL;
            AssertEqual(i, fromInt);
            AssertEqual((uint)i * 2u, fromUInt);
            AssertEqual((ulong)i * 0x1_0000_0001UL, fromULong);
        }));

    [Fact]
    public void Negative_int_is_rejected()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => { UInt256 _ = -1; });
    }

    [Fact]
    public void Decimal_text_matches_reference_and_round_trips() => Check1(a =>
    {
        string text = a.ToString();
        Assert.Equal(Ref(a).ToString(System.Globalization.CultureInfo.InvariantCulture), text);
        Assert.Equal(a, UInt256.Parse(text));
        Assert.True(UInt256.TryParse("000" + text, out UInt256 padded));
        Assert.Equal(a, padded);
    });

    [Fact]
    public void Hex_text_is_minimal_and_round_trips() => Check1(a =>
    {
        string hex = a.ToHexString();
        string expected = "0x" + (Ref(a).IsZero ? "0" : Ref(a).ToString("x", System.Globalization.CultureInfo.InvariantCulture).TrimStart('0'));
        Assert.Equal(expected, hex);
        Assert.Equal(a, UInt256.Parse(hex));
        Assert.Equal(a, UInt256.Parse("0X" + hex[2..].ToUpperInvariant()));
        Assert.Equal(a, UInt256.Parse("0x" + hex[2..].PadLeft(64, '0')));
    });

    [Fact]
    public void Text_beyond_2_256_overflows() => Check.One(Settings, Prop.ForAll(Arbitrary, a =>
    {
        BigInteger tooBig = Modulus + Ref(a);
        string dec = tooBig.ToString(System.Globalization.CultureInfo.InvariantCulture);
        Assert.Throws<OverflowException>(() => UInt256.Parse(dec));
        Assert.False(UInt256.TryParse(dec, out _));
        string hex = "0x" + tooBig.ToString("x", System.Globalization.CultureInfo.InvariantCulture).TrimStart('0');
        Assert.Throws<OverflowException>(() => UInt256.Parse(hex));
        Assert.False(UInt256.TryParse(hex, out _));
    }));

    [Theory]
    [InlineData("")]
    [InlineData("0x")]
    [InlineData("0X")]
    [InlineData("x1")]
    [InlineData("-1")]
    [InlineData("+1")]
    [InlineData(" 1")]
    [InlineData("1 ")]
    [InlineData("12a")]
    [InlineData("0xg")]
    [InlineData("0x-1")]
    [InlineData("1.0")]
    [InlineData("0x0x1")]
    public void Malformed_text_is_rejected(string text)
    {
        Assert.False(UInt256.TryParse(text, out _));
        Assert.Throws<FormatException>(() => UInt256.Parse(text));
    }

    [Fact]
    public void Null_text_is_rejected()
    {
        Assert.False(UInt256.TryParse(null, out _));
        Assert.Throws<ArgumentNullException>(() => UInt256.Parse(null!));
    }
}
