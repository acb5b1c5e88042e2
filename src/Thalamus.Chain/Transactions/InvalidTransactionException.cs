namespace Thalamus.Chain;

/// <summary>
/// A transaction that cannot be accepted: malformed encoding, a bad signature, or a broken
/// stateless validity rule. The more specific <see cref="TransactionDecodingException"/> and
/// <see cref="InvalidSignatureException"/> derive from it, so callers can catch just this one.
/// </summary>
public class InvalidTransactionException : Exception
{
    public InvalidTransactionException(string message) : base(message) { }

    public InvalidTransactionException(string message, Exception inner) : base(message, inner) { }
}
