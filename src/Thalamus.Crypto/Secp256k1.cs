using System.Runtime.CompilerServices;
using Thalamus.Core;

namespace Thalamus.Crypto;

/// <summary>
/// ECDSA over secp256k1 as Ethereum uses it: public-key recovery, RFC 6979 signing with low s,
/// verification and address derivation. Backed by libsecp256k1 (Debian's libsecp256k1-1); one
/// shared context, safe to call from any thread, no allocation per call.
/// </summary>
/// <remarks>
/// Public keys are exchanged as 64 bytes (X || Y, big-endian, no 0x04 prefix), which is what
/// an Ethereum address hashes. Invalid signature values give <c>false</c>, never an exception;
/// wrong buffer sizes (a programming error) give <see cref="ArgumentException"/>.
/// </remarks>
public static unsafe class Secp256k1
{
    /// <summary>The order of the curve's group.</summary>
    public static readonly UInt256 N = new(0xBFD25E8CD0364141, 0xBAAEDCE6AF48A03B, 0xFFFFFFFFFFFFFFFE, 0xFFFFFFFFFFFFFFFF);

    /// <summary>floor(N / 2): the largest s a canonical (EIP-2) signature may have.</summary>
    public static readonly UInt256 HalfN = new(0xDFE92F46681B20A0, 0x5D576E7357A4501D, 0xFFFFFFFFFFFFFFFF, 0x7FFFFFFFFFFFFFFF);

    public const int PublicKeyLength = 64;
    public const int PrivateKeyLength = 32;
    public const int HashLength = 32;

    /// <summary>N as 32 big-endian bytes, for range checks straight on the input bytes.</summary>
    private static ReadOnlySpan<byte> OrderBytes =>
    [
        0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFF, 0xFE,
        0xBA, 0xAE, 0xDC, 0xE6, 0xAF, 0x48, 0xA0, 0x3B, 0xBF, 0xD2, 0x5E, 0x8C, 0xD0, 0x36, 0x41, 0x41,
    ];

    /// <summary>EIP-2: s must not exceed N/2 (the other of the two valid s values is N - s).</summary>
    public static bool IsLowS(in UInt256 s) => s <= HalfN;

    /// <summary>True if the 32 bytes are a valid scalar for r, s or a private key: 0 &lt; x &lt; N.</summary>
    public static bool IsValidScalar(ReadOnlySpan<byte> value32) =>
        value32.Length == 32 && value32.IndexOfAnyExcept((byte)0) >= 0 && value32.SequenceCompareTo(OrderBytes) < 0;

    /// <summary>True if the private key is 32 bytes with 0 &lt; key &lt; N.</summary>
    public static bool IsValidPrivateKey(ReadOnlySpan<byte> privateKey32) => IsValidScalar(privateKey32);

    /// <summary>
    /// Recovers the 64-byte public key that produced the signature (r, s) over <paramref name="hash32"/>.
    /// r and s are big-endian, at most 32 bytes (shorter values are left-padded). Returns false if
    /// r or s is 0 or ≥ N, the recovery id is outside 0..3, or no key matches. High s is accepted
    /// (ecrecover accepts it; transaction validation applies <see cref="IsLowS"/> itself).
    /// </summary>
    public static bool TryRecoverPublicKey(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> r32, ReadOnlySpan<byte> s32, int recoveryId, Span<byte> publicKey64)
    {
        CheckHash(hash32);
        if (publicKey64.Length < PublicKeyLength)
            throw new ArgumentException($"The public key buffer must hold {PublicKeyLength} bytes.", nameof(publicKey64));
        if ((uint)recoveryId > 3 || r32.Length > 32 || s32.Length > 32)
            return false;

        byte* compact = stackalloc byte[64];
        var rs = new Span<byte>(compact, 64);
        rs.Clear();
        r32.CopyTo(rs.Slice(32 - r32.Length, r32.Length));
        s32.CopyTo(rs.Slice(64 - s32.Length, s32.Length));
        return RecoverCore(hash32, compact, recoveryId, publicKey64);
    }

    /// <summary>Recovers the public key from a signature given as numbers; see the span overload.</summary>
    public static bool TryRecoverPublicKey(ReadOnlySpan<byte> hash32, in UInt256 r, in UInt256 s, int recoveryId, Span<byte> publicKey64)
    {
        CheckHash(hash32);
        if (publicKey64.Length < PublicKeyLength)
            throw new ArgumentException($"The public key buffer must hold {PublicKeyLength} bytes.", nameof(publicKey64));
        if ((uint)recoveryId > 3)
            return false;

        byte* compact = stackalloc byte[64];
        r.WriteBigEndian(new Span<byte>(compact, 32));
        s.WriteBigEndian(new Span<byte>(compact + 32, 32));
        return RecoverCore(hash32, compact, recoveryId, publicKey64);
    }

