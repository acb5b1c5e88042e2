namespace Thalamus.Rpc;

/// <summary>A JSON-RPC error to return to the client: code, message and optional data.</summary>
public sealed class RpcException : Exception
{
    public RpcException(int code, string message, byte[]? data = null)
        : base(message)
    {
        Code = code;
        ErrorData = data;
    }

    public int Code { get; }

    /// <summary>Written as 0x-data in the error's "data" member (revert data), or omitted.</summary>
    public byte[]? ErrorData { get; }

    public static RpcException InvalidParams(string message) => new(RpcErrorCodes.InvalidParams, message);

    public static RpcException InvalidRequest(string message) => new(RpcErrorCodes.InvalidRequest, message);

    public static RpcException ServerError(string message) => new(RpcErrorCodes.ServerError, message);

    public static RpcException MethodNotFound(string method) =>
        new(RpcErrorCodes.MethodNotFound, $"the method {method} does not exist/is not available");
}
