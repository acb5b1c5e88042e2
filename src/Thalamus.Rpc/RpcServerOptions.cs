using System.Net;
using Thalamus.Core;

namespace Thalamus.Rpc;

/// <summary>Where the JSON-RPC server listens and the limits it enforces; every limit is configurable.</summary>
public sealed class RpcServerOptions
{
    /// <summary>127.0.0.1 unless the operator opts in to more.</summary>
    public IPAddress Host { get; set; } = IPAddress.Loopback;

    /// <summary>0 picks a free port (tests).</summary>
    public int Port { get; set; } = 8545;

    /// <summary>Largest HTTP body or WebSocket message (geth: 5 MiB).</summary>
    public int MaxRequestBytes { get; set; } = 5 * 1024 * 1024;

    /// <summary>Most requests in one batch.</summary>
    public int MaxBatchSize { get; set; } = 1000;

    /// <summary>Widest eth_getLogs / eth_getFilterLogs block range (to - from + 1).</summary>
    public ulong MaxLogBlockRange { get; set; } = 10_000;

    /// <summary>Most logs one eth_getLogs returns.</summary>
    public int MaxLogResults { get; set; } = 10_000;

    /// <summary>Most blocks one eth_feeHistory covers (geth: 1024).</summary>
    public int MaxFeeHistoryBlocks { get; set; } = 1024;

    /// <summary>Most installed polling filters (eth_newFilter, ...), all clients together.</summary>
    public int MaxFilters { get; set; } = 10_000;

    /// <summary>A polling filter not polled for this long is removed (geth: 5 minutes).</summary>
    public TimeSpan FilterTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Most hashes a pending-transaction filter buffers between polls.</summary>
    public int MaxFilterBacklog { get; set; } = 100_000;

    /// <summary>Most subscriptions one WebSocket connection may hold.</summary>
    public int MaxSubscriptionsPerConnection { get; set; } = 1000;

    /// <summary>Most messages waiting to be sent on one WebSocket; a client that falls this far behind is disconnected.</summary>
    public int MaxQueuedMessagesPerConnection { get; set; } = 20_000;

    /// <summary>Most concurrent WebSocket connections.</summary>
    public int MaxWebSocketConnections { get; set; } = 1000;

    public string ClientVersion { get; set; } = "thalamus/v0.1.0/" + System.Runtime.InteropServices.RuntimeInformation.RuntimeIdentifier + "/dotnet" + Environment.Version.Major;

    /// <summary>The dev accounts eth_accounts lists; with a private key, eth_sendTransaction and personal_sign can sign for them. Empty on a production node (no unlocked accounts).</summary>
    public IReadOnlyList<UnlockedAccount> Accounts { get; set; } = [];

    /// <summary>
    /// Serves plain JSON-RPC POSTs over HTTP/1.1 on a thread per connection in front of Kestrel,
    /// which gets everything else (WebSockets included) relayed on a loopback port; one thread
    /// wake-up per request instead of two. Off: Kestrel listens on the port itself. Never used
    /// with <see cref="Authentication"/> (Kestrel checks every request then).
    /// </summary>
    public bool DirectHttp { get; set; } = true;

    /// <summary>Sends Access-Control-Allow-Origin: * so browser dapps (and MetaMask) can call the node, like anvil.</summary>
    public bool AllowAnyOrigin { get; set; } = true;

    /// <summary>
    /// Methods beyond the dispatcher's own that this endpoint serves (the namespaces of a node-cluster's
    /// modules, e.g. <c>cluster_*</c>); rpc_modules lists their namespaces. Null or empty: a method the
    /// dispatcher does not know answers -32601.
    /// </summary>
    public RpcMethodRegistry? Methods { get; set; }

    /// <summary>
    /// Which methods this endpoint serves (namespaces, dev and operator methods), checked once per
    /// request. Default: <see cref="RpcAccessPolicy.Open"/>, everything, as anvil; a cluster.yaml
    /// without <c>dev: true</c> narrows it (docs/cluster-config.md).
    /// </summary>
    public RpcAccessPolicy Access { get; set; } = RpcAccessPolicy.Open;

    /// <summary>
    /// When set, every HTTP request and WebSocket handshake must carry a valid JWT
    /// (<c>Authorization: Bearer ...</c>, HS256) or gets HTTP 401 with the reason: the admin endpoint.
    /// </summary>
    public JwtAuthenticator? Authentication { get; set; }

    /// <summary>Called with unexpected exceptions (they become -32603 for the client).</summary>
    public Action<Exception>? OnInternalError { get; set; }
}
