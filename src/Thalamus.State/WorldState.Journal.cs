using System.Runtime.InteropServices;
using Thalamus.Core;

namespace Thalamus.State;

public sealed partial class WorldState
{
    // Sized for a transaction's start: sender, recipient, coinbase and every native contract are warmed
    // (and journaled) before the first instruction; growing from empty cost an eth_call four resizes.
    private readonly List<JournalEntry> _journal = new(InitialTransactionEntries);
    private readonly HashSet<Address> _warmAddresses = new(InitialTransactionEntries);

    private const int InitialTransactionEntries = 32;
    private readonly HashSet<StorageCell> _warmSlots = [];
    private readonly HashSet<Address> _touched = [];
    private readonly HashSet<Address> _destructed = [];
    private readonly HashSet<Address> _createdInTransaction = [];

    public bool WarmAddress(in Address address)
    {
        if (!_warmAddresses.Add(address)) return true;
        _journal.Add(new JournalEntry(JournalEntryKind.WarmAddress, address));
        return false;
    }

    public bool WarmStorageSlot(in Address address, in UInt256 key)
    {
        if (!_warmSlots.Add(new StorageCell(address, key))) return true;
        _journal.Add(new JournalEntry(JournalEntryKind.WarmSlot, address, key));
        return false;
    }

    public bool IsWarm(in Address address) => _warmAddresses.Contains(address);

    /// <summary>True when the slot is in the access set (for tests and tracing; <see cref="WarmStorageSlot"/> is what the EVM uses).</summary>
    public bool IsWarmSlot(in Address address, in UInt256 key) => _warmSlots.Contains(new StorageCell(address, key));

    /// <summary>True when the account was touched (or changed) in the current transaction and not reverted.</summary>
    public bool IsTouched(in Address address) => _touched.Contains(address);

    /// <summary>True when the account is registered for deletion at the end of the transaction.</summary>
    public bool IsDestructed(in Address address) => _destructed.Contains(address);

    public void MarkCreatedInTransaction(in Address address)
    {
        if (_createdInTransaction.Add(address)) _journal.Add(new JournalEntry(JournalEntryKind.CreatedInTransaction, address));
    }

    public bool WasCreatedInTransaction(in Address address) => _createdInTransaction.Contains(address);

    public int TakeSnapshot() => _journal.Count;

    public void RecordExternalUndo(Action undo)
    {
        ArgumentNullException.ThrowIfNull(undo);
        _journal.Add(new JournalEntry(JournalEntryKind.External, default, previous: undo));
    }

    public void Revert(int snapshot)
    {
        if ((uint)snapshot > (uint)_journal.Count)
            throw new ArgumentOutOfRangeException(nameof(snapshot), snapshot, $"no such snapshot (journal length {_journal.Count})");
        var entries = CollectionsMarshal.AsSpan(_journal);
        for (var i = entries.Length - 1; i >= snapshot; i--) Undo(entries[i]);
        _journal.RemoveRange(snapshot, _journal.Count - snapshot);
    }

    private void Undo(in JournalEntry entry)
    {
        var address = entry.Address;
        switch (entry.Kind)
        {
            case JournalEntryKind.AccountReplaced:
                var previous = (Account?)entry.Previous;
                SetEntry(address, previous);
                MarkDirty(address, previous);
                break;
            case JournalEntryKind.Balance:
            {
                var account = Find(address)!;
                account.Balance = entry.Value;
                MarkDirty(address, account);
                break;
            }
            case JournalEntryKind.Nonce:
            {
                var account = Find(address)!;
                account.Nonce = (ulong)entry.Value;
                MarkDirty(address, account);
                break;
            }
            case JournalEntryKind.Code:
            {
                var account = Find(address)!;
                account.Code = (byte[]?)entry.Previous;
                account.CodeHash = Hash256.FromUInt256(entry.Value);
                MarkDirty(address, account);
                break;
            }
            case JournalEntryKind.Storage:
            {
                var account = Find(address)!;
                account.Storage[entry.Key] = entry.Value;
                account.MarkSlotDirty(entry.Key);
                MarkDirty(address, account);
                break;
            }
            case JournalEntryKind.TransientStorage:
                SetTransient(new StorageCell(address, entry.Key), entry.Value);
                break;
            case JournalEntryKind.WarmAddress:
                _warmAddresses.Remove(address);
                break;
            case JournalEntryKind.WarmSlot:
                _warmSlots.Remove(new StorageCell(address, entry.Key));
                break;
            case JournalEntryKind.Touched:
                _touched.Remove(address);
                break;
            case JournalEntryKind.Destructed:
                _destructed.Remove(address);
                break;
            case JournalEntryKind.CreatedInTransaction:
                _createdInTransaction.Remove(address);
                break;
            case JournalEntryKind.External:
                ((Action)entry.Previous!)();
                break;
            default:
                throw new InvalidOperationException($"unknown journal entry kind {entry.Kind}");
        }
    }

    public void BeginTransaction() => ClearTransactionScope();

    public void EndTransaction()
    {
        foreach (var address in _destructed) Remove(address);
        foreach (var address in _touched)
            if (Find(address) is { IsEmpty: true }) Remove(address);
        ClearTransactionScope();
    }

    private void ClearTransactionScope()
    {
        _journal.Clear();
        _warmAddresses.Clear();
        _warmSlots.Clear();
        _transient.Clear();
        _originals.Clear();
        _touched.Clear();
        _destructed.Clear();
        _createdInTransaction.Clear();
    }
}
