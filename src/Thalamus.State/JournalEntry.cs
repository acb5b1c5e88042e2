using Thalamus.Core;

namespace Thalamus.State;

/// <summary>One undo record; the journal is an append-only list of these and a snapshot is its length.</summary>
internal readonly struct JournalEntry(JournalEntryKind kind, in Address address, in UInt256 key = default, in UInt256 value = default, object? previous = null)
{
    public readonly JournalEntryKind Kind = kind;
    public readonly Address Address = address;
    public readonly UInt256 Key = key;
    /// <summary>The previous value (balance, nonce, slot value, code hash as a number).</summary>
    public readonly UInt256 Value = value;
    /// <summary>The previous object (account or code) for the kinds that need one.</summary>
    public readonly object? Previous = previous;
}
