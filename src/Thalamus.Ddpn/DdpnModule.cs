using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.Modules;
using Thalamus.Rpc;

namespace Thalamus.Ddpn;

/// <summary>
/// The distributed processing network on the seam: a <see cref="VirtualizationUnit"/> on every member chain
/// (native, at <see cref="DdpnAddresses.Unit"/>, its account present from genesis so its storage persists),
/// the system account <c>thalamus.ddpn</c>, and the <c>ddpn_*</c> RPC namespace.
/// </summary>
public sealed partial class DdpnModule(DdpnOptions? options = null) : ISystemTransactionSource
{
    public const string ModuleName = "ddpn";

    /// <summary>The module's system account (funded on every chain).</summary>
    public static SystemAccount Account { get; } = new("thalamus.ddpn");

    private readonly DdpnOptions _options = (options ?? new DdpnOptions()) is var o && o.Problem() is { } problem
        ? throw new ArgumentException("ddpn: " + problem, nameof(options)) : o;
    private IClusterHost? _host;

    public string Name => ModuleName;

    public DdpnOptions Options => _options;

    public void Attach(IClusterHost host)
    {
        _host = host;
        RestoreQueue(host);
    }

    public IEnumerable<KeyValuePair<Address, GenesisAccount>> GenesisAllocations(ulong chainId, ulong genesisTimestamp) =>
    [
        // Nonce 1: the unit's account is never empty, so the storage it keeps is never swept (EIP-161).
        new(DdpnAddresses.Unit, new GenesisAccount { Nonce = 1 }),
        new(DdpnAddresses.Management, new GenesisAccount { Nonce = 1 }),
        // The escrow: runtime code only; slot 0 = the payment token, slot 1 = the node's account (the only one that pays out).
        new(DdpnAddresses.Escrow, new GenesisAccount
        {
            Nonce = 1,
            Code = EscrowCode.Value,
            Storage = new Dictionary<UInt256, UInt256> { [UInt256.Zero] = _options.PaymentToken.ToUInt256(), [UInt256.One] = Account.Address.ToUInt256() },
        }),
        Account.Funded(),
    ];

    public IEnumerable<KeyValuePair<string, Address>> NamedPredeploys =>
        [new("DdpnVirtualizationUnit", DdpnAddresses.Unit), new("DdpnManagementUnit", DdpnAddresses.Management), new("DdpnEscrow", DdpnAddresses.Escrow)];

    private static readonly Lazy<byte[]> EscrowCode = new(() =>
    {
        using var stream = typeof(DdpnModule).Assembly.GetManifestResourceStream("DdpnEscrow.json")
            ?? throw new InvalidOperationException("the embedded artifact DdpnEscrow.json is missing from the build");
        using var json = JsonDocument.Parse(stream);
        return Hex.Decode(json.RootElement.GetProperty("deployedBytecode").GetString() ?? throw new InvalidOperationException("DdpnEscrow.json has no deployedBytecode"));
    });

    public IEnumerable<NativeContract> NativeContracts(ulong chainId) =>
        [new VirtualizationUnit(chainId, _options.MemoryLimitOf(chainId)), new ManagementUnit(chainId, _options)];

    public void RegisterRpcMethods(RpcMethodRegistry registry) => DdpnRpcMethods.Register(registry, this);

    internal MemberChain Chain(ulong chainId)
    {
        var host = _host ?? throw new RpcException(RpcErrorCodes.InternalError, "the ddpn module is not attached to a cluster");
        foreach (var chain in host.Chains)
            if (chain.ChainId == chainId) return chain;
        throw new RpcException(RpcErrorCodes.InvalidParams, $"chain {chainId} is not a member of the cluster");
    }

    internal IReadOnlyList<MemberChain> Chains => _host?.Chains ?? [];
}
