using Thalamus.Core;

namespace Thalamus.State;

/// <summary>
/// The preimages of the secure tries' hashed keys (addresses of the account trie, slots of the
/// storage tries), kept beside the trie nodes in the same <see cref="IKeyValueStore"/> so that a
/// state can be listed by address and slot (anvil_dumpState, <c>--dump-state</c>). A preimage's key
/// is 33 bytes (<see cref="Prefix"/> and the hash), so it never collides with a node or code key
/// (32 bytes). <see cref="WorldState"/> writes one when an address or slot first enters its trie.
/// </summary>
public static class StatePreimages
{
    /// <summary>First byte of every preimage key.</summary>
    public const byte Prefix = 0xfe;

    public const int KeyLength = 33;

    /// <summary>Records <paramref name="preimage"/> (an address or a 32-byte slot) under its Keccak-256.</summary>
    public static void Record(IKeyValueStore store, ReadOnlySpan<byte> preimage)
    {
        ArgumentNullException.ThrowIfNull(store);
        Span<byte> key = stackalloc byte[KeyLength];
        key[0] = Prefix;
        Keccak256.Compute(preimage, key[1..]);
        store.Put(key, preimage);
    }

    /// <summary>The preimage of <paramref name="hash"/>, or null when none was recorded.</summary>
    public static byte[]? Find(IKeyValueStore store, in Hash256 hash)
    {
        ArgumentNullException.ThrowIfNull(store);
        Span<byte> key = stackalloc byte[KeyLength];
        key[0] = Prefix;
        hash.Bytes.CopyTo(key[1..]);
        return store.Get(key);
    }
}
