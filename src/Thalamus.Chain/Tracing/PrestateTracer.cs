using System.Text.Json;
using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Chain.Tracing;

/// <summary>
/// geth's prestateTracer: every account and storage slot the transaction touched, with its value
/// before the transaction (balance, nonce, code, storage); in <c>diffMode</c>, <c>{pre, post}</c>
/// with only what changed (slots and accounts left as they were are dropped, an account created by
/// the transaction has no pre entry, a deleted one no post entry). It records through a state
/// wrapper that notes each value the first time the transaction reaches it, before any write.
/// </summary>
public sealed class PrestateTracer(bool diffMode = false, bool disableCode = false, bool disableStorage = false) : ITransactionTracer
{
    private RecordingState? _state;

    public IWorldState Wrap(IWorldState state) => _state = new RecordingState(state);

    public bool TracesSteps => false;

    public void OnStep(in ExecutionStep step) { }

    public void OnStepEnd(long gasRemaining, string? error) { }

    public void OnTransactionEnd(ReadOnlySpan<byte> output, long gasUsed, string? error) { }

    public void WriteResult(Utf8JsonWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        writer.WriteStartObject();
        if (_state is null)
        {
            writer.WriteEndObject();
            return;
        }
        if (!diffMode)
        {
            foreach (var (address, pre) in _state.Accounts) WriteAccount(writer, address, pre, _state.Slots(address));
            writer.WriteEndObject();
            return;
        }
        var post = new List<(Address, AccountValues?, List<(UInt256, UInt256)>)>();
        writer.WriteStartObject("pre"u8);
        foreach (var (address, pre) in _state.Accounts)
        {
            var now = _state.Current(address);
            var changedSlots = new List<(UInt256, UInt256)>();
            var preSlots = new List<(UInt256, UInt256)>();
            foreach (var (slot, before) in _state.Slots(address))
            {
                var after = _state.Inner.GetStorage(address, slot);
                if (after == before) continue;
                preSlots.Add((slot, before));
                if (!after.IsZero) changedSlots.Add((slot, after));
            }
            var accountChanged = pre.Exists != now.Exists || pre.Balance != now.Balance || pre.Nonce != now.Nonce || pre.CodeHash != now.CodeHash;
            if (!accountChanged && preSlots.Count == 0) continue;
            if (pre.Exists) WriteAccount(writer, address, pre, preSlots);
            if (now.Exists)
            {
                var delta = new AccountValues(true,
                    pre.Balance != now.Balance ? now.Balance : null,
                    pre.Nonce != now.Nonce ? now.Nonce : null,
                    pre.CodeHash != now.CodeHash ? now.Code : null,
                    now.CodeHash);
                post.Add((address, delta, changedSlots));
            }
        }
        writer.WriteEndObject();
        writer.WriteStartObject("post"u8);
        foreach (var (address, delta, slots) in post) WriteAccount(writer, address, delta!, slots);
        writer.WriteEndObject();
        writer.WriteEndObject();
    }

