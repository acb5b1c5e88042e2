namespace Thalamus.State;

/// <summary>What a journal entry undoes.</summary>
internal enum JournalEntryKind : byte
{
    /// <summary>The account object at the address was replaced (created, recreated); <c>Previous</c> is the old one or null.</summary>
    AccountReplaced,
    Balance,
    Nonce,
    /// <summary><c>Previous</c> is the old code, <c>Value</c> the old code hash.</summary>
    Code,
    Storage,
    TransientStorage,
    WarmAddress,
    WarmSlot,
    Touched,
    Destructed,
    CreatedInTransaction,
    /// <summary><c>Previous</c> is an <see cref="System.Action"/> that undoes an effect outside this state.</summary>
    External,
}
