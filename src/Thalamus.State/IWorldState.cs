using Thalamus.Core;

namespace Thalamus.State;

/// <summary>
/// The mutable world state the EVM executes against: accounts, storage, code, the per-transaction
/// access sets and transient storage, all journaled so that <see cref="Revert"/> undoes every
/// mutation made since the matching <see cref="TakeSnapshot"/>.
/// </summary>
public interface IWorldState
{
    // accounts
    bool AccountExists(in Address address);
    /// <summary>EIP-161: nonce 0, balance 0, no code (a non-existent account counts as empty).</summary>
    bool IsEmpty(in Address address);
    /// <summary>Not existing, or existing and empty.</summary>
    bool IsDeadOrNonExistent(in Address address);
    UInt256 GetBalance(in Address address);
    /// <summary>Creates the account if missing and marks it touched.</summary>
    void AddToBalance(in Address address, in UInt256 amount);
    /// <summary>The caller has checked that the balance suffices.</summary>
    void SubtractFromBalance(in Address address, in UInt256 amount);
    ulong GetNonce(in Address address);
    void SetNonce(in Address address, ulong nonce);
    /// <summary><see cref="Keccak256.OfEmpty"/> for an existing account without code, <see cref="Hash256.Zero"/> for a non-existent one.</summary>
    Hash256 GetCodeHash(in Address address);
    /// <summary>An empty array when there is no code. The array is shared: do not mutate it.</summary>
    byte[] GetCode(in Address address);
    void SetCode(in Address address, byte[] code);
    /// <summary>For the CREATE collision rules.</summary>
    bool HasNonEmptyStorage(in Address address);
    /// <summary>A new empty account with empty storage; keeps the balance if the address was pre-funded.</summary>
    void CreateAccount(in Address address);
    /// <summary>SELFDESTRUCT: registers the account for removal at <see cref="EndTransaction"/> (journaled); until then it stays readable, code included, as the spec requires.</summary>
    void DeleteAccount(in Address address);
    /// <summary>Marks the account touched, for the EIP-161 end-of-transaction removal of empty accounts.</summary>
    void Touch(in Address address);

    // storage
    UInt256 GetStorage(in Address address, in UInt256 key);
    void SetStorage(in Address address, in UInt256 key, in UInt256 value);
    /// <summary>The value at the start of the current transaction (EIP-2200).</summary>
    UInt256 GetOriginalStorage(in Address address, in UInt256 key);
    /// <summary>EIP-1153.</summary>
    UInt256 GetTransientStorage(in Address address, in UInt256 key);
    void SetTransientStorage(in Address address, in UInt256 key, in UInt256 value);

    // EIP-2929 access sets: return true if it was ALREADY warm, and mark it warm either way
    bool WarmAddress(in Address address);
    bool WarmStorageSlot(in Address address, in UInt256 key);
    bool IsWarm(in Address address);

    // EIP-6780
    void MarkCreatedInTransaction(in Address address);
    bool WasCreatedInTransaction(in Address address);

    // journal: every mutation above (balances, nonces, code, storage, transient storage, warm sets,
    // account creation/deletion, touches) is reverted by Revert(snapshot)
    int TakeSnapshot();
    void Revert(int snapshot);

    /// <summary>
    /// Journals an effect outside this state (a synchronous cross-chain call's changes on another
    /// chain): <paramref name="undo"/> runs if a <see cref="Revert"/> passes this point, in journal
    /// order with the other entries. Ending the transaction makes the effect final.
    /// </summary>
    void RecordExternalUndo(Action undo);

    // transaction boundaries
    /// <summary>Clears warm sets, transient storage, the created-in-transaction set, the original-values cache, touched/destructed marks and the journal.</summary>
    void BeginTransaction();
    /// <summary>Removes destructed accounts and touched empty accounts (EIP-161; every change counts as a touch), then clears the transaction scope as <see cref="BeginTransaction"/> does, which makes the original storage values the current ones.</summary>
    void EndTransaction();
    /// <summary>The Merkle Patricia Trie root: accounts in a SecureTrie, storage in a SecureTrie per account.</summary>
    Hash256 ComputeStateRoot();
}
