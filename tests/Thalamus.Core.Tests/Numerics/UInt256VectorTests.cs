using System.Numerics;
using Thalamus.Core;
using Xunit;
using static Thalamus.Core.Tests.Numerics.UInt256Generators;

namespace Thalamus.Core.Tests.Numerics;

/// <summary>Hand-picked edge cases, with expectations worked out by hand from the EVM rules.</summary>
public class UInt256VectorTests
{
    private static readonly UInt256 Max = UInt256.MaxValue;
    private static readonly UInt256 MinSigned = new(0, 0, 0, 1UL << 63); // -2^255
    private static readonly UInt256 MinusOne = UInt256.MaxValue;

    private static UInt256 Neg(ulong x) => UInt256.Zero - new UInt256(x);

    [Fact]
    public void Constants()
    {
        Assert.True(UInt256.Zero.IsZero);
        Assert.Equal(new UInt256(1), UInt256.One);
        Assert.Equal(256, Max.BitLength);
        Assert.Equal(0, UInt256.Zero.BitLength);
        Assert.Equal(0, UInt256.Zero.ByteLength);
        Assert.Equal(32, Max.ByteLength);
    }

    [Fact]
    public void Wrapping_add_and_subtract()
    {
        Assert.Equal(UInt256.Zero, Max + UInt256.One);
        Assert.Equal(Max, UInt256.Zero - UInt256.One);
        Assert.True(UInt256.AddOverflow(in Max, in UInt256.One, out _));
        Assert.True(UInt256.SubtractUnderflow(in UInt256.Zero, in UInt256.One, out _));
        Assert.Equal(new UInt256(0, 1), new UInt256(ulong.MaxValue) + UInt256.One);
    }

    [Fact]
    public void Multiply_wraps()
    {
        Assert.Equal(UInt256.One, Max * Max); // (-1)^2
        Assert.Equal(UInt256.Zero, MinSigned * new UInt256(2));
        Assert.True(UInt256.MultiplyOverflow(in MinSigned, new UInt256(2), out _));
        Assert.False(UInt256.MultiplyOverflow(new UInt256(ulong.MaxValue, ulong.MaxValue), new UInt256(ulong.MaxValue, ulong.MaxValue), out _));
    }

    [Fact]
    public void Division_by_zero_gives_zero()
    {
        Assert.Equal(UInt256.Zero, Max / UInt256.Zero);
        Assert.Equal(UInt256.Zero, Max % UInt256.Zero);
        UInt256.SignedDivide(in Max, in UInt256.Zero, out UInt256 sdiv);
        UInt256.SignedMod(in Max, in UInt256.Zero, out UInt256 smod);
        UInt256.AddMod(in Max, in Max, in UInt256.Zero, out UInt256 addmod);
        UInt256.MulMod(in Max, in Max, in UInt256.Zero, out UInt256 mulmod);
        Assert.Equal(UInt256.Zero, sdiv);
        Assert.Equal(UInt256.Zero, smod);
        Assert.Equal(UInt256.Zero, addmod);
        Assert.Equal(UInt256.Zero, mulmod);
    }

    [Fact]
    public void Signed_division_edge_cases()
    {
        UInt256.SignedDivide(in MinSigned, in MinusOne, out UInt256 overflow);
        Assert.Equal(MinSigned, overflow); // -2^255 / -1 wraps back to -2^255

        UInt256.SignedDivide(Neg(8), new UInt256(3), out UInt256 q);
        Assert.Equal(Neg(2), q); // truncation toward zero, not floor

        UInt256.SignedMod(Neg(8), Neg(3), out UInt256 r1);
        UInt256.SignedMod(new UInt256(8), Neg(3), out UInt256 r2);
        Assert.Equal(Neg(2), r1); // sign of the dividend
        Assert.Equal(new UInt256(2), r2);

        UInt256.SignedMod(in MinSigned, in MinusOne, out UInt256 r3);
        Assert.Equal(UInt256.Zero, r3);
    }

    [Fact]
    public void Modular_arithmetic_uses_unwrapped_intermediates()
    {
        // 2^256 - 1 ≡ 1 (mod 2^256 - 2), so its square is 1.
        UInt256 m = Max - UInt256.One;
        UInt256.MulMod(in Max, in Max, in m, out UInt256 r);
        Assert.Equal(UInt256.One, r);

        // 2^256 ≡ 4 (mod 12), so 2^256 - 1 ≡ 3 and (2^256 - 1)^2 ≡ 9, (2^256 - 1) * 2 ≡ 6.
        UInt256.MulMod(in Max, in Max, new UInt256(12), out r);
        Assert.Equal(new UInt256(9), r);
        UInt256.AddMod(in Max, in Max, new UInt256(12), out r);
        Assert.Equal(new UInt256(6), r);

        // 2^256 ≡ 6 (mod 10): the carry out of the sum is not lost.
        UInt256.AddMod(in Max, in UInt256.One, new UInt256(10), out r);
        Assert.Equal(new UInt256(6), r);
    }

    [Fact]
    public void Exponentiation_edges()
    {
        UInt256.Exp(in UInt256.Zero, in UInt256.Zero, out UInt256 r);
        Assert.Equal(UInt256.One, r); // 0^0 = 1 as in the EVM
        UInt256.Exp(new UInt256(2), new UInt256(255), out r);
        Assert.Equal(MinSigned, r);
        UInt256.Exp(new UInt256(2), new UInt256(256), out r);
        Assert.Equal(UInt256.Zero, r);
        UInt256.Exp(in Max, in Max, out r);
        Assert.Equal(Max, r); // (-1)^odd
        UInt256.Exp(new UInt256(3), new UInt256(2), out r);
        Assert.Equal(new UInt256(9), r);
    }

