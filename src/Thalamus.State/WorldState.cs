using Thalamus.Core;

namespace Thalamus.State;

/// <summary>
/// The live world state: plain dictionaries of accounts and storage for execution, an append-only
/// journal of undo records for nested snapshots, and trie work only in <see cref="ComputeStateRoot"/>
/// and <see cref="Commit"/> (storage roots recomputed only for accounts whose storage changed).
/// Not thread-safe: one instance per executing thread.
/// </summary>
public sealed partial class WorldState : IWorldState
{
    private readonly IKeyValueStore _store;
    private readonly SecureTrie _accountTrie;

    /// <summary>Accounts known in memory; a null value is a known non-existent account (needed when backed by a trie).</summary>
    private readonly Dictionary<Address, Account?> _accounts = [];

    /// <summary>True when the account trie may hold accounts that are not in <see cref="_accounts"/>.</summary>
    private readonly bool _backed;

    /// <summary>Addresses whose account changed (or disappeared) since the last root computation.</summary>
    private readonly HashSet<Address> _dirtyAccounts = [];

    /// <summary>Code written since the last <see cref="Commit"/>, by hash.</summary>
    private readonly Dictionary<Hash256, byte[]> _pendingCode = [];

    /// <summary>The last account looked up (null: known not to exist), valid while <see cref="_cacheValid"/>.</summary>
    private Address _cachedAddress;
    private Account? _cachedAccount;
    private bool _cacheValid;

    /// <summary>An empty in-memory state.</summary>
    public WorldState() : this(new MemoryKeyValueStore()) { }

    /// <summary>An empty state over <paramref name="store"/>.</summary>
    public WorldState(IKeyValueStore store) : this(store, Keccak256.OfEmptyList) { }

    /// <summary>Reopens the state with root <paramref name="stateRoot"/> from <paramref name="store"/> (accounts and slots load lazily).</summary>
    public WorldState(IKeyValueStore store, Hash256 stateRoot) : this(store, stateRoot, null) { }

    /// <summary>
    /// Reopens the state with root <paramref name="stateRoot"/>; with <paramref name="remote"/> (fork
    /// mode) an account or slot the local trie does not hold is read from the remote chain, and a slot
    /// written to zero stays in the local trie (as an encoded zero) so that it no longer reads through.
    /// </summary>
    public WorldState(IKeyValueStore store, Hash256 stateRoot, IRemoteStateSource? remote) : this(store, stateRoot, remote, null) { }

    /// <summary>
    /// Reopens the state with root <paramref name="stateRoot"/> with <paramref name="overlay"/>'s
    /// changes laid over it (as if they had been made here, without replaying them): an account
    /// the overlay changed or has cached is copied from it on first use, any other is read from the
    /// trie (and offered to the overlay's cache).
    /// </summary>
    /// <exception cref="ArgumentException">the overlay lies over another root.</exception>
    public WorldState(IKeyValueStore store, Hash256 stateRoot, IRemoteStateSource? remote, StateOverlay? overlay)
    {
        ArgumentNullException.ThrowIfNull(store);
        if (overlay is not null && !overlay.Root.Equals(stateRoot))
            throw new ArgumentException($"the overlay lies over root {overlay.Root}, not {stateRoot}", nameof(overlay));
        _store = store;
        _remote = remote;
        _overlay = overlay;
        _accountTrie = new SecureTrie(store, stateRoot);
        _backed = remote is not null || overlay is not null || !stateRoot.Equals(Keccak256.OfEmptyList);
    }

    /// <summary>Changes laid over the root (null: none); see <see cref="StateOverlay"/>.</summary>
    private readonly StateOverlay? _overlay;

    /// <summary>True once every account the overlay changed is in <see cref="_accounts"/> (and dirty), as a replay would have left them.</summary>
    private bool _overlayMaterialized;

    /// <summary>The remote chain this state forks (null: none).</summary>
    public IRemoteStateSource? Remote => _remote;

    private readonly IRemoteStateSource? _remote;

    public bool AccountExists(in Address address) => Find(address) is not null;

    public bool IsEmpty(in Address address) => Find(address) is not { } account || account.IsEmpty;

    public bool IsDeadOrNonExistent(in Address address) => Find(address) is not { } account || account.IsEmpty;

    public UInt256 GetBalance(in Address address) => Find(address)?.Balance ?? UInt256.Zero;

