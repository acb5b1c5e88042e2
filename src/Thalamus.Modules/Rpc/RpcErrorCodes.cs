namespace Thalamus.Rpc;

/// <summary>JSON-RPC 2.0 error codes and the Ethereum ones (EIP-1474, geth).</summary>
public static class RpcErrorCodes
{
    public const int ParseError = -32700;
    public const int InvalidRequest = -32600;
    public const int MethodNotFound = -32601;
    public const int InvalidParams = -32602;
    public const int InternalError = -32603;

    /// <summary>geth's generic server error (pool rejections, "header not found", ...).</summary>
    public const int ServerError = -32000;

    /// <summary>geth: subscriptions over a transport that cannot push ("notifications not supported").</summary>
    public const int NotificationsUnsupported = -32001;

    /// <summary>EIP-1474: a request exceeded a limit (log range, result count).</summary>
    public const int LimitExceeded = -32005;

    /// <summary>geth: eth_call / eth_estimateGas hit REVERT; data carries the revert data.</summary>
    public const int ExecutionReverted = 3;
}