    /// <summary>
    /// Recovers the address that signed <paramref name="hash32"/>: keccak256(public key)[12..].
    /// False (and <see cref="Address.Zero"/>) for an invalid signature; see <see cref="TryRecoverPublicKey(ReadOnlySpan{byte}, ReadOnlySpan{byte}, ReadOnlySpan{byte}, int, Span{byte})"/>.
    /// </summary>
    public static bool TryRecoverAddress(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> r32, ReadOnlySpan<byte> s32, int recoveryId, out Address address)
    {
        Span<byte> publicKey = stackalloc byte[PublicKeyLength];
        if (!TryRecoverPublicKey(hash32, r32, s32, recoveryId, publicKey))
        {
            address = Address.Zero;
            return false;
        }
        address = PublicKeyToAddress(publicKey);
        return true;
    }

    /// <summary>Recovers the signing address from a signature given as numbers.</summary>
    public static bool TryRecoverAddress(ReadOnlySpan<byte> hash32, in UInt256 r, in UInt256 s, int recoveryId, out Address address)
    {
        Span<byte> publicKey = stackalloc byte[PublicKeyLength];
        if (!TryRecoverPublicKey(hash32, r, s, recoveryId, publicKey))
        {
            address = Address.Zero;
            return false;
        }
        address = PublicKeyToAddress(publicKey);
        return true;
    }

    /// <summary>Recovers the signing address from a <see cref="Signature"/>.</summary>
    public static bool TryRecoverAddress(ReadOnlySpan<byte> hash32, in Signature signature, out Address address) =>
        TryRecoverAddress(hash32, signature.R, signature.S, signature.RecoveryId, out address);

    /// <summary>
    /// Signs <paramref name="hash32"/> deterministically (RFC 6979 nonce), always with low s (EIP-2).
    /// Throws <see cref="ArgumentException"/> for a private key that is 0, ≥ N or not 32 bytes.
    /// </summary>
    public static Signature Sign(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> privateKey32)
    {
        CheckHash(hash32);
        CheckPrivateKey(privateKey32);
        var native = Secp256k1Native.Instance;
        byte* signature = stackalloc byte[65];
        byte* compact = stackalloc byte[64];
        int recoveryId;
        fixed (byte* hash = hash32)
        fixed (byte* key = privateKey32)
        {
            // A null nonce function selects libsecp256k1's RFC 6979 default; signing normalises s to
            // the low half and flips the recovery id to match.
            if (native.SignRecoverable(native.Context, signature, hash, key, 0, 0) != 1)
                throw new ArgumentException("The private key is not a valid secp256k1 scalar.", nameof(privateKey32));
        }
        native.RecoverableSignatureSerializeCompact(native.Context, compact, &recoveryId, signature);
        return new Signature(
            UInt256.FromBigEndian(new ReadOnlySpan<byte>(compact, 32)),
            UInt256.FromBigEndian(new ReadOnlySpan<byte>(compact + 32, 32)),
            recoveryId);
    }

    /// <summary>
    /// Verifies (r, s) over <paramref name="hash32"/> against a public key given as 64 bytes (X || Y),
    /// 65 bytes (0x04 || X || Y) or 33 bytes (compressed). Returns false for any invalid input,
    /// including a high s (EIP-2 canonical form is required, as libsecp256k1 does).
    /// </summary>
    public static bool Verify(ReadOnlySpan<byte> hash32, ReadOnlySpan<byte> r32, ReadOnlySpan<byte> s32, ReadOnlySpan<byte> publicKey)
    {
        CheckHash(hash32);
        if (r32.Length > 32 || s32.Length > 32)
            return false;
        byte* compact = stackalloc byte[64];
        var rs = new Span<byte>(compact, 64);
        rs.Clear();
        r32.CopyTo(rs.Slice(32 - r32.Length, r32.Length));
        s32.CopyTo(rs.Slice(64 - s32.Length, s32.Length));
        return VerifyCore(hash32, compact, publicKey);
    }

    /// <summary>Verifies a <see cref="Signature"/> (the recovery id is not needed and ignored).</summary>
    public static bool Verify(ReadOnlySpan<byte> hash32, in Signature signature, ReadOnlySpan<byte> publicKey)
    {
        CheckHash(hash32);
        byte* compact = stackalloc byte[64];
        signature.R.WriteBigEndian(new Span<byte>(compact, 32));
        signature.S.WriteBigEndian(new Span<byte>(compact + 32, 32));
        return VerifyCore(hash32, compact, publicKey);
    }

    /// <summary>Writes the 64-byte public key (X || Y) of a private key. Throws for an invalid key.</summary>
    public static void PrivateKeyToPublicKey(ReadOnlySpan<byte> privateKey32, Span<byte> publicKey64)
    {
        CheckPrivateKey(privateKey32);
        if (publicKey64.Length < PublicKeyLength)
            throw new ArgumentException($"The public key buffer must hold {PublicKeyLength} bytes.", nameof(publicKey64));
        var native = Secp256k1Native.Instance;
        byte* parsed = stackalloc byte[64];
        fixed (byte* key = privateKey32)
        {
            if (native.PublicKeyCreate(native.Context, parsed, key) != 1)
                throw new ArgumentException("The private key is not a valid secp256k1 scalar.", nameof(privateKey32));
        }
        SerializeUncompressed(native, parsed, publicKey64);
    }

