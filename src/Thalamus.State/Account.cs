using Thalamus.Core;

namespace Thalamus.State;

/// <summary>
/// One live account of a <see cref="WorldState"/>. Creating or deleting an account replaces the
/// whole object (the journal keeps the old one), so a recreated account starts with empty storage
/// and reverting brings the old object back untouched.
/// </summary>
internal sealed class Account
{
    public ulong Nonce;
    public UInt256 Balance;
    public Hash256 CodeHash = Keccak256.OfEmpty;

    /// <summary>The code, or null while not loaded: an account read from the trie loads its code on first use (<see cref="WorldState.GetCode"/>).</summary>
    public byte[]? Code = [];

    /// <summary>Known slot values (zeros included once written or loaded); a miss means "zero" unless <see cref="StorageTrie"/> holds persisted slots.</summary>
    public readonly Dictionary<UInt256, UInt256> Storage = [];

    /// <summary>Slots written since the storage root was last brought up to date.</summary>
    public HashSet<UInt256>? DirtySlots;

    /// <summary>The storage root as of the last root computation (or load); valid when <see cref="DirtySlots"/> is empty.</summary>
    public Hash256 StorageRoot = Keccak256.OfEmptyList;

    /// <summary>The account's storage trie, opened lazily; it may hold slots not yet in <see cref="Storage"/> when loaded from a store.</summary>
    public SecureTrie? StorageTrie;

    /// <summary>True when slots may exist in <see cref="StorageTrie"/> that are not cached in <see cref="Storage"/>.</summary>
    public bool HasPersistedStorage;

    /// <summary>Set while the address is in the world state's dirty-account set (saves a hash lookup per write).</summary>
    public bool Dirty;

    /// <summary>The address is not in the account trie yet: the next root computation records its preimage (<see cref="StatePreimages"/>).</summary>
    public bool NeedsPreimage;

    /// <summary>Slots that went from zero to non-zero since the last root computation: their preimages are recorded with it.</summary>
    public HashSet<UInt256>? NewSlots;

    public bool IsEmpty => Nonce == 0 && Balance.IsZero && CodeHash.Equals(Keccak256.OfEmpty);

    /// <summary>A fresh account with empty storage that keeps <paramref name="balance"/>.</summary>
    public static Account CreateEmpty(in UInt256 balance) => new() { Balance = balance };

    /// <summary>
    /// A copy another state may change on its own: the slots and the dirty and new slot sets are
    /// copied, the code array is shared (code is never changed in place), and the storage trie is
    /// left to be reopened at <see cref="StorageRoot"/> (the copy's storage trie must be its own).
    /// Only for an account whose <see cref="StorageRoot"/> is readable from the store.
    /// </summary>
    public Account Copy()
    {
        var copy = new Account
        {
            Nonce = Nonce,
            Balance = Balance,
            CodeHash = CodeHash,
            Code = Code,
            StorageRoot = StorageRoot,
            HasPersistedStorage = HasPersistedStorage,
            Dirty = Dirty,
            NeedsPreimage = NeedsPreimage,
        };
        if (Storage.Count > 0)
        {
            copy.Storage.EnsureCapacity(Storage.Count);
            foreach (var (key, value) in Storage) copy.Storage.Add(key, value);
        }
        if (DirtySlots is { Count: > 0 }) copy.DirtySlots = [.. DirtySlots];
        if (NewSlots is { Count: > 0 }) copy.NewSlots = [.. NewSlots];
        return copy;
    }

    public void MarkSlotDirty(in UInt256 key) => (DirtySlots ??= []).Add(key);
}
