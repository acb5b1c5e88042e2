namespace Thalamus.Chain;

/// <summary>
/// An error a chain reports to its clients, carrying the JSON-RPC error code (-32000 for geth's
/// generic server errors, 3 for execution reverted) and optional error data (revert data).
/// </summary>
public class ChainException : Exception
{
    public const int ServerErrorCode = -32000;
    public const int ExecutionRevertedCode = 3;
    public const int InvalidParamsCode = -32602;
    public const int TransactionRejectedCode = -32003;

    public ChainException(string message, int code = ServerErrorCode, byte[]? data = null)
        : base(message)
    {
        Code = code;
        ErrorData = data;
    }

    public int Code { get; }

    /// <summary>The JSON-RPC error's data member (revert data for code 3), or null.</summary>
    public byte[]? ErrorData { get; }
}