    /// <summary>The address of a private key. Throws <see cref="ArgumentException"/> for an invalid key.</summary>
    public static Address PrivateKeyToAddress(ReadOnlySpan<byte> privateKey32)
    {
        Span<byte> publicKey = stackalloc byte[PublicKeyLength];
        PrivateKeyToPublicKey(privateKey32, publicKey);
        return PublicKeyToAddress(publicKey);
    }

    /// <summary>
    /// The address of a public key: the last 20 bytes of keccak256(X || Y). Takes the 64-byte form
    /// or the 65-byte form with its 0x04 prefix.
    /// </summary>
    public static Address PublicKeyToAddress(ReadOnlySpan<byte> publicKey64)
    {
        if (publicKey64.Length == PublicKeyLength + 1 && publicKey64[0] == 0x04)
            publicKey64 = publicKey64[1..];
        else if (publicKey64.Length != PublicKeyLength)
            throw new ArgumentException($"An uncompressed public key is {PublicKeyLength} bytes (X || Y), or 65 with a 0x04 prefix; got {publicKey64.Length}.", nameof(publicKey64));
        Span<byte> hash = stackalloc byte[32];
        Keccak256.Compute(publicKey64, hash);
        return new Address(hash[12..]);
    }

    private static bool RecoverCore(ReadOnlySpan<byte> hash32, byte* compact64, int recoveryId, Span<byte> publicKey64)
    {
        // libsecp256k1 rejects r, s ≥ N when parsing and 0 when recovering; checking here keeps
        // that contract independent of the library version and skips the native call early.
        if (!IsValidScalar(new ReadOnlySpan<byte>(compact64, 32)) || !IsValidScalar(new ReadOnlySpan<byte>(compact64 + 32, 32)))
            return false;

        var native = Secp256k1Native.Instance;
        byte* signature = stackalloc byte[65];
        byte* parsed = stackalloc byte[64];
        if (native.RecoverableSignatureParseCompact(native.Context, signature, compact64, recoveryId) != 1)
            return false;
        fixed (byte* hash = hash32)
        {
            if (native.Recover(native.Context, parsed, signature, hash) != 1)
                return false;
        }
        SerializeUncompressed(native, parsed, publicKey64);
        return true;
    }

    private static bool VerifyCore(ReadOnlySpan<byte> hash32, byte* compact64, ReadOnlySpan<byte> publicKey)
    {
        if (!IsValidScalar(new ReadOnlySpan<byte>(compact64, 32)) || !IsValidScalar(new ReadOnlySpan<byte>(compact64 + 32, 32)))
            return false;

        byte* encoded = stackalloc byte[65];
        int encodedLength;
        if (publicKey.Length == PublicKeyLength)
        {
            encoded[0] = 0x04;
            publicKey.CopyTo(new Span<byte>(encoded + 1, 64));
            encodedLength = 65;
        }
        else if (publicKey.Length is 65 or 33)
        {
            publicKey.CopyTo(new Span<byte>(encoded, publicKey.Length));
            encodedLength = publicKey.Length;
        }
        else
        {
            return false;
        }

        var native = Secp256k1Native.Instance;
        byte* parsedKey = stackalloc byte[64];
        byte* signature = stackalloc byte[64];
        if (native.PublicKeyParse(native.Context, parsedKey, encoded, (nuint)encodedLength) != 1)
            return false;
        if (native.SignatureParseCompact(native.Context, signature, compact64) != 1)
            return false;
        fixed (byte* hash = hash32)
            return native.Verify(native.Context, signature, hash, parsedKey) == 1;
    }

    private static void SerializeUncompressed(Secp256k1Native native, byte* parsedKey, Span<byte> publicKey64)
    {
        byte* serialized = stackalloc byte[65];
        nuint length = 65;
        native.PublicKeySerialize(native.Context, serialized, &length, parsedKey, Secp256k1Native.SerializeUncompressed);
        new ReadOnlySpan<byte>(serialized + 1, 64).CopyTo(publicKey64);
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static void CheckHash(ReadOnlySpan<byte> hash32)
    {
        if (hash32.Length != HashLength)
            ThrowHashLength(hash32.Length);
    }

    private static void CheckPrivateKey(ReadOnlySpan<byte> privateKey32)
    {
        if (privateKey32.Length != PrivateKeyLength)
            throw new ArgumentException($"A private key is {PrivateKeyLength} bytes; got {privateKey32.Length}.", nameof(privateKey32));
    }

    private static void ThrowHashLength(int length) =>
        throw new ArgumentException($"The message hash must be {HashLength} bytes; got {length}.", "hash32");
}
