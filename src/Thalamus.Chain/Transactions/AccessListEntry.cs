using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>One EIP-2930 access list entry: an address to pre-warm and the storage slots under it.</summary>
public sealed record AccessListEntry(Address Address, IReadOnlyList<UInt256> StorageKeys);
