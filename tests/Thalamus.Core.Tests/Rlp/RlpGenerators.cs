using FsCheck;
using FsCheck.Fluent;

namespace Thalamus.Core.Tests.Rlp;

/// <summary>Random RLP trees whose strings cluster around the encoding's boundaries (1 byte, 55/56 bytes).</summary>
internal static class RlpGenerators
{
    private static readonly Gen<byte> AnyByte = ArbMap.Default.GeneratorFor<byte>();

    private static readonly Gen<byte[]> Strings = Gen.Frequency(
        (3, Gen.Choose(0, 70).SelectMany(n => Gen.ArrayOf(AnyByte, n))),
        (2, Gen.Elements(0, 1, 2, 55, 56, 57).SelectMany(n => Gen.ArrayOf(AnyByte, n))),
        (1, Gen.Choose(0, 0x7f).Select(b => new[] { (byte)b })),
        (1, Gen.Choose(200, 1200).SelectMany(n => Gen.ArrayOf(AnyByte, n))));

    private static Gen<RlpTree> Tree(int size) =>
        size <= 1
            ? Strings.Select(RlpTree.String)
            : Gen.Frequency(
                (3, Strings.Select(RlpTree.String)),
                (2, Gen.Choose(0, 6).SelectMany(n => Gen.ArrayOf(Tree(size / 3), n)).Select(items => RlpTree.List(items))));

    public static readonly Arbitrary<RlpTree> Trees = Gen.Sized(size => Tree(Math.Min(size, 40))).ToArbitrary();

    public static readonly Config Settings = Config.QuickThrowOnFailure.WithMaxTest(500);
}
