namespace Thalamus.Rpc;

/// <summary>Who may call a method: the class of its namespace, or of the method itself where <see cref="RpcNamespaces"/> says so.</summary>
public enum RpcAccessClass
{
    /// <summary>Anyone, on every endpoint that enables the namespace (eth, net, web3, cluster reads, ...).</summary>
    Public,

    /// <summary>Only on a dev endpoint (<c>thalamus devnet</c>, or a cluster.yaml with <c>dev: true</c>): state overrides, mining control, signing with unlocked accounts.</summary>
    Dev,

    /// <summary>Only on the JWT-authenticated admin endpoint of a production node (any endpoint of a dev node): halting and resuming chains, and later operator methods.</summary>
    Operator,
}
