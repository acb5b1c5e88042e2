namespace Thalamus.Chain;

/// <summary>The bytes are not a well-formed, canonical transaction encoding.</summary>
public sealed class TransactionDecodingException : InvalidTransactionException
{
    public TransactionDecodingException(string message) : base(message) { }

    public TransactionDecodingException(string message, Exception inner) : base(message, inner) { }
}
