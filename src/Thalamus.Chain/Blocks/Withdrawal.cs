using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>An EIP-4895 withdrawal (member chains produce none; decoded for completeness).</summary>
public readonly record struct Withdrawal(ulong Index, ulong ValidatorIndex, Address Address, ulong AmountGwei);
