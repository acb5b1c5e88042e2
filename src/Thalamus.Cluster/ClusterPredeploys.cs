using System.Reflection;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Modules;

namespace Thalamus.Cluster;

/// <summary>
/// The accounts every member chain has from genesis: the ClusterMessenger and ClusterTokenBridge
/// (runtime code from <c>contracts/artifacts</c>), the native CrossChainCall address, the CREATE2
/// deployer anvil also predeploys, and the relayer whose key the node holds to sign deliveries.
/// </summary>
public static class ClusterPredeploys
{
    public static readonly Address Messenger = Address.Parse("0x4200000000000000000000000000000000000023");
    public static readonly Address CrossChainCall = Thalamus.Evm.CrossChainCall.Address;
    public static readonly Address TokenBridge = Address.Parse("0x4200000000000000000000000000000000000028");

    /// <summary>Arachnid's deterministic-deployment proxy: CREATE2 at the same address on every chain.</summary>
    public static readonly Address Create2Deployer = Address.Parse("0x4e59b44847b379578588920ca78fbf26c0b4956c");

    private static readonly byte[] Create2DeployerCode = Hex.Decode(
        "0x7fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffe03601600081602082378035828234f58015156039578182fd5b8082525050506014600cf3");

    /// <summary>The node's account that signs deliveries (key keccak256("thalamus.cluster.relayer")); the messenger accepts them only from its address.</summary>
    internal static readonly SystemAccount RelayerAccount = new("thalamus.cluster.relayer");

    /// <summary>0xC89279A122660a9fF537390a50b7be030AAc2797.</summary>
    public static readonly Address Relayer = RelayerAccount.Address;

    private static readonly Lazy<byte[]> MessengerCode = new(() => LoadRuntimeCode("ClusterMessenger.json"));
    private static readonly Lazy<byte[]> TokenBridgeCode = new(() => LoadRuntimeCode("ClusterTokenBridge.json"));

    /// <summary>The genesis allocations of the predeploys (added to the dev accounts').</summary>
    public static IEnumerable<KeyValuePair<Address, GenesisAccount>> GenesisAllocations()
    {
        yield return new(Messenger, new GenesisAccount { Nonce = 1, Code = MessengerCode.Value });
        yield return new(TokenBridge, new GenesisAccount { Nonce = 1, Code = TokenBridgeCode.Value });
        yield return new(Create2Deployer, new GenesisAccount { Nonce = 1, Code = Create2DeployerCode });
        yield return RelayerAccount.Funded();
    }

    /// <summary>The cluster's own contracts by name, as the devnet's table lists them.</summary>
    public static IEnumerable<KeyValuePair<string, Address>> Named() =>
    [
        new("ClusterMessenger", Messenger),
        new("CrossChainCall", CrossChainCall),
        new("ClusterTokenBridge", TokenBridge),
    ];

    /// <summary>True for an address <see cref="GenesisAllocations"/> (or the native CrossChainCall) occupies.</summary>
    public static bool IsPredeploy(Address address) =>
        address == Messenger || address == CrossChainCall || address == TokenBridge || address == Create2Deployer || address == Relayer;

    private static byte[] LoadRuntimeCode(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the embedded artifact {resource} is missing from the build");
        using var json = JsonDocument.Parse(stream);
        return Hex.Decode(json.RootElement.GetProperty("deployedBytecode").GetString()
            ?? throw new InvalidOperationException($"{resource} has no deployedBytecode"));
    }
}
