using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>The transaction-like object of eth_call / eth_estimateGas; unset fields take geth's defaults.</summary>
public sealed class CallRequest
{
    /// <summary>Defaults to the zero address.</summary>
    public Address? From { get; set; }

    /// <summary>Null creates a contract (the data is init code).</summary>
    public Address? To { get; set; }

    /// <summary>Defaults to the block gas limit (eth_call) or the search ceiling (eth_estimateGas).</summary>
    public ulong? Gas { get; set; }

    public UInt256? GasPrice { get; set; }
    public UInt256? MaxFeePerGas { get; set; }
    public UInt256? MaxPriorityFeePerGas { get; set; }
    public UInt256? Value { get; set; }
    public byte[]? Data { get; set; }
    public IReadOnlyList<AccessListEntry>? AccessList { get; set; }

    /// <summary>Informational: calls always run at the sender's state nonce (geth skips nonce checks for calls).</summary>
    public ulong? Nonce { get; set; }

    public UInt256? MaxFeePerBlobGas { get; set; }
    public IReadOnlyList<Hash256>? BlobVersionedHashes { get; set; }

    /// <summary>True when any fee field was given (then the sender pays, and the balance checks apply).</summary>
    public bool HasFees =>
        (GasPrice is { } gp && !gp.IsZero) || (MaxFeePerGas is { } mf && !mf.IsZero) || (MaxPriorityFeePerGas is { } mp && !mp.IsZero);
}
