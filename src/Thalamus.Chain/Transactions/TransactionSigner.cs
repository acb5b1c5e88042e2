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
}
