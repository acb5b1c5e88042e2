namespace Thalamus.Chain;

/// <summary>The signature is out of range, has a high s (EIP-2), or no public key can be recovered from it.</summary>
public sealed class InvalidSignatureException : InvalidTransactionException
{
    public InvalidSignatureException(string message) : base(message) { }
}
