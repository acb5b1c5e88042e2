using System.Text.Json;

namespace Thalamus.Rpc;

/// <summary>
/// One JSON-RPC method a module adds: reads its positional params (every failure a -32602 naming the
/// argument) and writes its result. Throw <see cref="RpcException"/> or <c>ChainException</c> for a
/// client's mistake; the dispatcher turns them into error objects.
/// </summary>
public delegate void RpcMethod(ref ParamReader parameters, Utf8JsonWriter result);

/// <summary>
/// The methods an endpoint serves beyond the Ethereum ones its dispatcher knows: modules register
/// their namespaces here (<c>cluster_*</c> today) and the dispatcher falls back to it for a method
/// it does not know. Filled before the endpoints start; read-only afterwards (so lock-free).
/// </summary>
public sealed class RpcMethodRegistry
{
    private readonly Dictionary<string, RpcMethod> _methods = new(StringComparer.Ordinal);
    private readonly List<string> _names = [];
    private readonly List<string> _namespaces = [];

    /// <summary>Every registered method in registration order.</summary>
    public IReadOnlyList<string> Methods => _names;

    /// <summary>The namespaces (the part before '_') in registration order, for rpc_modules.</summary>
    public IReadOnlyList<string> Namespaces => _namespaces;

    /// <summary>Adds <paramref name="name"/> (namespace_method); a name taken twice is an <see cref="ArgumentException"/>.</summary>
    public void Add(string name, RpcMethod method)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        ArgumentNullException.ThrowIfNull(method);
        var separator = name.IndexOf('_', StringComparison.Ordinal);
        if (separator <= 0 || separator == name.Length - 1)
            throw new ArgumentException($"method \"{name}\" is not namespace_method", nameof(name));
        if (!_methods.TryAdd(name, method)) throw new ArgumentException($"method \"{name}\" is registered twice", nameof(name));
        _names.Add(name);
        var ns = name[..separator];
        if (!_namespaces.Contains(ns)) _namespaces.Add(ns);
    }

    /// <summary>The method registered as <paramref name="name"/>, or null.</summary>
    public RpcMethod? Find(string name) => _methods.GetValueOrDefault(name);
}
