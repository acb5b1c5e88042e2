namespace Thalamus.Chain;

/// <summary>A transaction the pool refuses, with geth's message and the JSON-RPC code to report.</summary>
public sealed class TxPoolException : ChainException
{
    public TxPoolException(TxPoolError error, string message, int code = ServerErrorCode)
        : base(message, code)
    {
        Error = error;
    }

    public TxPoolError Error { get; }
}
