using System.Collections.Frozen;

namespace Thalamus.Rpc;

/// <summary>One row of <see cref="RpcNamespaces.All"/>: a method namespace (the prefix before <c>_</c>), who may call it, and whether a production endpoint serves it when the configuration names none.</summary>
public sealed record RpcNamespace(string Name, RpcAccessClass Class, bool OnByDefault, string Description);

/// <summary>
/// The table of JSON-RPC namespaces and of the methods whose access class differs from their
/// namespace's. <see cref="RpcAccessPolicy"/> builds each endpoint's check from it, and the
/// configuration reader validates <c>api:</c> lists against it. A module that registers methods
/// in a public namespace declares its operator methods to the policy (<see cref="RpcAccessPolicy"/>'s
/// <c>methodClasses</c>) or gets a row in <see cref="MethodClasses"/>; a new namespace is a row of <see cref="All"/>.
/// </summary>
public static class RpcNamespaces
{
    /// <summary>Every namespace the node knows, in the order docs/cluster-config.md lists them.</summary>
    public static IReadOnlyList<RpcNamespace> All { get; } =
    [
        new("eth", RpcAccessClass.Public, OnByDefault: true, "the Ethereum methods"),
        new("net", RpcAccessClass.Public, OnByDefault: true, "net_version, net_listening, net_peerCount"),
        new("web3", RpcAccessClass.Public, OnByDefault: true, "web3_clientVersion, web3_sha3"),
        new("rpc", RpcAccessClass.Public, OnByDefault: true, "rpc_modules (served on every endpoint, as geth does)"),
        new("cluster", RpcAccessClass.Public, OnByDefault: true, "cluster_chains, cluster_status, cluster_getMessage(s); its operator methods below"),
        new("settlement", RpcAccessClass.Public, OnByDefault: false, "settlement_status, settlement_getBatch: joint settlement on the parent chain (docs/settlement.md)"),
        new("thalamus", RpcAccessClass.Public, OnByDefault: true, "remote transaction calls: thalamus_getRtc, thalamus_getRtcs (the rtc module)"),
        new("multicast", RpcAccessClass.Public, OnByDefault: false, "multicast_getPublish, multicast_getChannel (docs/multicast.md)"),
        new("debug", RpcAccessClass.Public, OnByDefault: false, "read-only tracing (debug_trace*); costly, so opt-in, as in geth"),
        new("txpool", RpcAccessClass.Public, OnByDefault: false, "read-only views of the pool (txpool_*); opt-in, as in geth"),
        new("ddpn", RpcAccessClass.Public, OnByDefault: false, "the distributed processing network's module (ddpn_units, ddpn_getJob, ddpn_getOffer, …); opt-in"),
        new("governance", RpcAccessClass.Public, OnByDefault: false, "governance_status, governance_decisions, governance_profileScore: the decisions the cluster carries out (docs/governance.md); opt-in"),
        new("personal", RpcAccessClass.Dev, OnByDefault: false, "personal_sign with the unlocked dev accounts"),
        new("evm", RpcAccessClass.Dev, OnByDefault: false, "evm_mine, evm_snapshot/revert, time control"),
        new("anvil", RpcAccessClass.Dev, OnByDefault: false, "anvil_setBalance/Code/Nonce/StorageAt, mining control"),
        new("hardhat", RpcAccessClass.Dev, OnByDefault: false, "the Hardhat names of the anvil methods"),
        new("admin", RpcAccessClass.Operator, OnByDefault: false, "operator methods (served only on the admin endpoint)"),
    ];

    /// <summary>Methods whose class is not their namespace's: the operator methods of public namespaces.</summary>
    public static IReadOnlyDictionary<string, RpcAccessClass> MethodClasses => s_methodClasses;

    /// <summary>The namespaces the admin endpoint serves: the cluster's (with its operator methods), admin and rpc.</summary>
    public static IReadOnlyList<string> AdminEndpoint { get; } = ["cluster", "admin", "rpc"];

    /// <summary>Namespaces every endpoint serves whatever its configuration says (geth serves rpc_modules everywhere).</summary>
    public static IReadOnlyList<string> AlwaysOn { get; } = ["rpc"];

    private static readonly FrozenDictionary<string, RpcAccessClass> s_methodClasses = new Dictionary<string, RpcAccessClass>(StringComparer.Ordinal)
    {
        ["cluster_haltChain"] = RpcAccessClass.Operator,
        ["cluster_resumeChain"] = RpcAccessClass.Operator,
        ["cluster_increaseTime"] = RpcAccessClass.Dev,
    }.ToFrozenDictionary(StringComparer.Ordinal);

    private static readonly FrozenDictionary<string, RpcNamespace> s_byName = All.ToFrozenDictionary(n => n.Name, StringComparer.Ordinal);
    private static readonly FrozenDictionary<string, RpcNamespace>.AlternateLookup<ReadOnlySpan<char>> s_bySpan = s_byName.GetAlternateLookup<ReadOnlySpan<char>>();

    /// <summary>The namespaces a production endpoint serves when the configuration names none: eth, net, web3, rpc, cluster, thalamus.</summary>
    public static IReadOnlyList<string> ProductionDefault { get; } = All.Where(n => n.OnByDefault).Select(n => n.Name).ToArray();

    /// <summary>The namespaces a dev endpoint serves when the configuration names none: every public and dev one.</summary>
    public static IReadOnlyList<string> DevDefault { get; } = All.Where(n => n.Class != RpcAccessClass.Operator).Select(n => n.Name).ToArray();

    /// <summary>The row of namespace <paramref name="name"/>, or null.</summary>
    public static RpcNamespace? Find(string name) => s_byName.GetValueOrDefault(name);

    /// <summary>The namespace part of <paramref name="method"/> (before the first <c>_</c>); empty when it has none.</summary>
    public static ReadOnlySpan<char> NamespaceOf(string method)
    {
        var underscore = method.AsSpan().IndexOf('_');
        return underscore <= 0 ? default : method.AsSpan(0, underscore);
    }

    /// <summary>The row of the namespace of <paramref name="method"/>, or null. Allocation-free.</summary>
    public static RpcNamespace? FindFor(string method) => s_bySpan.TryGetValue(NamespaceOf(method), out var row) ? row : null;

    /// <summary>
    /// Why namespace <paramref name="name"/> may not be enabled on a public endpoint of a node whose
    /// dev mode is <paramref name="dev"/>; null when it may. The one rule the configuration reader
    /// and <see cref="RpcAccessPolicy"/> both apply.
    /// </summary>
    public static string? WhyNotEnabled(string name, bool dev) => Find(name) switch
    {
        null => $"unknown namespace '{name}'; known: {string.Join(", ", All.Select(n => n.Name))}",
        { Class: RpcAccessClass.Operator } => $"'{name}' holds operator methods, served only on the admin endpoint (admin: {{ port, jwtSecret }})",
        { Class: RpcAccessClass.Dev } when !dev => $"'{name}' is a dev namespace; it is served only with dev: true",
        _ => null,
    };
}
