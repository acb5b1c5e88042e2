using Thalamus.Core;

namespace Thalamus.State;

// Listing a whole state by address and slot (anvil_dumpState), through the recorded preimages.
public sealed partial class WorldState
{
    /// <summary>
    /// Every existing account with its code and non-zero storage, in the account trie's order.
    /// Brings the roots up to date first (nothing is written but preimages). Meant for a state
    /// opened for the purpose: the lookups stay cached in it.
    /// </summary>
    /// <exception cref="InvalidOperationException">a key's preimage was never recorded (a state written before preimages were kept).</exception>
    public IReadOnlyList<DumpedAccount> DumpAccounts()
    {
        ComputeStateRoot();
        var result = new List<DumpedAccount>();
        foreach (var (hashedAddress, _) in _accountTrie.Enumerate())
        {
            var address = new Address(StatePreimages.Find(_store, hashedAddress)
                ?? throw new InvalidOperationException($"the state holds account key {hashedAddress} whose address was not recorded; it cannot be listed"));
            var account = Find(address) ?? throw new InvalidOperationException($"account {address} is in the trie but cannot be read");
            var storage = new List<KeyValuePair<UInt256, UInt256>>();
            if (!account.StorageRoot.Equals(Keccak256.OfEmptyList))
            {
                var trie = account.StorageTrie ??= new SecureTrie(_store, account.StorageRoot);
                foreach (var (hashedSlot, encoded) in trie.Enumerate())
                {
                    var slot = StatePreimages.Find(_store, hashedSlot)
                        ?? throw new InvalidOperationException($"account {address} holds storage key {hashedSlot} whose slot was not recorded; it cannot be listed");
                    var value = AccountEncoding.DecodeSlotValue(encoded);
                    // A forked state keeps zeros in its trie (so they do not read through).
                    if (!value.IsZero) storage.Add(new(UInt256.FromBigEndian(slot), value));
                }
            }
            result.Add(new DumpedAccount(address, account.Nonce, account.Balance, GetCode(address), storage));
        }
        return result;
    }
}
