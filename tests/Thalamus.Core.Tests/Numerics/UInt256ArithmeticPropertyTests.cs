using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;
using Xunit;
using static Thalamus.Core.Tests.Numerics.UInt256Generators;

namespace Thalamus.Core.Tests.Numerics;

/// <summary>Every arithmetic operation agrees with BigInteger arithmetic modulo 2^256, with EVM rules.</summary>
public class UInt256ArithmeticPropertyTests
{
    private static void Check2(Action<UInt256, UInt256> property) =>
        Check.One(Settings, Prop.ForAll(Arbitrary, Arbitrary, property));

    private static void Check3(Action<UInt256, UInt256, UInt256> property) =>
        Check.One(Settings, Prop.ForAll(Arbitrary, Arbitrary, Arbitrary, property));

    [Fact]
    public void Add_matches_reference() => Check2((a, b) =>
    {
        UInt256.Add(in a, in b, out UInt256 r);
        AssertEqual(Ref(a) + Ref(b), r);
        AssertEqual(Ref(a) + Ref(b), a + b);
    });

    [Fact]
    public void AddOverflow_reports_carry() => Check2((a, b) =>
    {
        bool overflow = UInt256.AddOverflow(in a, in b, out UInt256 r);
        AssertEqual(Ref(a) + Ref(b), r);
        Assert.Equal(Ref(a) + Ref(b) >= Modulus, overflow);
    });

    [Fact]
    public void Subtract_matches_reference() => Check2((a, b) =>
    {
        UInt256.Subtract(in a, in b, out UInt256 r);
        AssertEqual(Ref(a) - Ref(b), r);
        AssertEqual(Ref(a) - Ref(b), a - b);
    });

    [Fact]
    public void SubtractUnderflow_reports_borrow() => Check2((a, b) =>
    {
        bool underflow = UInt256.SubtractUnderflow(in a, in b, out UInt256 r);
        AssertEqual(Ref(a) - Ref(b), r);
        Assert.Equal(Ref(b) > Ref(a), underflow);
    });

    [Fact]
    public void Multiply_matches_reference() => Check2((a, b) =>
    {
        UInt256.Multiply(in a, in b, out UInt256 r);
        AssertEqual(Ref(a) * Ref(b), r);
        AssertEqual(Ref(a) * Ref(b), a * b);
    });

    [Fact]
    public void Square_matches_reference() => Check.One(Settings, Prop.ForAll(Arbitrary, a =>
    {
        UInt256.Square(in a, out UInt256 r);
        AssertEqual(Ref(a) * Ref(a), r);
    }));

    [Fact]
    public void MultiplyOverflow_reports_high_half() => Check2((a, b) =>
    {
        bool overflow = UInt256.MultiplyOverflow(in a, in b, out UInt256 r);
        AssertEqual(Ref(a) * Ref(b), r);
        Assert.Equal(Ref(a) * Ref(b) >= Modulus, overflow);
    });

    [Fact]
    public void Divide_matches_reference_and_zero_divisor_gives_zero() => Check2((a, b) =>
    {
        UInt256.Divide(in a, in b, out UInt256 r);
        BigInteger expected = b.IsZero ? 0 : Ref(a) / Ref(b);
        AssertEqual(expected, r);
        AssertEqual(expected, a / b);
    });

    [Fact]
    public void Mod_matches_reference_and_zero_divisor_gives_zero() => Check2((a, b) =>
    {
        UInt256.Mod(in a, in b, out UInt256 r);
        BigInteger expected = b.IsZero ? 0 : Ref(a) % Ref(b);
        AssertEqual(expected, r);
        AssertEqual(expected, a % b);
    });

    [Fact]
    public void DivRem_matches_reference() => Check2((a, b) =>
    {
        UInt256.DivRem(in a, in b, out UInt256 q, out UInt256 rem);
        AssertEqual(b.IsZero ? 0 : Ref(a) / Ref(b), q);
        AssertEqual(b.IsZero ? 0 : Ref(a) % Ref(b), rem);
    });

