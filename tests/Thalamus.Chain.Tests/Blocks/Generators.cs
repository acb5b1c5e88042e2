using FsCheck;
using FsCheck.Fluent;
using Thalamus.Core;

namespace Thalamus.Chain.Tests.Blocks;

internal static class Generators
{
    private static readonly Gen<byte> Byte = Gen.Choose(0, 255).Select(i => (byte)i);

    public static Gen<byte[]> Bytes(int min, int max) => Gen.Choose(min, max).SelectMany(n => Byte.ArrayOf(n));

    public static readonly Gen<Hash256> Hash = Byte.ArrayOf(32).Select(b => new Hash256(b));
    public static readonly Gen<Address> Address = Byte.ArrayOf(20).Select(b => new Core.Address(b));

    public static readonly Gen<ulong> UInt64 = Gen.Frequency(
        (3, Gen.Choose(0, 1000).Select(i => (ulong)i)),
        (2, Byte.ArrayOf(8).Select(b => BitConverter.ToUInt64(b))));

    public static readonly Gen<UInt256> UInt256 = Gen.Frequency(
        (3, UInt64.Select(u => new Core.UInt256(u))),
        (1, Byte.ArrayOf(32).Select(b => Core.UInt256.FromBigEndian(b))));
}
