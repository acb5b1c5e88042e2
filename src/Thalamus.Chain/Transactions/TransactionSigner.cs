using Thalamus.Core;
using Thalamus.Crypto;

namespace Thalamus.Chain;

/// <summary>Signs transactions with a secp256k1 private key.</summary>
public static class TransactionSigner
{
    /// <summary>
    /// A copy of <paramref name="tx"/> signed by <paramref name="privateKey"/> (32 bytes). The
    /// v value follows the type: y parity for typed transactions, chainId*2+35+parity for an
    /// EIP-155 legacy transaction, 27+parity for a legacy transaction without chain id.
    /// </summary>
    public static Transaction Sign(Transaction tx, ReadOnlySpan<byte> privateKey)
    {
        if (privateKey.Length != 32)
            throw new ArgumentException($"a secp256k1 private key is 32 bytes, got {privateKey.Length}", nameof(privateKey));
        var signingHash = TransactionEncoder.ComputeSigningHash(tx);
        var signature = Secp256k1.Sign(signingHash.Bytes, privateKey);
        var parity = (UInt256)(ulong)signature.RecoveryId;
        UInt256 v;
        if (tx.Type != TxType.Legacy) v = parity;
        else if (tx.ChainId is { } chainId) v = new UInt256(chainId) * 2 + 35 + parity;
        else v = 27 + parity;
        return tx.WithSignature(v, signature.R, signature.S);
    }

    /// <summary>
    /// <paramref name="tx"/> as sent by <paramref name="sender"/> without its key (anvil_impersonateAccount):
    /// the signature is the marker s = 1, r = the sender's address (y parity 0; v = chainId*2+35 for a
    /// legacy transaction), so the stored transaction names its sender and re-executes after a
    /// restart or in the cluster replayer without any other record. The hash is the encoding's, as
    /// for any transaction, so two senders' otherwise equal transactions differ.
    /// </summary>
    public static Transaction Impersonate(Transaction tx, in Address sender)
    {
        ArgumentNullException.ThrowIfNull(tx);
        return tx.WithImpersonatedSender(sender);
    }
}
