using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Chain;

// anvil_dumpState / anvil_loadState: the head state listed by address, and accounts merged into it.
public sealed partial class MemberChain
{
    /// <summary>
    /// The head state (pending setter edits included) as a list of accounts, with the head it was
    /// taken at. Runs outside the lock on a state reopened from the store.
    /// </summary>
    /// <exception cref="InvalidOperationException">the state holds a key whose preimage was never recorded.</exception>
    public ChainStateDump DumpState()
    {
        BlockHeader head;
        DevStateEdit[] edits;
        lock (_lock)
        {
            head = _head;
            edits = _pendingEdits;
        }
        // Root computation records preimages: buffered here, never written to the store.
        var state = NewState(new RecordingKeyValueStore(Store.StateNodes), head.StateRoot);
        foreach (var edit in edits) Apply(state, edit);
        return new ChainStateDump(ChainId, head, state.DumpAccounts());
    }

    /// <summary>
    /// Merges <paramref name="accounts"/> into the head state as anvil_loadState does: each account's
    /// nonce, balance and code are replaced, its listed slots set (other slots stay). Effective at
    /// once, like the anvil_set* edits, and sealed into the next block.
    /// </summary>
    public void LoadState(IReadOnlyCollection<DumpedAccount> accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var edits = new List<DevStateEdit>(accounts.Count * 3);
        foreach (var account in accounts)
        {
            edits.Add(new DevStateEdit(DevStateEditKind.Balance, account.Address, account.Balance, UInt256.Zero, null));
            edits.Add(new DevStateEdit(DevStateEditKind.Nonce, account.Address, account.Nonce, UInt256.Zero, null));
            var code = (byte[])account.Code.Clone();
            var hash = code.Length == 0 ? Keccak256.OfEmpty : Keccak256.Compute(code);
            edits.Add(new DevStateEdit(DevStateEditKind.Code, account.Address, hash.ToUInt256(), UInt256.Zero, code));
            foreach (var (slot, value) in account.Storage)
                edits.Add(new DevStateEdit(DevStateEditKind.Storage, account.Address, value, slot, null));
        }
        lock (_lock)
        {
            foreach (var edit in edits) Apply(_state, edit);
            _pendingEdits = [.. _pendingEdits, .. edits];
            Pool.Reconcile([.. accounts.Select(a => a.Address)]);
        }
    }
}

/// <summary>A chain's state listed by account (<see cref="MemberChain.DumpState"/>), taken at <see cref="Head"/>.</summary>
public sealed record ChainStateDump(ulong ChainId, BlockHeader Head, IReadOnlyList<DumpedAccount> Accounts)
{
    /// <summary>Listed accounts as a genesis allocation (a chain started from a dump); zero slots are left out.</summary>
    public static Dictionary<Address, GenesisAccount> ToAlloc(IReadOnlyCollection<DumpedAccount> accounts)
    {
        ArgumentNullException.ThrowIfNull(accounts);
        var alloc = new Dictionary<Address, GenesisAccount>(accounts.Count);
        foreach (var account in accounts)
        {
            alloc[account.Address] = new GenesisAccount
            {
                Balance = account.Balance,
                Nonce = account.Nonce,
                Code = account.Code,
                Storage = account.Storage.Where(pair => !pair.Value.IsZero).ToDictionary(pair => pair.Key, pair => pair.Value),
            };
        }
        return alloc;
    }
}
