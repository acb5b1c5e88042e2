using Thalamus.Core;

namespace Thalamus.State;

/// <summary>
/// An EIP-1186 account proof (eth_getProof): the account's fields, the state-trie nodes on the path
/// to keccak(address) and a storage proof per requested slot. For an account that does not exist
/// the code hash and storage hash are zero, as geth reports them since v1.13.4 (the account proof
/// then proves the absence).
/// </summary>
public sealed class AccountProof
{
    public required Address Address { get; init; }

    /// <summary>True when the state trie holds the account.</summary>
    public required bool Exists { get; init; }

    public required UInt256 Balance { get; init; }

    public required ulong Nonce { get; init; }

    public required Hash256 CodeHash { get; init; }

    public required Hash256 StorageHash { get; init; }

    /// <summary>RLP of the state-trie nodes on the path to keccak(address), root first.</summary>
    public required IReadOnlyList<byte[]> Proof { get; init; }

    public required IReadOnlyList<StorageProof> StorageProofs { get; init; }

    /// <summary>
    /// Builds the proof of <paramref name="address"/> and <paramref name="slots"/> in the state with
    /// root <paramref name="stateRoot"/>, reading the committed trie nodes from <paramref name="store"/>.
    /// </summary>
    /// <exception cref="TrieException">a trie node is missing from the store or malformed.</exception>
    public static AccountProof Build(IKeyValueStore store, Hash256 stateRoot, Address address, IReadOnlyList<UInt256> slots)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(slots);
        var accountTrie = new PatriciaTrie(store, stateRoot);
        var addressKey = Keccak256.Compute(address.Bytes);
        var accountProof = accountTrie.GetProof(addressKey.Bytes);
        var encoded = accountTrie.Get(addressKey.Bytes);
        if (encoded is null)
        {
            var empty = new StorageProof[slots.Count];
            for (var i = 0; i < empty.Length; i++) empty[i] = new StorageProof { Key = slots[i], Value = UInt256.Zero, Proof = [] };
            return new AccountProof
            {
                Address = address, Exists = false, Balance = UInt256.Zero, Nonce = 0, CodeHash = Hash256.Zero,
                StorageHash = Hash256.Zero, Proof = accountProof, StorageProofs = empty,
            };
        }

        var account = AccountEncoding.Decode(encoded);
        var storageProofs = new StorageProof[slots.Count];
        // An empty storage trie proves nothing: geth answers an empty proof and a zero value.
        var storageTrie = account.StorageRoot == Keccak256.OfEmptyList ? null : new PatriciaTrie(store, account.StorageRoot);
        Span<byte> slotBytes = stackalloc byte[32];
        for (var i = 0; i < storageProofs.Length; i++)
        {
            var slot = slots[i];
            if (storageTrie is null)
            {
                storageProofs[i] = new StorageProof { Key = slot, Value = UInt256.Zero, Proof = [] };
                continue;
            }
            slot.WriteBigEndian(slotBytes);
            var slotKey = Keccak256.Compute(slotBytes);
            var value = storageTrie.Get(slotKey.Bytes) is { } stored ? AccountEncoding.DecodeSlotValue(stored) : UInt256.Zero;
            storageProofs[i] = new StorageProof { Key = slot, Value = value, Proof = storageTrie.GetProof(slotKey.Bytes) };
        }
        return new AccountProof
        {
            Address = address, Exists = true, Balance = account.Balance, Nonce = account.Nonce, CodeHash = account.CodeHash,
            StorageHash = account.StorageRoot, Proof = accountProof, StorageProofs = storageProofs,
        };
    }
}
