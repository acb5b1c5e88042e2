using System.Runtime.CompilerServices;
using Thalamus.Core;
using Thalamus.Crypto;

namespace Thalamus.Chain;

public sealed partial class Transaction
{
    /// <summary>2^160: an impersonation signature's r is below it (it is the sender's address).</summary>
    private static readonly UInt256 AddressLimit = UInt256.One << 160;

    /// <summary>True for a transaction built by <see cref="TransactionSigner.Impersonate"/> in this process (not for decoded bytes).</summary>
    private bool _impersonated;

    /// <summary>
    /// True when the signature is the impersonation marker: s = 1 and r &lt; 2^160, r being the
    /// sender's address (anvil's impersonated transactions carry a fake signature too). No ECDSA
    /// signature has s = 1 in practice, and the pool refuses such a signature from the wire, so in
    /// a stored block the marker always means an impersonated transaction of a dev node.
    /// </summary>
    public bool HasImpersonationSignature => S == UInt256.One && R < AddressLimit;

    /// <summary>True for a transaction impersonated by this process (see <see cref="TransactionSigner.Impersonate"/>).</summary>
    public bool IsImpersonated => _impersonated;

    /// <summary>
    /// The sender of a transaction that is already in a block (or was accepted by the pool): the
    /// address in the impersonation marker (<see cref="HasImpersonationSignature"/>), else the recovered signer.
    /// Re-execution of stored blocks (tracing, the cluster replayer, RPC views) uses this;
    /// admission into the pool uses the strict <see cref="RecoverSender"/>.
    /// </summary>
    public Address ResolveSender()
    {
        if (_sender is { } cached) return cached.Value;
        if (!HasImpersonationSignature) return RecoverSender();
        var sender = Address.FromUInt256(R);
        _sender = new StrongBox<Address>(sender);
        return sender;
    }

    /// <summary>A copy signed with the impersonation marker for <paramref name="sender"/>, its sender set.</summary>
    internal Transaction WithImpersonatedSender(in Address sender)
    {
        UInt256 v = Type != TxType.Legacy ? UInt256.Zero : ChainId is { } chainId ? new UInt256(chainId) * 2 + 35 : new UInt256(27);
        var copy = WithSignature(v, sender.ToUInt256(), UInt256.One);
        copy._sender = new StrongBox<Address>(sender);
        copy._impersonated = true;
        return copy;
    }
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
