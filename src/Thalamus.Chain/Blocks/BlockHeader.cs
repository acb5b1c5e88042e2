using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>
/// A Cancun block header. Immutable once built; <see cref="Hash"/> is Keccak-256 of
/// <see cref="Encode"/> (the RLP list of all twenty fields in consensus order) and is cached.
/// </summary>
public sealed partial class BlockHeader
{
    /// <summary>Keccak-256 of rlp([]): the ommers hash of every post-merge block.</summary>
    public static readonly Hash256 EmptyOmmersHash = Hash256.Parse("0x1dcc4de8dec75d7aab85b567b6ccd41ad312451b948a7413f0a142fd40d49347");

    private Hash256? _hash;

    public Hash256 ParentHash { get; init; }
    public Hash256 OmmersHash { get; init; } = EmptyOmmersHash;
    public Address Coinbase { get; init; }
    public Hash256 StateRoot { get; init; } = Keccak256.OfEmptyList;
    public Hash256 TransactionsRoot { get; init; } = Keccak256.OfEmptyList;
    public Hash256 ReceiptsRoot { get; init; } = Keccak256.OfEmptyList;
    public Bloom LogsBloom { get; init; } = new();
    public UInt256 Difficulty { get; init; }
    public ulong Number { get; init; }
    public ulong GasLimit { get; init; }
    public ulong GasUsed { get; init; }
    public ulong Timestamp { get; init; }
    public byte[] ExtraData { get; init; } = [];

    /// <summary>EIP-4399: the mix-hash field carries the beacon randomness.</summary>
    public Hash256 PrevRandao { get; init; }

    /// <summary>The 8-byte proof-of-work nonce, zero after the merge.</summary>
    public ulong Nonce { get; init; }

    /// <summary>EIP-1559.</summary>
    public UInt256 BaseFeePerGas { get; init; }

    /// <summary>EIP-4895: always the empty-trie root here (no withdrawals on a member chain).</summary>
    public Hash256 WithdrawalsRoot { get; init; } = Keccak256.OfEmptyList;

    /// <summary>EIP-4844.</summary>
    public ulong BlobGasUsed { get; init; }

    /// <summary>EIP-4844.</summary>
    public ulong ExcessBlobGas { get; init; }

    /// <summary>EIP-4788.</summary>
    public Hash256 ParentBeaconBlockRoot { get; init; }

    public Hash256 Hash => _hash ??= Keccak256.Compute(Encode());

    /// <summary>The blob base fee this header implies (EIP-4844 <c>get_base_fee_per_blob_gas</c>).</summary>
    public UInt256 BlobBaseFee => BlobGas.BaseFee(ExcessBlobGas);

    public override string ToString() => $"block #{Number} {Hash}";
}
