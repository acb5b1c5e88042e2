using Thalamus.Core;

namespace Thalamus.State;

/// <summary>One slot's part of an EIP-1186 proof: the value (zero when absent) and the storage-trie nodes proving it.</summary>
public sealed class StorageProof
{
    public required UInt256 Key { get; init; }

    public required UInt256 Value { get; init; }

    /// <summary>RLP of the storage-trie nodes on the path to keccak(key), root first; empty when the account has no storage.</summary>
    public required IReadOnlyList<byte[]> Proof { get; init; }
}
