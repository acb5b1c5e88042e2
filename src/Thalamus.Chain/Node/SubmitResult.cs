using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>The outcome of one transaction of a batch submission: its hash, or why it was refused.</summary>
/// <param name="Hash">The transaction hash (zero when it could not even be decoded).</param>
/// <param name="Error">Null when accepted; a <see cref="ChainException"/> (TxPoolException) or <see cref="InvalidTransactionException"/> otherwise.</param>
public readonly record struct SubmitResult(Hash256 Hash, Exception? Error)
{
    public bool Accepted => Error is null;
}
