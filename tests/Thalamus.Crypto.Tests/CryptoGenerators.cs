using System.Security.Cryptography;
using FsCheck;
using FsCheck.Fluent;

namespace Thalamus.Crypto.Tests;

/// <summary>FsCheck generators shared by the crypto property tests.</summary>
internal static class CryptoGenerators
{
    public static readonly Config Config = Config.QuickThrowOnFailure.WithMaxTest(300);

    public static readonly Gen<byte> Byte = Gen.Choose(0, 255).Select(i => (byte)i);

    public static Gen<byte[]> Bytes(int length) => Byte.ArrayOf(length);

    /// <summary>Byte strings whose lengths cluster around hash block boundaries (55, 56, 63, 64, 119, 120, 128...).</summary>
    public static readonly Gen<byte[]> Message = Gen.Frequency(
        (3, Gen.Choose(0, 300)),
        (2, Gen.Elements(0, 1, 55, 56, 57, 63, 64, 65, 111, 112, 119, 120, 127, 128, 129, 191, 192, 193)))
        .SelectMany(length => Bytes(length));

    /// <summary>Valid private keys: uniform 32-byte strings (a value outside 1..N-1 has probability ~2^-128) plus edge keys.</summary>
    public static readonly Gen<byte[]> PrivateKey = Gen.Frequency(
        (8, Bytes(32).Where(k => Secp256k1.IsValidPrivateKey(k))),
        (1, Gen.Elements(KeyOf(1), KeyOf(2), NMinus(1), NMinus(2))));

    public static readonly Gen<byte[]> Hash = Gen.Frequency(
        (8, Bytes(32)),
        (1, Gen.Elements(new byte[32], Enumerable.Repeat((byte)0xFF, 32).ToArray())));

    public static byte[] KeyOf(ulong value)
    {
        var key = new byte[32];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(key.AsSpan(24), value);
        return key;
    }

    public static byte[] NMinus(ulong value) => (Secp256k1.N - value).ToBigEndian();

    public static byte[] RandomBytes(int length) => RandomNumberGenerator.GetBytes(length);
}