    [Fact]
    public void Dividing_by_a_power_of_two_matches_reference_for_every_exponent() => Check.One(Settings, Prop.ForAll(Arbitrary, a =>
    {
        // The shift fast path: divisors 2^0 … 2^255, in and beyond the 64-bit limb.
        for (var k = 0; k < 256; k++)
        {
            var divisor = UInt256.One << k;
            UInt256.Divide(in a, in divisor, out UInt256 r);
            AssertEqual(Ref(a) >> k, r);
        }
    }));

    [Fact]
    public void SignedDivide_truncates_toward_zero() => Check2((a, b) =>
    {
        UInt256.SignedDivide(in a, in b, out UInt256 r);
        AssertEqual(b.IsZero ? 0 : BigInteger.Divide(Signed(a), Signed(b)), r);
    });

    [Fact]
    public void SignedMod_takes_the_sign_of_the_dividend() => Check2((a, b) =>
    {
        UInt256.SignedMod(in a, in b, out UInt256 r);
        AssertEqual(b.IsZero ? 0 : BigInteger.Remainder(Signed(a), Signed(b)), r);
    });

    [Fact]
    public void AddMod_does_not_wrap_the_sum() => Check3((a, b, m) =>
    {
        UInt256.AddMod(in a, in b, in m, out UInt256 r);
        AssertEqual(m.IsZero ? 0 : (Ref(a) + Ref(b)) % Ref(m), r);
    });

    [Fact]
    public void AddMod_with_reduced_operands() => Check3((a, b, m) =>
    {
        // Exercise the reduced-operand fast path, which the general generator rarely hits for large m.
        if (m.IsZero) return;
        UInt256 x = a % m, y = b % m;
        UInt256.AddMod(in x, in y, in m, out UInt256 r);
        AssertEqual((Ref(x) + Ref(y)) % Ref(m), r);
    });

    [Fact]
    public void MulMod_uses_the_full_product() => Check3((a, b, m) =>
    {
        UInt256.MulMod(in a, in b, in m, out UInt256 r);
        AssertEqual(m.IsZero ? 0 : Ref(a) * Ref(b) % Ref(m), r);
    });

    [Fact]
    public void Exp_matches_modpow() => Check2((b, e) =>
    {
        UInt256.Exp(in b, in e, out UInt256 r);
        AssertEqual(BigInteger.ModPow(Ref(b), Ref(e), Modulus), r);
    });

    [Fact]
    public void Exp_with_small_exponents_and_power_of_two_bases() => Check.One(Settings, Prop.ForAll(
        Arbitrary, Gen.Choose(0, 300).ToArbitrary(), Gen.Choose(0, 255).ToArbitrary(), (b, e, k) =>
        {
            UInt256 exponent = (ulong)e;
            UInt256.Exp(in b, in exponent, out UInt256 r);
            AssertEqual(BigInteger.ModPow(Ref(b), e, Modulus), r);

            UInt256 powerOfTwo = UInt256.One << k;
            UInt256.Exp(in powerOfTwo, in exponent, out r);
            AssertEqual(BigInteger.ModPow(BigInteger.One << k, e, Modulus), r);
        }));

    [Fact]
    public void Results_may_alias_operands() => Check2((a, b) =>
    {
        // The EVM writes results into the slot of an operand.
        UInt256 x = a;
        UInt256.Multiply(in x, in b, out x);
        AssertEqual(Ref(a) * Ref(b), x);
        x = a;
        UInt256.Divide(in x, in b, out x);
        AssertEqual(b.IsZero ? 0 : Ref(a) / Ref(b), x);
        x = b;
        UInt256.Mod(in a, in x, out x);
        AssertEqual(b.IsZero ? 0 : Ref(a) % Ref(b), x);
        x = a;
        UInt256.MulMod(in x, in x, in b, out x);
        AssertEqual(b.IsZero ? 0 : Ref(a) * Ref(a) % Ref(b), x);
        x = a;
        UInt256.Exp(in x, in b, out x);
        AssertEqual(BigInteger.ModPow(Ref(a), Ref(b), Modulus), x);
    });
}
