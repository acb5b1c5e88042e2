using System.Reflection;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Modules;

namespace Thalamus.Rtc;

/// <summary>The RTC module's addresses (range 0x4200…0030 – 0x4200…003f) and its genesis accounts.</summary>
public static class RtcPredeploys
{
    /// <summary>The <c>Thalamus</c> gateway (Solidity, contracts/src/rtc/Thalamus.sol): ERC-7786 and RTCs.</summary>
    public static readonly Address Gateway = Address.Parse("0x4200000000000000000000000000000000000030");

    /// <summary>The native membership oracle the gateway asks whether a chain is in the cluster.</summary>
    public static readonly Address Chains = Address.Parse("0x4200000000000000000000000000000000000031");

    /// <summary>The <c>ThalamusExecutor</c> (Solidity): the account every RTC call comes from, driven only by the gateway.</summary>
    public static readonly Address Executor = Address.Parse("0x4200000000000000000000000000000000000032");

    /// <summary>The <c>ThalamusAddressBook</c> (Solidity): the cluster's names, replicated on every chain by the module.</summary>
    public static readonly Address AddressBook = Address.Parse("0x4200000000000000000000000000000000000033");

    /// <summary>The <c>ThalamusExternal</c> (Solidity): the gateway's companion, which its fallback delegatecalls (ERC-7786
    /// messages, quotes, calls by name, the external-chain paths, expiry), so the gateway stays under EIP-170's size limit.</summary>
    public static readonly Address External = Address.Parse("0x4200000000000000000000000000000000000034");

    /// <summary>The module's system account (<c>keccak256("thalamus.rtc")</c>): it replays the address book's registrations on every chain.</summary>
    public static readonly SystemAccount Account = new("thalamus.rtc");

    private static readonly Lazy<byte[]> GatewayCode = new(() => LoadRuntimeCode("Thalamus.json"));
    private static readonly Lazy<byte[]> ExternalCode = new(() => LoadRuntimeCode("ThalamusExternal.json"));
    private static readonly Lazy<byte[]> ExecutorCode = new(() => LoadRuntimeCode("ThalamusExecutor.json"));
    private static readonly Lazy<byte[]> AddressBookCode = new(() => LoadRuntimeCode("ThalamusAddressBook.json"));

    /// <summary>The gateway's runtime code (what genesis puts at <see cref="Gateway"/>).</summary>
    public static byte[] GatewayRuntimeCode => GatewayCode.Value;

    /// <summary>Every predeploy's runtime code by name (what genesis puts at their addresses).</summary>
    public static IEnumerable<KeyValuePair<string, byte[]>> RuntimeCodes =>
        [new("Thalamus", GatewayCode.Value), new("ThalamusExternal", ExternalCode.Value), new("ThalamusExecutor", ExecutorCode.Value), new("ThalamusAddressBook", AddressBookCode.Value)];

    internal static IEnumerable<KeyValuePair<Address, GenesisAccount>> GenesisAllocations()
    {
        yield return new(Gateway, new GenesisAccount { Nonce = 1, Code = GatewayCode.Value });
        yield return new(External, new GenesisAccount { Nonce = 1, Code = ExternalCode.Value });
        yield return new(Executor, new GenesisAccount { Nonce = 1, Code = ExecutorCode.Value });
        yield return new(AddressBook, new GenesisAccount { Nonce = 1, Code = AddressBookCode.Value });
        yield return Account.Funded();
    }

    private static byte[] LoadRuntimeCode(string resource)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"the embedded artifact {resource} is missing from the build");
        using var json = JsonDocument.Parse(stream);
        return Hex.Decode(json.RootElement.GetProperty("deployedBytecode").GetString()
            ?? throw new InvalidOperationException($"{resource} has no deployedBytecode"));
    }
}
