using System.Reflection;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Modules;

namespace Thalamus.Multicast;

/// <summary>
/// The multicast predeploys (same address on every member chain, runtime code from <c>contracts/artifacts</c>)
/// and the node's multicast account, the only one the contracts take replication and deliveries from.
/// </summary>
public static class MulticastPredeploys
{
    /// <summary><c>MulticastRegistry</c>: channels, subscriptions, allow-lists and fees, replicated on every chain.</summary>
    public static readonly Address Registry = Address.Parse("0x4200000000000000000000000000000000000040");

    /// <summary><c>Multicaster</c>: publish, the deliveries' cursors, failures and retries, receipts.</summary>
    public static readonly Address Multicaster = Address.Parse("0x4200000000000000000000000000000000000041");

    /// <summary>keccak256("thalamus.multicast"): 0x9c5F8f4875FA1B8d07cE2bd769Ad281Ce3C98331 (the contracts hard-code it).</summary>
    public static readonly SystemAccount Account = new("thalamus.multicast");

    private static readonly Lazy<byte[]> RegistryCode = new(() => LoadRuntimeCode("MulticastRegistry.json"));
    private static readonly Lazy<byte[]> MulticasterCode = new(() => LoadRuntimeCode("Multicaster.json"));

    /// <summary>The Multicaster's storage slot of the fee owner: keccak256("thalamus.multicast.feeOwner") (<c>FEE_OWNER_SLOT</c>).</summary>
    public static readonly UInt256 FeeOwnerSlot = Keccak256.Compute("thalamus.multicast.feeOwner"u8).ToUInt256();

    /// <param name="feeOwner">The account that may withdraw the publish fees the Multicaster collects; none when null.</param>
    public static IEnumerable<KeyValuePair<Address, GenesisAccount>> GenesisAllocations(Address? feeOwner = null)
    {
        yield return new(Registry, new GenesisAccount { Nonce = 1, Code = RegistryCode.Value });
        yield return new(Multicaster, new GenesisAccount
        {
            Nonce = 1,
            Code = MulticasterCode.Value,
            Storage = feeOwner is { } owner ? new Dictionary<UInt256, UInt256> { [FeeOwnerSlot] = owner.ToUInt256() } : null,
        });
        yield return Account.Funded();
    }

    public static IEnumerable<KeyValuePair<string, Address>> Named() =>
    [
        new("MulticastRegistry", Registry),
        new("Multicaster", Multicaster),
    ];

    private static byte[] LoadRuntimeCode(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the embedded artifact {resource} is missing from the build");
        using var json = JsonDocument.Parse(stream);
        return Hex.Decode(json.RootElement.GetProperty("deployedBytecode").GetString()
            ?? throw new InvalidOperationException($"{resource} has no deployedBytecode"));
    }
}
