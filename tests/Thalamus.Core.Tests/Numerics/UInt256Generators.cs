using System.Numerics;
using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;

namespace Thalamus.Core.Tests.Numerics;

/// <summary>FsCheck generators for UInt256 and a BigInteger reference model independent of the type's own conversions.</summary>
internal static class UInt256Generators
{
    public static readonly BigInteger Modulus = BigInteger.One << 256;

    public static readonly Config Settings = Config.QuickThrowOnFailure.WithMaxTest(2000);

    private static readonly Gen<ulong> UniformLimb =
        Gen.Four(Gen.Choose(0, 0xFFFF)).Select(t => (ulong)(uint)t.Item1 | ((ulong)(uint)t.Item2 << 16) | ((ulong)(uint)t.Item3 << 32) | ((ulong)(uint)t.Item4 << 48));

    private static readonly Gen<ulong> Limb = Gen.Frequency(
        (6, UniformLimb),
        (1, Gen.Constant(0UL)),
        (1, Gen.Constant(ulong.MaxValue)),
        (1, Gen.Choose(0, 100).Select(i => (ulong)i)),
        (1, Gen.Elements(1UL, 1UL << 63, (1UL << 63) - 1, 1UL << 32, (1UL << 32) - 1)));

    /// <summary>0, 1, 2, 2^64-1, 2^64, 2^128, 2^255, 2^256-1, 2^255-1 and friends.</summary>
    public static readonly UInt256[] EdgeValues =
    [
        new(0), new(1), new(2), new(3),
        new(ulong.MaxValue), new(0, 1), new(ulong.MaxValue, ulong.MaxValue), new(0, 0, 1),
        new(0, 0, 0, 1), new(0, 0, 0, 1UL << 63), new(1, 0, 0, 1UL << 63),
        new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue),
        new(ulong.MaxValue, ulong.MaxValue, ulong.MaxValue, long.MaxValue),
        new(ulong.MaxValue - 1, ulong.MaxValue, ulong.MaxValue, ulong.MaxValue),
        new(1UL << 63), new(0, 1UL << 63), new(0, 0, 1UL << 63),
    ];

    private static readonly Gen<UInt256> RandomLimbs =
        Gen.Four(Limb).Select(t => new UInt256(t.Item1, t.Item2, t.Item3, t.Item4));

    public static readonly Gen<UInt256> Value = Gen.Frequency(
        (2, Gen.Elements(EdgeValues)),
        (1, Gen.Choose(0, 1000).Select(i => new UInt256((ulong)i))),
        (4, RandomLimbs),
        // Uniform limbs cut to a random bit length, so quotients and remainders of every size turn up.
        (3, Gen.Zip(RandomLimbs, Gen.Choose(0, 255)).Select(t => t.Item1 >> t.Item2)),
        // Small negative numbers in two's complement, for the signed operations.
        (1, Gen.Choose(1, 1000).Select(i => FromReference(-i))));

    public static readonly Arbitrary<UInt256> Arbitrary = Value.ToArbitrary();

    /// <summary>Shift amounts and byte indices: in range, on the limb boundaries, and beyond 255 (incl. negative = huge).</summary>
    public static readonly Arbitrary<int> Shift = Gen.Frequency(
        (5, Gen.Choose(0, 300)),
        (2, Gen.Elements(0, 1, 7, 8, 63, 64, 65, 127, 128, 129, 191, 192, 255, 256, 257, 1000, int.MaxValue, -1, int.MinValue))).ToArbitrary();

    /// <summary>Small indices (mostly 0..40) plus huge ones, for BYTE and SIGNEXTEND.</summary>
    public static readonly Arbitrary<UInt256> SmallIndex = Gen.Frequency(
        (8, Gen.Choose(0, 40).Select(i => new UInt256((ulong)i))),
        (1, Gen.Elements(new UInt256(0, 1), new UInt256(31, 1), new UInt256(ulong.MaxValue), UInt256.MaxValue)),
        (1, Value)).ToArbitrary();

    public static BigInteger Ref(UInt256 x) =>
        new BigInteger(x.U0) | (new BigInteger(x.U1) << 64) | (new BigInteger(x.U2) << 128) | (new BigInteger(x.U3) << 192);

    /// <summary>The two's complement reading of x.</summary>
    public static BigInteger Signed(UInt256 x) => x.U3 >> 63 != 0 ? Ref(x) - Modulus : Ref(x);

    public static BigInteger Norm(BigInteger v) => ((v % Modulus) + Modulus) % Modulus;

    public static UInt256 FromReference(BigInteger v)
    {
        BigInteger n = Norm(v);
        ulong Limb(int i) => (ulong)((n >> (64 * i)) & ulong.MaxValue);
        return new UInt256(Limb(0), Limb(1), Limb(2), Limb(3));
    }

    public static void AssertEqual(BigInteger expected, UInt256 actual) => Xunit.Assert.Equal(Norm(expected), Ref(actual));
}
