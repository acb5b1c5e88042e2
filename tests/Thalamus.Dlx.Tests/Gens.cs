using FsCheck;
using FsCheck.Fluent;

namespace Thalamus.Dlx.Tests;

/// <summary>Generators that reach the whole value range (FsCheck's defaults stay small).</summary>
internal static class Gens
{
    public static Gen<int> AnyInt { get; } = Gen.OneOf(
        ArbMap.Default.GeneratorFor<int>(),
        Gen.Choose(0, 0xFFFF).SelectMany(hi => Gen.Choose(0, 0xFFFF).Select(lo => hi << 16 | lo)),
        Gen.Elements(0, 1, -1, int.MaxValue, int.MinValue, int.MaxValue - 1, int.MinValue + 1, 0x8000, 0xFFFF, -0x8000));

    public static Gen<uint> AnyBits => AnyInt.Select(i => (uint)i);

    public static Gen<float> AnyFloat { get; } = Gen.OneOf(
        AnyBits.Select(BitConverter.UInt32BitsToSingle),
        ArbMap.Default.GeneratorFor<int>().Select(i => i / 7f),
        Gen.Elements(0f, -0f, 1f, -1f, 0.1f, float.MaxValue, float.Epsilon, float.PositiveInfinity, float.NegativeInfinity, float.NaN));

    public static Gen<double> AnyDouble { get; } = Gen.OneOf(
        AnyBits.SelectMany(hi => AnyBits.Select(lo => BitConverter.UInt64BitsToDouble((ulong)hi << 32 | lo))),
        ArbMap.Default.GeneratorFor<int>().Select(i => i / 7.0),
        Gen.Elements(0d, -0d, 1d, 0.1, double.MaxValue, 3e9, -3e9, 2147483647.5, -2147483648.5, double.PositiveInfinity, double.NaN));

    public static Arbitrary<int> Int => Arb.From(AnyInt);

    public static Arbitrary<float> Float => Arb.From(AnyFloat);

    public static Arbitrary<double> Double => Arb.From(AnyDouble);
}
