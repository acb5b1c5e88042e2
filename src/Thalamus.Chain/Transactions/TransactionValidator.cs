using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>
/// The validity rules of a Cancun transaction that need no state: chain id, nonce and fee bounds,
/// intrinsic gas, init code size and the EIP-4844 blob rules. Signature rules live in
/// <see cref="Transaction.RecoverSender"/>; nonce, balance and base-fee checks need the state and
/// the block and belong to the transaction processor.
/// </summary>
public static class TransactionValidator
{
    /// <summary>EIP-3860: twice the EIP-170 code size limit.</summary>
    public const int MaxInitCodeSize = 2 * 24_576;

    /// <summary>Cancun's MAX_BLOB_GAS_PER_BLOCK / GAS_PER_BLOB: a transaction with more blobs fits no block.</summary>
    public const int MaxBlobsPerTransaction = 6;

    /// <summary>EIP-4844 VERSIONED_HASH_VERSION_KZG.</summary>
    public const byte BlobHashVersionKzg = 0x01;

    /// <exception cref="InvalidTransactionException">a rule is broken; the message says which.</exception>
    public static void Validate(Transaction tx, ulong chainId)
    {
        var error = GetError(tx, chainId);
        if (error is not null) throw new InvalidTransactionException(error);
    }

    /// <summary>The first broken rule, or null when the transaction passes every stateless check.</summary>
    public static string? GetError(Transaction tx, ulong chainId)
    {
        // A legacy transaction without chain id (pre-EIP-155) is still valid on any chain.
        if (tx.ChainId is { } txChainId && txChainId != chainId)
            return $"invalid chain id: the transaction is for chain {txChainId}, this chain is {chainId}";
        if (tx.Type != TxType.Legacy && tx.ChainId is null)
            return $"invalid chain id: a {tx.Type} transaction must carry a chain id";

        // EIP-2681: the nonce stays below 2^64-1 so that it can always be incremented.
        if (tx.Nonce == ulong.MaxValue)
            return "nonce 2^64-1 is not allowed: the nonce must stay below 2^64-1 (EIP-2681)";

        if (tx.Type is TxType.DynamicFee or TxType.Blob && tx.MaxPriorityFeePerGas > tx.MaxFeePerGas)
            return $"max priority fee per gas {tx.MaxPriorityFeePerGas} exceeds max fee per gas {tx.MaxFeePerGas}";

        // The worst-case fee must be a 256-bit number, or no balance can ever cover it.
        var feeCap = tx.FeeCap;
        if (UInt256.MultiplyOverflow(new UInt256(tx.GasLimit), feeCap, out _))
            return $"gas limit {tx.GasLimit} times fee cap {feeCap} overflows 256 bits";

        var intrinsic = IntrinsicGas.Calculate(tx);
        if (intrinsic > tx.GasLimit)
            return $"intrinsic gas too low: the transaction needs {intrinsic} gas, its gas limit is {tx.GasLimit}";

        if (tx.IsContractCreation && tx.Data.Length > MaxInitCodeSize)
            return $"init code of {tx.Data.Length} bytes exceeds the limit of {MaxInitCodeSize} (EIP-3860)";

        if (tx.Type == TxType.Blob) return GetBlobError(tx);
        return null;
    }

    private static string? GetBlobError(Transaction tx)
    {
        if (tx.To is null) return "a blob transaction cannot create a contract: 'to' is required (EIP-4844)";
        var hashes = tx.BlobVersionedHashes;
        if (hashes.Count == 0) return "a blob transaction must carry at least one blob versioned hash (EIP-4844)";
        if (hashes.Count > MaxBlobsPerTransaction)
            return $"a blob transaction carries {hashes.Count} blobs, at most {MaxBlobsPerTransaction} fit in a block (EIP-4844)";
        for (var i = 0; i < hashes.Count; i++)
        {
            var hash = hashes[i];
            var version = hash.Bytes[0];
            if (version != BlobHashVersionKzg)
                return $"blob versioned hash {i} has version 0x{version:x2}, expected 0x{BlobHashVersionKzg:x2} (KZG, EIP-4844)";
        }
        return null;
    }
}
