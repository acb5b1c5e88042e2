using System.Reflection;
using System.Text.Json;
using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.Modules;

namespace Thalamus.Governance;

/// <summary>
/// Where the governance contracts are. Hermes is a predeploy at 0x…70 on every chain; the others live on
/// the home chain at the CREATE addresses of the governance system account's nonces 0-8 (deployed at
/// genesis by running their constructors, see <see cref="GovernanceGenesis"/>), so their immutables are right.
/// </summary>
public static class GovernanceContracts
{
    /// <summary>Signs the governance's system transactions (Pythia reports) and deploys its contracts.</summary>
    public static readonly SystemAccount Account = new("thalamus.governance");

    /// <summary>The Hermes ERC-20 (the DDPN pays in it by default).</summary>
    public static readonly Address Hermes = Address.Parse("0x4200000000000000000000000000000000000070");

    /// <summary>The native <see cref="GovernanceUpgrader"/> (every chain): applies approved predeploy upgrades.</summary>
    public static readonly Address Upgrader = Address.Parse("0x4200000000000000000000000000000000000071");

    public static readonly Address Athena = Deployed(0);
    public static readonly Address Staking = Deployed(1);
    public static readonly Address Timelock = Deployed(2);
    public static readonly Address Governor = Deployed(3);
    public static readonly Address Gerousia = Deployed(4);
    public static readonly Address Elections = Deployed(5);
    public static readonly Address Decisions = Deployed(6);
    public static readonly Address GrantFund = Deployed(7);
    public static readonly Address Olympus = Deployed(8);

    /// <summary>The account's nonce after the genesis deployments.</summary>
    internal const ulong NonceAfterGenesis = 10;

    public static IEnumerable<KeyValuePair<string, Address>> Named(bool home) =>
        home
            ? [new("Hermes", Hermes), new("Athena", Athena), new("AthenaStaking", Staking), new("AgoraTimelock", Timelock),
               new("AgoraGovernor", Governor), new("Gerousia", Gerousia), new("Elections", Elections),
               new("ClusterDecisions", Decisions), new("GrantFund", GrantFund), new("Olympus", Olympus), new("GovernanceUpgrader", Upgrader)]
            : [new("Hermes", Hermes)];

    private static Address Deployed(ulong nonce) => ContractAddress.From(Account.Address, nonce);

    internal static byte[] CreationCode(string contract)
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream(contract + ".json")
            ?? throw new InvalidOperationException($"the embedded artifact {contract}.json is missing from the build");
        using var json = JsonDocument.Parse(stream);
        return Hex.Decode(json.RootElement.GetProperty("bytecode").GetString()
            ?? throw new InvalidOperationException($"{contract}.json has no bytecode"));
    }
}

/// <summary>The events of ClusterDecisions the module carries out (contracts/src/governance/ClusterDecisions.sol).</summary>
internal static class DecisionEvents
{
    public static readonly Hash256 ChainAdmitted = Abi.EventTopic("ChainAdmitted(uint64,uint64,uint64,string)");
    public static readonly Hash256 ChainRemoved = Abi.EventTopic("ChainRemoved(uint64)");
    public static readonly Hash256 ProfileScoreSet = Abi.EventTopic("ProfileScoreSet(uint64,bytes32,uint256)");
    public static readonly Hash256 ParameterChanged = Abi.EventTopic("ParameterChanged(bytes32,uint256,bytes32)");
    public static readonly Hash256 UpgradeApproved = Abi.EventTopic("UpgradeApproved(address,bytes32,bytes32,bytes)");
}
