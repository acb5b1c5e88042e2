using Thalamus.Core;

namespace Thalamus.Crypto;

/// <summary>
/// A recoverable secp256k1 ECDSA signature: r, s and the recovery id (0..3; Ethereum's yParity
/// for typed transactions, v - 27 for legacy ones, v - 35 - 2·chainId under EIP-155).
/// </summary>
public readonly struct Signature : IEquatable<Signature>
{
    public Signature(in UInt256 r, in UInt256 s, int recoveryId)
    {
        if ((uint)recoveryId > 3)
            throw new ArgumentOutOfRangeException(nameof(recoveryId), recoveryId, "A secp256k1 recovery id is 0, 1, 2 or 3.");
        R = r;
        S = s;
        RecoveryId = recoveryId;
    }

    public UInt256 R { get; }

    public UInt256 S { get; }

    public int RecoveryId { get; }

    /// <summary>True if s is in the lower half of the group order (EIP-2).</summary>
    public bool IsLowS => Secp256k1.IsLowS(S);

    /// <summary>Writes r || s (64 bytes, big-endian).</summary>
    public void WriteCompact(Span<byte> destination64)
    {
        if (destination64.Length < 64)
            throw new ArgumentException("A compact signature needs 64 bytes.", nameof(destination64));
        R.WriteBigEndian(destination64[..32]);
        S.WriteBigEndian(destination64.Slice(32, 32));
    }

    /// <summary>r || s || recovery id (65 bytes), the form many tools exchange.</summary>
    public byte[] ToBytes()
    {
        var bytes = new byte[65];
        WriteCompact(bytes);
        bytes[64] = (byte)RecoveryId;
        return bytes;
    }

    public bool Equals(Signature other) => R == other.R && S == other.S && RecoveryId == other.RecoveryId;

    public override bool Equals(object? obj) => obj is Signature other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(R, S, RecoveryId);

    public static bool operator ==(Signature left, Signature right) => left.Equals(right);

    public static bool operator !=(Signature left, Signature right) => !left.Equals(right);

    public override string ToString() => $"(r: {R.ToHexString()}, s: {S.ToHexString()}, recoveryId: {RecoveryId})";
}
