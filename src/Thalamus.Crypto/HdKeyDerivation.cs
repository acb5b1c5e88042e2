using System.Buffers.Binary;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Thalamus.Core;

namespace Thalamus.Crypto;

/// <summary>
/// BIP-32 hierarchical deterministic keys over secp256k1, private derivation only (hardened and
/// normal children): what dev accounts need (m/44'/60'/0'/0/i) plus the extended-key
/// serialisation the BIP's test vectors are written in.
/// </summary>
public static partial class HdKeyDerivation
{
    /// <summary>Child indexes at or above this are hardened (written with ' in a path).</summary>
    public const uint HardenedOffset = 0x8000_0000;

    private static readonly byte[] MasterKeyHmacKey = Encoding.ASCII.GetBytes("Bitcoin seed");

    /// <summary>The master key of a seed (16–64 bytes per BIP-32; a BIP-39 seed is 64).</summary>
    public static ExtendedKey MasterFromSeed(ReadOnlySpan<byte> seed)
    {
        if (seed.Length is < 16 or > 64)
            throw new ArgumentException($"A BIP-32 seed is 16 to 64 bytes; got {seed.Length}.", nameof(seed));

        Span<byte> i = stackalloc byte[64];
        HMACSHA512.HashData(MasterKeyHmacKey, seed, i);
        if (!Secp256k1.IsValidPrivateKey(i[..32]))
            throw new InvalidOperationException("This seed gives an invalid BIP-32 master key (probability below 2^-127); use another seed.");
        return new ExtendedKey(i[..32].ToArray(), i[32..].ToArray(), depth: 0, parentFingerprint: 0, childNumber: 0);
    }

    /// <summary>The key at an absolute path such as "m/44'/60'/0'/0/0" below the seed's master key.</summary>
    public static ExtendedKey DerivePath(ReadOnlySpan<byte> seed, string path)
    {
        uint[] indexes = ParsePath(path, out bool absolute);
        if (!absolute)
            throw new FormatException($"A path from a seed must start at the master key \"m\"; got \"{path}\".");
        return MasterFromSeed(seed).Derive(indexes);
    }

    /// <summary>
    /// The private child key <paramref name="index"/> of <paramref name="parent"/> (CKDpriv):
    /// hardened children hash the parent's private key, normal children its compressed public key.
    /// </summary>
    public static ExtendedKey DeriveChild(ExtendedKey parent, uint index)
    {
        ArgumentNullException.ThrowIfNull(parent);
        if (parent.Depth == byte.MaxValue)
            throw new InvalidOperationException("BIP-32 keys are at most 255 levels deep.");

        Span<byte> data = stackalloc byte[37];
        if (index >= HardenedOffset)
        {
            data[0] = 0;
            parent.PrivateKeySpan.CopyTo(data[1..33]);
        }
        else
        {
            parent.CompressedPublicKeySpan.CopyTo(data[..33]);
        }
        BinaryPrimitives.WriteUInt32BigEndian(data[33..], index);

        Span<byte> i = stackalloc byte[64];
        HMACSHA512.HashData(parent.ChainCodeSpan, data, i);
        data.Clear();

        var tweak = UInt256.FromBigEndian(i[..32]);
        if (tweak >= Secp256k1.N)
            throw new InvalidOperationException($"Child {FormatIndex(index)} gives an invalid BIP-32 key (probability below 2^-127); use the next index.");
        UInt256.AddMod(tweak, UInt256.FromBigEndian(parent.PrivateKeySpan), Secp256k1.N, out UInt256 childKey);
        if (childKey.IsZero)
            throw new InvalidOperationException($"Child {FormatIndex(index)} gives the zero key (probability below 2^-127); use the next index.");

        byte[] key = childKey.ToBigEndian();
        byte[] chainCode = i[32..].ToArray();
        i.Clear();
        return new ExtendedKey(key, chainCode, (byte)(parent.Depth + 1), parent.Fingerprint, index);
    }

    /// <summary>
    /// Parses "m/44'/60'/0'/0/0" (absolute) or "0/1'" (relative). Hardened steps are marked with
    /// ', h or H; each index is below 2^31.
    /// </summary>
    public static uint[] ParsePath(string path, out bool absolute)
    {
        ArgumentNullException.ThrowIfNull(path);
        string[] parts = path.Trim().Split('/');
        absolute = parts[0] is "m" or "M";
        int start = absolute ? 1 : 0;
        if (!absolute && path.Trim().Length == 0)
            throw new FormatException("The derivation path is empty.");

        var indexes = new uint[parts.Length - start];
        for (int p = start; p < parts.Length; p++)
        {
            string part = parts[p];
            bool hardened = part.EndsWith('\'') || part.EndsWith('h') || part.EndsWith('H');
            string digits = hardened ? part[..^1] : part;
            if (digits.Length == 0 || !digits.All(char.IsAsciiDigit)
                || !uint.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out uint value) || value >= HardenedOffset)
                throw new FormatException($"Step {p + 1} of the derivation path \"{path}\" is \"{part}\": expected a number below 2^31, optionally followed by '.");
            indexes[p - start] = hardened ? value + HardenedOffset : value;
        }
        return indexes;
    }

    /// <summary>An index as a path step: "44'" for hardened, "0" for normal.</summary>
    public static string FormatIndex(uint index) =>
        index >= HardenedOffset
            ? (index - HardenedOffset).ToString(CultureInfo.InvariantCulture) + "'"
            : index.ToString(CultureInfo.InvariantCulture);
}
