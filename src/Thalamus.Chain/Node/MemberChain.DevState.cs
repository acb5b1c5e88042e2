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
    /// The head's root with the pending edits laid over it, shared by the calls on the head until
    /// the head or the edits change (see <see cref="OpenState"/>); null until the first call.
    /// </summary>
    private HeadOverlay? _headOverlay;

    /// <summary>The overlay for the state at <paramref name="Root"/> with exactly the edits <paramref name="Edits"/> (compared by reference: the list is copy-on-write).</summary>
    private sealed record HeadOverlay(Hash256 Root, DevStateEdit[] Edits, StateOverlay Overlay);

    /// <summary>
    /// A fresh state for <paramref name="header"/> (eth_call, eth_estimateGas): reopened from the
    /// store, with the pending setter edits when the header is the head. The edits are replayed
    /// once per head and set of edits into a shared <see cref="StateOverlay"/> (which also caches
    /// the accounts calls read from the head), not on every call; an older block's state has none.
    /// </summary>
    private WorldState OpenState(BlockHeader header)
    {
        DevStateEdit[] edits;
        HeadOverlay? cached;
        lock (_lock)
        {
            if (header.Hash != _head.Hash) return OpenStateAt(header.StateRoot);
            edits = _pendingEdits;
            cached = _headOverlay;
        }
        if (cached is null || !cached.Root.Equals(header.StateRoot) || !ReferenceEquals(cached.Edits, edits))
        {
            var replayed = OpenStateAt(header.StateRoot);
            foreach (var edit in edits) Apply(replayed, edit);
            // Not shareable (rare: an edit that emptied an account with stored slots): this call uses the replay.
            if (StateOverlay.Capture(replayed, header.StateRoot, cacheReads: RemoteState is null) is not { } overlay) return replayed;
            cached = new HeadOverlay(header.StateRoot, edits, overlay);
            lock (_lock)
            {
                // Kept only if nothing changed meanwhile (another edit or block makes the next call build anew).
                if (header.Hash == _head.Hash && ReferenceEquals(_pendingEdits, edits)) _headOverlay = cached;
            }
        }
        return new WorldState(Store.StateNodes, header.StateRoot, RemoteState, cached.Overlay);
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