    public ulong GetNonce(in Address address) => Find(address)?.Nonce ?? 0;

    public Hash256 GetCodeHash(in Address address) => Find(address)?.CodeHash ?? Hash256.Zero;

    public byte[] GetCode(in Address address) => Find(address) is { } account ? account.Code ??= LoadCode(account.CodeHash, address) : [];

    public void AddToBalance(in Address address, in UInt256 amount)
    {
        var account = GetOrCreate(address);
        if (!amount.IsZero)
        {
            _journal.Add(new JournalEntry(JournalEntryKind.Balance, address, value: account.Balance));
            UInt256.Add(account.Balance, amount, out account.Balance);
        }
        Modified(address, account);
    }

    public void SubtractFromBalance(in Address address, in UInt256 amount)
    {
        // Like geth, subtracting zero is not a touch (and needs no account).
        if (amount.IsZero) return;
        var account = Find(address) ?? throw new InvalidOperationException($"cannot subtract {amount} from non-existent account {address}");
        if (account.Balance < amount) throw new InvalidOperationException($"balance of {address} ({account.Balance}) is less than {amount}");
        _journal.Add(new JournalEntry(JournalEntryKind.Balance, address, value: account.Balance));
        UInt256.Subtract(account.Balance, amount, out account.Balance);
        Modified(address, account);
    }

    /// <summary>Sets the balance outright (genesis, tests); journaled like every mutation.</summary>
    public void SetBalance(in Address address, in UInt256 balance)
    {
        var account = GetOrCreate(address);
        _journal.Add(new JournalEntry(JournalEntryKind.Balance, address, value: account.Balance));
        account.Balance = balance;
        Modified(address, account);
    }

    public void SetNonce(in Address address, ulong nonce)
    {
        var account = GetOrCreate(address);
        _journal.Add(new JournalEntry(JournalEntryKind.Nonce, address, value: account.Nonce));
        account.Nonce = nonce;
        Modified(address, account);
    }

    public void SetCode(in Address address, byte[] code)
    {
        ArgumentNullException.ThrowIfNull(code);
        SetCode(address, code, code.Length == 0 ? Keccak256.OfEmpty : Keccak256.Compute(code));
    }

    /// <summary>
    /// <see cref="SetCode(in Address, byte[])"/> with the code's Keccak-256 already known (a dev
    /// edit replayed on every eth_call hashes its code once, not per call). The caller guarantees
    /// <paramref name="codeHash"/> = Keccak-256(<paramref name="code"/>) and never changes the array.
    /// </summary>
    public void SetCode(in Address address, byte[] code, in Hash256 codeHash)
    {
        ArgumentNullException.ThrowIfNull(code);
        var account = GetOrCreate(address);
        _journal.Add(new JournalEntry(JournalEntryKind.Code, address, value: account.CodeHash.ToUInt256(), previous: account.Code));
        if (code.Length == 0)
        {
            account.Code = [];
            account.CodeHash = Keccak256.OfEmpty;
        }
        else
        {
            account.Code = code;
            account.CodeHash = codeHash;
            _pendingCode[codeHash] = code;
        }
        Modified(address, account);
    }

    public void CreateAccount(in Address address)
    {
        var previous = Find(address);
        var account = Account.CreateEmpty(previous?.Balance ?? UInt256.Zero);
        account.NeedsPreimage = previous is null || previous.NeedsPreimage;
        _journal.Add(new JournalEntry(JournalEntryKind.AccountReplaced, address, previous: previous));
        SetEntry(address, account);
        Modified(address, account);
    }

    /// <summary>
    /// Registers the account for deletion at <see cref="EndTransaction"/> (SELFDESTRUCT): as in the
    /// spec it stays readable, code included, until the transaction ends.
    /// </summary>
    public void DeleteAccount(in Address address)
    {
        if (_destructed.Add(address)) _journal.Add(new JournalEntry(JournalEntryKind.Destructed, address));
    }

    public void Touch(in Address address)
    {
        if (_touched.Add(address)) _journal.Add(new JournalEntry(JournalEntryKind.Touched, address));
    }

    /// <summary>The number of existing accounts held in memory (all of them for a state not reopened from a store).</summary>
    public int AccountCount
    {
        get
        {
            MaterializeOverlay();
            var count = 0;
            foreach (var account in _accounts.Values) if (account is not null) count++;
            return count;
        }
    }