    [Fact]
    public void Sign_extension_edges()
    {
        UInt256.SignExtend(in UInt256.Zero, new UInt256(0xFF), out UInt256 r);
        Assert.Equal(Max, r);
        UInt256.SignExtend(in UInt256.Zero, new UInt256(0x7F), out r);
        Assert.Equal(new UInt256(0x7F), r);
        UInt256.SignExtend(new UInt256(1), new UInt256(0xFF_80FF), out r);
        Assert.Equal(Neg(0x7F01), r); // 0x80FF as int16 = -32513
        UInt256.SignExtend(new UInt256(31), new UInt256(0x80), out r);
        Assert.Equal(new UInt256(0x80), r);
        UInt256.SignExtend(in Max, new UInt256(0xFF), out r);
        Assert.Equal(new UInt256(0xFF), r);
        UInt256.SignExtend(new UInt256(30), new UInt256(0, 0, 0, 0x0080_0000_0000_0000), out r);
        Assert.Equal(new UInt256(0, 0, 0, 0xFF80_0000_0000_0000), r);
    }

    [Fact]
    public void Shift_edges()
    {
        Assert.Equal(MinSigned, UInt256.One << 255);
        Assert.Equal(UInt256.Zero, UInt256.One << 256);
        Assert.Equal(UInt256.One, MinSigned >> 255);
        Assert.Equal(UInt256.Zero, Max >> 256);
        Assert.Equal(UInt256.Zero, Max << -1);
        UInt256.ArithmeticShiftRight(in MinSigned, 255, out UInt256 r);
        Assert.Equal(Max, r);
        UInt256.ArithmeticShiftRight(in MinSigned, 1000, out r);
        Assert.Equal(Max, r);
        UInt256.ArithmeticShiftRight(new UInt256(0, 0, 0, long.MaxValue), 256, out r);
        Assert.Equal(UInt256.Zero, r);
        UInt256.ArithmeticShiftRight(Neg(16), 2, out r);
        Assert.Equal(Neg(4), r);
        UInt256.ArithmeticShiftRight(Neg(1), 0, out r);
        Assert.Equal(Neg(1), r);
    }

    [Fact]
    public void Byte_edges()
    {
        UInt256.Byte(in UInt256.Zero, in MinSigned, out UInt256 r);
        Assert.Equal(new UInt256(0x80), r);
        UInt256.Byte(new UInt256(31), new UInt256(0x1234), out r);
        Assert.Equal(new UInt256(0x34), r);
        UInt256.Byte(new UInt256(30), new UInt256(0x1234), out r);
        Assert.Equal(new UInt256(0x12), r);
        UInt256.Byte(new UInt256(32), in Max, out r);
        Assert.Equal(UInt256.Zero, r);
        UInt256.Byte(new UInt256(0, 1), in Max, out r);
        Assert.Equal(UInt256.Zero, r);
    }

    [Fact]
    public void Signed_comparison_edges()
    {
        Assert.True(UInt256.SignedLessThan(in MinSigned, in UInt256.Zero));
        Assert.True(UInt256.SignedLessThan(in MinusOne, in UInt256.Zero));
        Assert.True(UInt256.SignedLessThan(in MinSigned, in MinusOne));
        Assert.True(UInt256.SignedGreaterThan(new UInt256(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, long.MaxValue), in MinSigned));
        Assert.False(UInt256.SignedLessThan(in MinusOne, in MinusOne));
        Assert.True(MinusOne > MinSigned);
    }

    [Fact]
    public void Text_forms_of_the_extremes()
    {
        const string maxDecimal = "115792089237316195423570985008687907853269984665640564039457584007913129639935";
        Assert.Equal(maxDecimal, Max.ToString());
        Assert.Equal(Max, UInt256.Parse(maxDecimal));
        Assert.Throws<OverflowException>(() => UInt256.Parse("115792089237316195423570985008687907853269984665640564039457584007913129639936"));
        Assert.Equal("0x" + new string('f', 64), Max.ToHexString());
        Assert.Equal("0x0", UInt256.Zero.ToHexString());
        Assert.Equal("0", UInt256.Zero.ToString());
        Assert.Equal("18446744073709551616", new UInt256(0, 1).ToString());
        Assert.Equal("10000000000000000000", new UInt256(10_000_000_000_000_000_000).ToString());
        Assert.Equal(new UInt256(0xABC), UInt256.Parse("0x0000abc"));
        Assert.Equal(UInt256.Zero, UInt256.Parse("0x0"));
        Assert.Equal(UInt256.Zero, UInt256.Parse("0"));
    }

    [Fact]
    public void Knuth_add_back_case()
    {
        // Divisor 2^191 + 2^64 - 1 with numerator 12345 * 2^191: the estimate from the top limbs is
        // 12345 but the true quotient is 12344, so step D6 must add the divisor back.
        UInt256 d = new(ulong.MaxValue, 0, 1UL << 63);
        UInt256 a = new UInt256(12345) << 191;
        BigInteger expectedQ = Ref(a) / Ref(d);
        Assert.Equal(new BigInteger(12344), expectedQ);
        AssertEqual(expectedQ, a / d);
        AssertEqual(Ref(a) % Ref(d), a % d);

        // The same shape in the 512-bit reduction of MULMOD.
        UInt256 m = new(ulong.MaxValue, ulong.MaxValue, 0, 1UL << 63);
        UInt256 x = new UInt256(0, 0, 0, 1UL << 63), y = new UInt256(0, 12345);
        UInt256.MulMod(in x, in y, in m, out UInt256 r);
        AssertEqual(Ref(x) * Ref(y) % Ref(m), r);
    }
}
