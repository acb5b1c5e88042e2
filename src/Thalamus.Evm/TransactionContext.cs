using Thalamus.Core;

namespace Thalamus.Evm;

/// <summary>The transaction-level inputs the EVM reads: ORIGIN, GASPRICE and BLOBHASH.</summary>
public sealed class TransactionContext
{
    public Address Origin { get; set; }

    /// <summary>The effective gas price (EIP-1559) returned by GASPRICE.</summary>
    public UInt256 GasPrice { get; set; }

    public Hash256[] BlobVersionedHashes { get; set; } = [];
}
