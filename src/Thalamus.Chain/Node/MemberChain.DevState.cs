using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Chain;

public sealed partial class MemberChain
{
    /// <summary>
    /// Setter edits applied to the live head state since the head was sealed. The live state
    /// carries them into the next block (the builder commits it); the list exists so that states
    /// reopened from the head's root (eth_call, a failed seal, evm_revert) can replay them.
    /// Copy-on-write: snapshots and calls keep the array they saw.
    /// </summary>
    private DevStateEdit[] _pendingEdits = [];

    /// <summary>anvil_setBalance: the head state's balance of <paramref name="address"/>, effective at once (no block is sealed).</summary>
    public void SetBalance(Address address, UInt256 balance) => ApplyEdit(new DevStateEdit(DevStateEditKind.Balance, address, balance, UInt256.Zero, null));

    /// <summary>anvil_setCode: replaces the code of <paramref name="address"/> (empty code removes it).</summary>
    public void SetCode(Address address, byte[] code)
    {
        ArgumentNullException.ThrowIfNull(code);
        // Hashed once here: the edit is replayed on every eth_call until the next block.
        var copy = (byte[])code.Clone();
        var hash = copy.Length == 0 ? Keccak256.OfEmpty : Keccak256.Compute(copy);
        ApplyEdit(new DevStateEdit(DevStateEditKind.Code, address, hash.ToUInt256(), UInt256.Zero, copy));
    }

    /// <summary>anvil_setNonce.</summary>
    public void SetNonce(Address address, ulong nonce) => ApplyEdit(new DevStateEdit(DevStateEditKind.Nonce, address, nonce, UInt256.Zero, null));

    /// <summary>anvil_setStorageAt: one storage slot of <paramref name="address"/>.</summary>
    public void SetStorageAt(Address address, UInt256 slot, UInt256 value) =>
        ApplyEdit(new DevStateEdit(DevStateEditKind.Storage, address, value, slot, null));

    private void ApplyEdit(DevStateEdit edit)
    {
        lock (_lock)
        {
            Apply(_state, edit);
            _pendingEdits = [.. _pendingEdits, edit];
            // A changed nonce or balance may make pooled transactions stale.
            Pool.Reconcile([edit.Address]);
        }
    }

    /// <summary>After a block is sealed its state root includes every edit.</summary>
    private void ClearPendingEdits() => _pendingEdits = [];

    /// <summary>Replays the pending edits onto a state freshly opened at the head's root.</summary>
    private void ReplayPendingEdits(WorldState state)
    {
        foreach (var edit in _pendingEdits) Apply(state, edit);
    }

    /// <summary>
    /// A fresh state for <paramref name="header"/> (eth_call, eth_estimateGas): reopened from the
    /// store, with the pending setter edits replayed when the header is the head.
    /// </summary>
    private WorldState OpenState(BlockHeader header)
    {
        DevStateEdit[] edits;
        lock (_lock) edits = header.Hash == _head.Hash ? _pendingEdits : [];
        var state = OpenStateAt(header.StateRoot);
        foreach (var edit in edits) Apply(state, edit);
        return state;
    }

    private static void Apply(WorldState state, DevStateEdit edit)
    {
        switch (edit.Kind)
        {
            case DevStateEditKind.Balance:
                state.SetBalance(edit.Address, edit.Value);
                break;
            case DevStateEditKind.Nonce:
                state.SetNonce(edit.Address, (ulong)edit.Value);
                break;
            case DevStateEditKind.Code:
                state.SetCode(edit.Address, edit.Code!, Hash256.FromUInt256(edit.Value));
                break;
            case DevStateEditKind.Storage:
                state.SetStorage(edit.Address, edit.Slot, edit.Value);
                break;
            default:
                throw new InvalidOperationException($"unknown state edit {edit.Kind}");
        }
        if (state.IsEmpty(edit.Address) && !state.HasNonEmptyStorage(edit.Address))
        {
            // EIP-161: an edit that leaves the account empty (e.g. a zero balance) removes it
            // rather than writing an empty account into the state root.
            state.Touch(edit.Address);
            state.EndTransaction();
        }
        else
        {
            // Setters are not part of any transaction: no journal or EIP-2200 originals survive them.
            state.BeginTransaction();
        }
    }

    private enum DevStateEditKind
    {
        Balance,
        Nonce,
        Code,
        Storage,
    }

    private sealed record DevStateEdit(DevStateEditKind Kind, Address Address, UInt256 Value, UInt256 Slot, byte[]? Code);
}
