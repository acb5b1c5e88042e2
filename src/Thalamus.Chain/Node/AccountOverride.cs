using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>A state override of one account (geth's stateOverrides entry): <see cref="State"/> replaces the storage, <see cref="StateDiff"/> edits it.</summary>
public sealed class AccountOverride
{
    public Address Address { get; init; }
    public UInt256? Balance { get; init; }
    public ulong? Nonce { get; init; }
    public byte[]? Code { get; init; }
    public IReadOnlyDictionary<UInt256, UInt256>? State { get; init; }
    public IReadOnlyDictionary<UInt256, UInt256>? StateDiff { get; init; }
}
