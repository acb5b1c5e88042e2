using Thalamus.Core;
using Thalamus.Crypto;

namespace Thalamus.Settlement;

/// <summary>
/// An account that signs transactions on the parent chain: the node's poster (the key of
/// <c>SystemAccount("thalamus.settlement")</c>, keccak256 of its name), a verifier's challenger or an arbiter.
/// </summary>
public sealed class ParentAccount
{
    private readonly byte[] _key;

    public ParentAccount(ReadOnlySpan<byte> privateKey)
    {
        if (!Secp256k1.IsValidPrivateKey(privateKey)) throw new ArgumentException("not a valid secp256k1 private key", nameof(privateKey));
        _key = privateKey.ToArray();
        Address = Secp256k1.PrivateKeyToAddress(_key);
    }

    /// <summary>The account whose key is keccak256 of <paramref name="name"/> (the same derivation as Thalamus.Modules.SystemAccount).</summary>
    public static ParentAccount FromName(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        return new ParentAccount(Keccak256.Compute(System.Text.Encoding.UTF8.GetBytes(name)).Bytes);
    }

    /// <summary>A 0x-prefixed 32-byte hex key.</summary>
    public static ParentAccount FromHex(string hex)
    {
        ArgumentException.ThrowIfNullOrEmpty(hex);
        return new ParentAccount(Hex.Decode(hex));
    }

    public Address Address { get; }

    internal ReadOnlySpan<byte> PrivateKey => _key;
}
