using System.Runtime.CompilerServices;
using Thalamus.Core;
using Thalamus.Crypto;

namespace Thalamus.Chain;

public sealed partial class Transaction
{
    /// <summary>
    /// The signer's address. Enforces the signature rules first: 0 &lt; r &lt; N, 0 &lt; s &lt;= N/2
    /// (EIP-2), a recovery id of 0 or 1 consistent with <see cref="V"/> and <see cref="ChainId"/>.
    /// </summary>
    /// <exception cref="InvalidSignatureException">any rule fails or no public key can be recovered.</exception>
    public Address RecoverSender()
    {
        var cached = _sender;
        if (cached is not null) return cached.Value;

        var recoveryId = GetRecoveryId();
        if (R.IsZero) throw new InvalidSignatureException("invalid signature: r is zero");
        if (R >= Secp256k1.N) throw new InvalidSignatureException($"invalid signature: r {R.ToHexString()} is not below the curve order N");
        if (S.IsZero) throw new InvalidSignatureException("invalid signature: s is zero");
        if (S >= Secp256k1.N) throw new InvalidSignatureException($"invalid signature: s {S.ToHexString()} is not below the curve order N");
        if (S > Secp256k1.HalfN) throw new InvalidSignatureException($"invalid signature: s {S.ToHexString()} is above N/2 (high s is forbidden by EIP-2)");

        var signingHash = TransactionEncoder.ComputeSigningHash(this);
        if (!Secp256k1.TryRecoverAddress(signingHash.Bytes, R, S, recoveryId, out var sender))
            throw new InvalidSignatureException("invalid signature: no public key can be recovered from (r, s, recovery id)");

        _sender = new StrongBox<Address>(sender);
        return sender;
    }

    /// <summary>The secp256k1 recovery id (0 or 1) that <see cref="V"/> encodes.</summary>
    /// <exception cref="InvalidSignatureException">V is not a valid value for this type and chain id.</exception>
    public int GetRecoveryId()
    {
        if (Type != TxType.Legacy)
        {
            if (V > 1) throw new InvalidSignatureException($"invalid signature: yParity must be 0 or 1, got {V}");
            return (int)(ulong)V;
        }
        if (ChainId is not { } chainId)
        {
            if (V == 27 || V == 28) return (int)((ulong)V - 27);
            throw new InvalidSignatureException($"invalid signature: v must be 27 or 28 for a transaction without chain id, got {V}");
        }
        var baseV = new UInt256(chainId) * 2 + 35;
        if (V == baseV || V == baseV + 1) return (int)(ulong)(V - baseV);
        throw new InvalidSignatureException($"invalid signature: v {V} does not match chain id {chainId} (expected {baseV} or {baseV + 1}, EIP-155)");
    }
}
