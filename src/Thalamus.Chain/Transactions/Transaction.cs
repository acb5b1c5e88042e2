using System.Runtime.CompilerServices;
using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>
/// An Ethereum transaction of any supported type (legacy with or without EIP-155, EIP-2930,
/// EIP-1559, EIP-4844), signed or not. Immutable once built: the hash and the recovered sender
/// are computed on first use and cached.
/// </summary>
/// <remarks>
/// Fields that a type does not have stay at their defaults: <see cref="GasPrice"/> is used only
/// by Legacy and AccessList transactions, <see cref="MaxFeePerGas"/>/<see cref="MaxPriorityFeePerGas"/>
/// only by DynamicFee and Blob ones (use <see cref="FeeCap"/>/<see cref="TipCap"/> to read the fee
/// rules of any type), and the blob fields only by Blob ones.
/// </remarks>
public sealed partial class Transaction
{

    private StrongBox<Hash256>? _hash;
    private StrongBox<Address>? _sender;

    public TxType Type { get; init; }

    /// <summary>The chain id; null only for a legacy transaction signed without EIP-155.</summary>
    public ulong? ChainId { get; init; }

    public ulong Nonce { get; init; }

    /// <summary>Legacy and AccessList transactions only.</summary>
    public UInt256 GasPrice { get; init; }

    /// <summary>DynamicFee and Blob transactions only.</summary>
    public UInt256 MaxPriorityFeePerGas { get; init; }

    /// <summary>DynamicFee and Blob transactions only.</summary>
    public UInt256 MaxFeePerGas { get; init; }

    public ulong GasLimit { get; init; }

    /// <summary>The recipient; null creates a contract (not allowed for Blob transactions).</summary>
    public Address? To { get; init; }

    public UInt256 Value { get; init; }

    public byte[] Data { get; init; } = [];

    public IReadOnlyList<AccessListEntry> AccessList { get; init; } = [];

    /// <summary>Blob transactions only.</summary>
    public UInt256 MaxFeePerBlobGas { get; init; }

    /// <summary>Blob transactions only.</summary>
    public IReadOnlyList<Hash256> BlobVersionedHashes { get; init; } = [];

    /// <summary>Legacy: 27/28, or chainId*2+35/36 (EIP-155). Typed transactions: the y parity, 0 or 1.</summary>
    public UInt256 V { get; init; }

    public UInt256 R { get; init; }

    public UInt256 S { get; init; }

    public bool IsContractCreation => To is null;

    /// <summary>The most the sender pays per gas: the gas price, or the max fee per gas for EIP-1559 style types.</summary>
    public UInt256 FeeCap => Type is TxType.Legacy or TxType.AccessList ? GasPrice : MaxFeePerGas;

    /// <summary>The most the block producer may get per gas: the gas price, or the max priority fee per gas.</summary>
    public UInt256 TipCap => Type is TxType.Legacy or TxType.AccessList ? GasPrice : MaxPriorityFeePerGas;

    /// <summary>Blob gas this transaction uses (EIP-4844); 0 for other types.</summary>
    public ulong BlobGas => Type == TxType.Blob ? (ulong)BlobVersionedHashes.Count * Chain.BlobGas.GasPerBlob : 0;

    /// <summary>Keccak-256 of the canonical network encoding (<see cref="TransactionEncoder.Encode"/>).</summary>
    public Hash256 Hash
    {
        get
        {
            var box = _hash;
            if (box is null)
            {
                box = new StrongBox<Hash256>(Keccak256.Compute(TransactionEncoder.Encode(this)));
                _hash = box;
            }
            return box.Value;
        }
    }

    /// <summary>The canonical network encoding (type byte and RLP payload for typed transactions).</summary>
    public byte[] Encode() => TransactionEncoder.Encode(this);

    /// <summary>The decoder already hashed the (canonical) input bytes; no need to encode again.</summary>
    internal void SetHash(in Hash256 hash) => _hash = new StrongBox<Hash256>(hash);

    /// <summary>A copy of this transaction carrying the given signature values.</summary>
    internal Transaction WithSignature(in UInt256 v, in UInt256 r, in UInt256 s) => new()
    {
        Type = Type,
        ChainId = ChainId,
        Nonce = Nonce,
        GasPrice = GasPrice,
        MaxPriorityFeePerGas = MaxPriorityFeePerGas,
        MaxFeePerGas = MaxFeePerGas,
        GasLimit = GasLimit,
        To = To,
        Value = Value,
        Data = Data,
        AccessList = AccessList,
        MaxFeePerBlobGas = MaxFeePerBlobGas,
        BlobVersionedHashes = BlobVersionedHashes,
        V = v,
        R = r,
        S = s,
    };

    public override string ToString() =>
        $"{Type} tx nonce={Nonce} to={(To is { } to ? to.ToString() : "(create)")} value={Value} gas={GasLimit}";
}
