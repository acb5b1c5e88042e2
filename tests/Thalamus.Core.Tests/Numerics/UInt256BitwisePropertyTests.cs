using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Xunit;
using static Thalamus.Core.Tests.Numerics.UInt256Generators;

namespace Thalamus.Core.Tests.Numerics;

/// <summary>Bitwise, shift, BYTE, SIGNEXTEND and comparison operations against BigInteger.</summary>
public class UInt256BitwisePropertyTests
{
    private static void Check2(Action<UInt256, UInt256> property) =>
        Check.One(Settings, Prop.ForAll(Arbitrary, Arbitrary, property));

    private static void CheckShift(Action<UInt256, int> property) =>
        Check.One(Settings, Prop.ForAll(Arbitrary, Shift, property));

    private static void CheckIndex(Action<UInt256, UInt256> property) =>
        Check.One(Settings, Prop.ForAll(SmallIndex, Arbitrary, property));

    [Fact]
    public void And_Or_Xor_Not_match_reference() => Check2((a, b) =>
    {
        UInt256.And(in a, in b, out UInt256 and);
        UInt256.Or(in a, in b, out UInt256 or);
        UInt256.Xor(in a, in b, out UInt256 xor);
        UInt256.Not(in a, out UInt256 not);
        AssertEqual(Ref(a) & Ref(b), and);
        AssertEqual(Ref(a) | Ref(b), or);
        AssertEqual(Ref(a) ^ Ref(b), xor);
        AssertEqual(Modulus - 1 - Ref(a), not);
        AssertEqual(Ref(a) & Ref(b), a & b);
        AssertEqual(Ref(a) | Ref(b), a | b);
        AssertEqual(Ref(a) ^ Ref(b), a ^ b);
        AssertEqual(Modulus - 1 - Ref(a), ~a);
    });

    [Fact]
    public void ShiftLeft_matches_reference() => CheckShift((x, s) =>
    {
        UInt256.ShiftLeft(in x, s, out UInt256 r);
        BigInteger expected = s is >= 0 and < 256 ? Ref(x) << s : 0;
        AssertEqual(expected, r);
        AssertEqual(expected, x << s);
    });

    [Fact]
    public void ShiftRight_matches_reference() => CheckShift((x, s) =>
    {
        UInt256.ShiftRight(in x, s, out UInt256 r);
        BigInteger expected = s is >= 0 and < 256 ? Ref(x) >> s : 0;
        AssertEqual(expected, r);
        AssertEqual(expected, x >> s);
    });

    [Fact]
    public void ArithmeticShiftRight_fills_with_the_sign() => CheckShift((x, s) =>
    {
        UInt256.ArithmeticShiftRight(in x, s, out UInt256 r);
        // BigInteger's >> floors, which is exactly the sign-filling shift; beyond 255 it is 0 or -1.
        int effective = s is >= 0 and < 256 ? s : 256;
        AssertEqual(Signed(x) >> effective, r);
    });

    [Fact]
    public void Byte_picks_big_endian_bytes() => CheckIndex((i, x) =>
    {
        UInt256.Byte(in i, in x, out UInt256 r);
        BigInteger index = Ref(i);
        BigInteger expected = index < 32 ? (Ref(x) >> (8 * (31 - (int)index))) & 0xFF : 0;
        AssertEqual(expected, r);
    });

    [Fact]
    public void SignExtend_matches_reference() => CheckIndex((i, x) =>
    {
        UInt256.SignExtend(in i, in x, out UInt256 r);
        BigInteger index = Ref(i);
        BigInteger expected;
        if (index >= 31)
        {
            expected = Ref(x);
        }
        else
        {
            int bits = 8 * ((int)index + 1);
            BigInteger low = Ref(x) & ((BigInteger.One << bits) - 1);
            expected = low >= BigInteger.One << (bits - 1) ? low - (BigInteger.One << bits) : low;
        }
        AssertEqual(expected, r);
    });

    [Fact]
    public void Unsigned_comparisons_match_reference() => Check2((a, b) =>
    {
        int expected = Ref(a).CompareTo(Ref(b));
        Assert.Equal(expected, UInt256.Compare(in a, in b));
        Assert.Equal(Math.Sign(expected), Math.Sign(a.CompareTo(b)));
        Assert.Equal(expected < 0, a < b);
        Assert.Equal(expected > 0, a > b);
        Assert.Equal(expected <= 0, a <= b);
        Assert.Equal(expected >= 0, a >= b);
        Assert.Equal(expected == 0, a == b);
        Assert.Equal(expected != 0, a != b);
        Assert.Equal(expected == 0, a.Equals(b));
        Assert.Equal(expected == 0, a.Equals((object)b));
        if (expected == 0) Assert.Equal(a.GetHashCode(), b.GetHashCode());
    });

    [Fact]
    public void Signed_comparisons_match_reference() => Check2((a, b) =>
    {
        Assert.Equal(Signed(a) < Signed(b), UInt256.SignedLessThan(in a, in b));
        Assert.Equal(Signed(a) > Signed(b), UInt256.SignedGreaterThan(in a, in b));
        Assert.Equal(Signed(a) < 0, a.IsNegative);
    });

    [Fact]
    public void Equal_values_compare_equal() => Check.One(Settings, Prop.ForAll(Arbitrary, a =>
    {
        UInt256 copy = new(a.U0, a.U1, a.U2, a.U3);
        Assert.True(a == copy);
        Assert.False(a < copy);
        Assert.False(UInt256.SignedLessThan(in a, in copy));
        Assert.Equal(a.GetHashCode(), copy.GetHashCode());
    }));

    [Fact]
    public void Bit_and_byte_lengths_match_reference() => Check.One(Settings, Prop.ForAll(Arbitrary, a =>
    {
        BigInteger v = Ref(a);
        int bits = v.IsZero ? 0 : (int)v.GetBitLength();
        Assert.Equal(bits, a.BitLength);
        Assert.Equal((bits + 7) / 8, a.ByteLength);
        Assert.Equal(v.IsZero, a.IsZero);
        Assert.Equal(v <= ulong.MaxValue, a.IsUInt64);
    }));
}
