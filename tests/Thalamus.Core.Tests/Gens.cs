using FsCheck;
using FsCheck.Fluent;

namespace Thalamus.Core.Tests;

/// <summary>Shared FsCheck generators for fixed-size byte strings.</summary>
internal static class Gens
{
    private static Arbitrary<byte[]> FixedBytes(int length) =>
        Gen.ArrayOf(ArbMap.Default.GeneratorFor<byte>(), length).ToArbitrary();

    public static readonly Arbitrary<byte[]> Bytes32 = FixedBytes(32);

    public static readonly Arbitrary<byte[]> Bytes20 = FixedBytes(20);
}