    private void WriteAccount(Utf8JsonWriter w, Address address, AccountValues values, IEnumerable<(UInt256 Slot, UInt256 Value)> slots)
    {
        w.WriteStartObject(address.ToString());
        if (values.Balance is { } balance) w.WriteString("balance"u8, balance.ToHexString());
        if (values.Nonce is { } nonce and > 0) w.WriteNumber("nonce"u8, nonce);
        if (!disableCode && values.Code is { Length: > 0 } code)
        {
            w.WriteString("code"u8, Hex.Encode(code));
            w.WriteString("codeHash"u8, values.CodeHash.ToString());
        }
        if (!disableStorage)
        {
            var any = false;
            foreach (var (slot, value) in slots)
            {
                if (!any) w.WriteStartObject("storage"u8);
                any = true;
                w.WriteString(Hash256.FromUInt256(slot).ToString(), Hash256.FromUInt256(value).ToString());
            }
            if (any) w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    /// <summary>An account's fields as the tracer reports them (null: not reported).</summary>
    private sealed record AccountValues(bool Exists, UInt256? Balance, ulong? Nonce, byte[]? Code, Hash256 CodeHash);

    /// <summary>Passes everything through and notes each account and slot's value at its first use.</summary>
    private sealed class RecordingState(IWorldState inner) : IWorldState
    {
        private readonly Dictionary<Address, AccountValues> _accounts = [];
        private readonly List<Address> _order = [];
        private readonly Dictionary<Address, List<(UInt256, UInt256)>> _slots = [];
        private readonly HashSet<(Address, UInt256)> _seenSlots = [];

        public IWorldState Inner => inner;

        public IEnumerable<(Address, AccountValues)> Accounts => _order.Select(a => (a, _accounts[a]));

        public IEnumerable<(UInt256, UInt256)> Slots(Address address) => _slots.TryGetValue(address, out var list) ? list : [];

        public AccountValues Current(in Address address)
        {
            var exists = inner.AccountExists(address);
            return new AccountValues(exists, inner.GetBalance(address), inner.GetNonce(address), inner.GetCode(address), inner.GetCodeHash(address));
        }

        private void Account(in Address address)
        {
            if (_accounts.ContainsKey(address)) return;
            _accounts[address] = Current(address);
            _order.Add(address);
        }

        private void Slot(in Address address, in UInt256 key)
        {
            Account(address);
            if (!_seenSlots.Add((address, key))) return;
            if (!_slots.TryGetValue(address, out var list)) _slots[address] = list = [];
            list.Add((key, inner.GetStorage(address, key)));
        }

        public bool AccountExists(in Address address) { Account(address); return inner.AccountExists(address); }
        public bool IsEmpty(in Address address) { Account(address); return inner.IsEmpty(address); }
        public bool IsDeadOrNonExistent(in Address address) { Account(address); return inner.IsDeadOrNonExistent(address); }
        public UInt256 GetBalance(in Address address) { Account(address); return inner.GetBalance(address); }
        public void AddToBalance(in Address address, in UInt256 amount) { Account(address); inner.AddToBalance(address, amount); }
        public void SubtractFromBalance(in Address address, in UInt256 amount) { Account(address); inner.SubtractFromBalance(address, amount); }
        public ulong GetNonce(in Address address) { Account(address); return inner.GetNonce(address); }
        public void SetNonce(in Address address, ulong nonce) { Account(address); inner.SetNonce(address, nonce); }
        public Hash256 GetCodeHash(in Address address) { Account(address); return inner.GetCodeHash(address); }
        public byte[] GetCode(in Address address) { Account(address); return inner.GetCode(address); }
        public void SetCode(in Address address, byte[] code) { Account(address); inner.SetCode(address, code); }
        public bool HasNonEmptyStorage(in Address address) { Account(address); return inner.HasNonEmptyStorage(address); }
        public void CreateAccount(in Address address) { Account(address); inner.CreateAccount(address); }
        public void DeleteAccount(in Address address) { Account(address); inner.DeleteAccount(address); }
        public void Touch(in Address address) { Account(address); inner.Touch(address); }
        public UInt256 GetStorage(in Address address, in UInt256 key) { Slot(address, key); return inner.GetStorage(address, key); }
        public void SetStorage(in Address address, in UInt256 key, in UInt256 value) { Slot(address, key); inner.SetStorage(address, key, value); }
        public UInt256 GetOriginalStorage(in Address address, in UInt256 key) { Slot(address, key); return inner.GetOriginalStorage(address, key); }
        public UInt256 GetTransientStorage(in Address address, in UInt256 key) => inner.GetTransientStorage(address, key);
        public void SetTransientStorage(in Address address, in UInt256 key, in UInt256 value) => inner.SetTransientStorage(address, key, value);
        public bool WarmAddress(in Address address) => inner.WarmAddress(address);
        public bool WarmStorageSlot(in Address address, in UInt256 key) => inner.WarmStorageSlot(address, key);
        public bool IsWarm(in Address address) => inner.IsWarm(address);
        public void MarkCreatedInTransaction(in Address address) => inner.MarkCreatedInTransaction(address);
        public bool WasCreatedInTransaction(in Address address) => inner.WasCreatedInTransaction(address);
        public int TakeSnapshot() => inner.TakeSnapshot();
        public void Revert(int snapshot) => inner.Revert(snapshot);
        public void RecordExternalUndo(Action undo) => inner.RecordExternalUndo(undo);
        public void BeginTransaction() => inner.BeginTransaction();
        public void EndTransaction() => inner.EndTransaction();
        public Hash256 ComputeStateRoot() => inner.ComputeStateRoot();
    }
}
