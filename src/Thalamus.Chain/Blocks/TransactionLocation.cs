using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>Where a mined transaction is: its block and index within the block.</summary>
public readonly record struct TransactionLocation(Hash256 BlockHash, ulong BlockNumber, int Index);
