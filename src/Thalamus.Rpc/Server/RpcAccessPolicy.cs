using System.Collections.Frozen;

namespace Thalamus.Rpc;

/// <summary>
/// Which methods one endpoint serves, checked once per request before dispatch
/// (<see cref="Demand"/>): the namespaces it enables (like geth's <c>--http.api</c>), and whether it
/// serves operator methods. A method of a namespace the endpoint does not enable answers -32601 in
/// geth's words; an operator method on an endpoint without them answers -32601 naming the admin
/// endpoint. Built from the table in <see cref="RpcNamespaces"/>; the check allocates nothing when
/// the method is served.
/// </summary>
public sealed class RpcAccessPolicy
{
    /// <summary>What one probe of the namespace table decides.</summary>
    private enum Rule : byte
    {
        Serve,
        /// <summary>Served, but some of its methods are operator or dev methods this endpoint does not serve: look the method up.</summary>
        ServeExceptSomeMethods,
        NotServed,
        /// <summary>An operator namespace on an endpoint without operator methods.</summary>
        OperatorOnly,
    }

    private readonly bool _open;
    private readonly FrozenSet<string> _enabled;
    private readonly FrozenDictionary<string, Rule>.AlternateLookup<ReadOnlySpan<char>> _rules;
    /// <summary>Methods of served namespaces whose own class (operator, dev) this endpoint does not serve.</summary>
    private readonly FrozenDictionary<string, RpcAccessClass> _refusedMethods;

    private RpcAccessPolicy(bool open, IEnumerable<string> namespaces, bool dev, bool servesOperatorMethods, IReadOnlyDictionary<string, RpcAccessClass>? methodClasses)
    {
        _open = open;
        var enabled = new HashSet<string>(namespaces, StringComparer.Ordinal);
        enabled.UnionWith(RpcNamespaces.AlwaysOn);
        _enabled = enabled.ToFrozenSet(StringComparer.Ordinal);
        var classes = new Dictionary<string, RpcAccessClass>(RpcNamespaces.MethodClasses, StringComparer.Ordinal);
        if (methodClasses is not null)
            foreach (var (method, accessClass) in methodClasses) classes[method] = accessClass;
        // Operator and dev methods of served namespaces that this endpoint must still refuse.
        _refusedMethods = classes
            .Where(c => c.Value == RpcAccessClass.Operator ? !servesOperatorMethods : c.Value == RpcAccessClass.Dev && !dev)
            .ToFrozenDictionary(StringComparer.Ordinal);
        // One probe per request: the namespace's rule, built once from the table.
        var rules = new Dictionary<string, Rule>(StringComparer.Ordinal);
        foreach (var row in RpcNamespaces.All)
        {
            rules[row.Name] =
                row.Class == RpcAccessClass.Operator && !servesOperatorMethods ? Rule.OperatorOnly :
                !_enabled.Contains(row.Name) ? Rule.NotServed :
                _refusedMethods.Keys.Any(m => m.AsSpan().StartsWith(row.Name) && m.Length > row.Name.Length && m[row.Name.Length] == '_') ? Rule.ServeExceptSomeMethods :
                Rule.Serve;
        }
        _rules = rules.ToFrozenDictionary(StringComparer.Ordinal).GetAlternateLookup<ReadOnlySpan<char>>();
        IsDev = dev;
        ServesOperatorMethods = servesOperatorMethods;
        Namespaces = RpcNamespaces.All.Select(n => n.Name).Where(_enabled.Contains).ToArray();
    }

    /// <summary>Every namespace and every method, operator methods included, with no check at all: <c>thalamus devnet</c>, <c>thalamus node</c> without a configuration, and tests.</summary>
    public static RpcAccessPolicy Open { get; } = new(open: true, RpcNamespaces.All.Select(n => n.Name), dev: true, servesOperatorMethods: true, null);

    /// <summary>True: the dev namespaces may be enabled and the dev accounts are unlocked.</summary>
    public bool IsDev { get; }

    /// <summary>True on the admin endpoint, and on every endpoint of a dev node.</summary>
    public bool ServesOperatorMethods { get; }

    /// <summary>The namespaces served, in the table's order (rpc_modules lists them).</summary>
    public IReadOnlyList<string> Namespaces { get; }

    /// <summary>
    /// A chain's public endpoint serving <paramref name="namespaces"/> (null: eth, net, web3, rpc and
    /// cluster, or every public and dev namespace when <paramref name="dev"/>). A dev node also serves
    /// operator methods here, as anvil would; a production node only on its admin endpoint.
    /// <paramref name="methodClasses"/> adds methods whose class is not their namespace's.
    /// Throws <see cref="ArgumentException"/> for a namespace the rules of <see cref="RpcNamespaces.WhyNotEnabled"/> refuse.
    /// </summary>
    public static RpcAccessPolicy ForPublicEndpoint(IEnumerable<string>? namespaces, bool dev, IReadOnlyDictionary<string, RpcAccessClass>? methodClasses = null)
    {
        var list = (namespaces ?? (dev ? RpcNamespaces.DevDefault : RpcNamespaces.ProductionDefault)).ToArray();
        foreach (var name in list)
            if (RpcNamespaces.WhyNotEnabled(name, dev) is { } why) throw new ArgumentException(why, nameof(namespaces));
        return new RpcAccessPolicy(open: false, list, dev, servesOperatorMethods: dev, methodClasses);
    }

    /// <summary>The admin endpoint: the namespaces of <see cref="RpcNamespaces.AdminEndpoint"/> with their operator methods, and nothing else (no eth_*, no dev methods).</summary>
    public static RpcAccessPolicy ForAdminEndpoint(IReadOnlyDictionary<string, RpcAccessClass>? methodClasses = null) =>
        new(open: false, RpcNamespaces.AdminEndpoint, dev: false, servesOperatorMethods: true, methodClasses);

    /// <summary>True when the endpoint serves namespace <paramref name="name"/>.</summary>
    public bool Serves(string name) => _enabled.Contains(name);

    /// <summary>Throws the JSON-RPC error a client gets when this endpoint does not serve <paramref name="method"/>; returns (allocating nothing) when it does.</summary>
    public void Demand(string method)
    {
        if (_open) return;
        if (!_rules.TryGetValue(RpcNamespaces.NamespaceOf(method), out var rule)) throw RpcException.MethodNotFound(method);
        switch (rule)
        {
            case Rule.Serve: return;
            case Rule.ServeExceptSomeMethods:
                if (_refusedMethods.TryGetValue(method, out var refused))
                    throw refused == RpcAccessClass.Operator ? OperatorOnly(method) : RpcException.MethodNotFound(method);
                return;
            case Rule.OperatorOnly: throw OperatorOnly(method);
            default: throw RpcException.MethodNotFound(method);
        }
    }

    private static RpcException OperatorOnly(string method) => new(RpcErrorCodes.MethodNotFound,
        $"the method {method} is not available on this endpoint: it is an operator method, served only on the node's admin endpoint with a JWT (admin: {{ port, jwtSecret }} in cluster.yaml)");
}
