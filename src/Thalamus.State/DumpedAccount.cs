using Thalamus.Core;

namespace Thalamus.State;

/// <summary>One account of a listed state (<see cref="WorldState.DumpAccounts"/>): its fields, code and non-zero slots.</summary>
public sealed record DumpedAccount(Address Address, ulong Nonce, UInt256 Balance, byte[] Code, IReadOnlyList<KeyValuePair<UInt256, UInt256>> Storage);