    /// <summary>The addresses of the existing accounts held in memory, in no particular order.</summary>
    public IEnumerable<Address> Addresses
    {
        get
        {
            MaterializeOverlay();
            foreach (var (address, account) in _accounts) if (account is not null) yield return address;
        }
    }

    private Account? Find(in Address address)
    {
        // The EVM asks about the same account several times in a row (SSTORE: warm, original, current, set).
        if (_cacheValid && _cachedAddress == address) return _cachedAccount;
        if (!_accounts.TryGetValue(address, out var account) && _backed)
        {
            account = _overlay is null ? LoadAccount(address) : LoadThroughOverlay(address);
            _accounts[address] = account;
        }
        _cachedAddress = address;
        _cachedAccount = account;
        _cacheValid = true;
        return account;
    }

    /// <summary>An account not yet in memory, from the overlay (changed or cached) or else from the trie.</summary>
    private Account? LoadThroughOverlay(in Address address)
    {
        var overlay = _overlay!;
        if (overlay.TryGetChanged(address, out var changed))
        {
            // As the replayed change would have left it: dirty for the next root.
            _dirtyAccounts.Add(address);
            if (changed is not null) changed.Dirty = true;
            return changed;
        }
        if (overlay.TryGetRead(address, out var cached)) return cached;
        var loaded = LoadAccount(address);
        overlay.AddRead(address, loaded);
        return loaded;
    }

    /// <summary>
    /// Brings every account the overlay changed (and its code) into this state, as replaying the
    /// changes would have: before anything that walks the accounts held in memory or computes a root.
    /// </summary>
    private void MaterializeOverlay()
    {
        if (_overlay is null || _overlayMaterialized) return;
        _overlayMaterialized = true;
        foreach (var address in _overlay.ChangedAddresses) Find(address);
        foreach (var (hash, code) in _overlay.ChangedCode) _pendingCode.TryAdd(hash, code);
    }

    /// <summary>
    /// The accounts changed since this state was opened (copies; null: removed) and the code
    /// written, for <see cref="StateOverlay.Capture"/>. False when they cannot be shared: a
    /// transaction is open, the state has an overlay itself, or a changed account's storage root
    /// exists in memory only (its trie was updated but not committed).
    /// </summary>
    internal bool TryCaptureChanges(out Dictionary<Address, Account?> changed, out Dictionary<Hash256, byte[]> code)
    {
        changed = new Dictionary<Address, Account?>(_dirtyAccounts.Count);
        code = new Dictionary<Hash256, byte[]>(_pendingCode);
        if (_journal.Count > 0 || _overlay is not null) return false;
        foreach (var address in _dirtyAccounts)
        {
            var account = _accounts.GetValueOrDefault(address);
            if (account?.StorageTrie is { } trie && _uncommittedStorageTries.Contains(trie)) return false;
            changed[address] = account?.Copy();
        }
        return true;
    }

    /// <summary>Every change of the account at an address goes through here, keeping the lookup cache right.</summary>
    private void SetEntry(in Address address, Account? account)
    {
        if (account is null && !_backed) _accounts.Remove(address);
        else _accounts[address] = account;
        _cachedAddress = address;
        _cachedAccount = account;
        _cacheValid = true;
    }

    private Account GetOrCreate(in Address address)
    {
        var account = Find(address);
        if (account is not null) return account;
        account = new Account { NeedsPreimage = true };
        _journal.Add(new JournalEntry(JournalEntryKind.AccountReplaced, address));
        SetEntry(address, account);
        Modified(address, account);
        return account;
    }

    /// <summary>Every mutation touches the account (as geth's dirty tracking does) and marks it for the next root.</summary>
    private void Modified(in Address address, Account account)
    {
        if (_touched.Add(address)) _journal.Add(new JournalEntry(JournalEntryKind.Touched, address));
        if (!account.Dirty)
        {
            account.Dirty = true;
            _dirtyAccounts.Add(address);
        }
    }

    private void MarkDirty(in Address address, Account? account)
    {
        _dirtyAccounts.Add(address);
        if (account is not null) account.Dirty = true;
    }

    private void Remove(in Address address)
    {
        SetEntry(address, null);
        _dirtyAccounts.Add(address);
    }
}
