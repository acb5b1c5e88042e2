using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Chain;

/// <summary>
/// Passes every call through to a <see cref="WorldState"/> and records each EIP-2929 access the
/// EVM makes (<see cref="IWorldState.WarmAddress"/>, <see cref="IWorldState.WarmStorageSlot"/>),
/// also those in frames that later revert, as geth's access-list tracer does. Used by
/// eth_createAccessList only: the block builder works on the state directly.
/// </summary>
internal sealed class AccessRecordingState(WorldState inner) : IWorldState
{
    /// <summary>Every address warmed (the transaction's own pre-warming included).</summary>
    public HashSet<Address> Addresses { get; } = [];

    /// <summary>Every (address, slot) warmed.</summary>
    public HashSet<(Address Address, UInt256 Slot)> Slots { get; } = [];

    /// <summary>Addresses where a contract was created (CREATE/CREATE2 targets), reverted or not.</summary>
    public HashSet<Address> Created { get; } = [];

    public bool WarmAddress(in Address address)
    {
        Addresses.Add(address);
        return inner.WarmAddress(address);
    }

    public bool WarmStorageSlot(in Address address, in UInt256 key)
    {
        Slots.Add((address, key));
        return inner.WarmStorageSlot(address, key);
    }

    public void MarkCreatedInTransaction(in Address address)
    {
        Created.Add(address);
        inner.MarkCreatedInTransaction(address);
    }

    public bool IsWarm(in Address address) => inner.IsWarm(address);
    public bool WasCreatedInTransaction(in Address address) => inner.WasCreatedInTransaction(address);
    public bool AccountExists(in Address address) => inner.AccountExists(address);
    public bool IsEmpty(in Address address) => inner.IsEmpty(address);
    public bool IsDeadOrNonExistent(in Address address) => inner.IsDeadOrNonExistent(address);
    public UInt256 GetBalance(in Address address) => inner.GetBalance(address);
    public void AddToBalance(in Address address, in UInt256 amount) => inner.AddToBalance(address, amount);
    public void SubtractFromBalance(in Address address, in UInt256 amount) => inner.SubtractFromBalance(address, amount);
    public ulong GetNonce(in Address address) => inner.GetNonce(address);
    public void SetNonce(in Address address, ulong nonce) => inner.SetNonce(address, nonce);
    public Hash256 GetCodeHash(in Address address) => inner.GetCodeHash(address);
    public byte[] GetCode(in Address address) => inner.GetCode(address);
    public void SetCode(in Address address, byte[] code) => inner.SetCode(address, code);
    public bool HasNonEmptyStorage(in Address address) => inner.HasNonEmptyStorage(address);
    public void CreateAccount(in Address address) => inner.CreateAccount(address);
    public void DeleteAccount(in Address address) => inner.DeleteAccount(address);
    public void Touch(in Address address) => inner.Touch(address);
    public UInt256 GetStorage(in Address address, in UInt256 key) => inner.GetStorage(address, key);
    public void SetStorage(in Address address, in UInt256 key, in UInt256 value) => inner.SetStorage(address, key, value);
    public UInt256 GetOriginalStorage(in Address address, in UInt256 key) => inner.GetOriginalStorage(address, key);
    public UInt256 GetTransientStorage(in Address address, in UInt256 key) => inner.GetTransientStorage(address, key);
    public void SetTransientStorage(in Address address, in UInt256 key, in UInt256 value) => inner.SetTransientStorage(address, key, value);
    public int TakeSnapshot() => inner.TakeSnapshot();
    public void Revert(int snapshot) => inner.Revert(snapshot);
    public void RecordExternalUndo(Action undo) => inner.RecordExternalUndo(undo);
    public void BeginTransaction() => inner.BeginTransaction();
    public void EndTransaction() => inner.EndTransaction();
    public Hash256 ComputeStateRoot() => inner.ComputeStateRoot();
}
