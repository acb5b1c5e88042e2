using System.Net;
using System.Numerics;
using Thalamus.Core;
using Thalamus.Crypto;

namespace Thalamus.Cli.Configuration;

/// <summary>
/// The settings of a <c>cluster.yaml</c> (see docs/cluster-config.md), with every default filled in.
/// <see cref="ClusterConfigReader"/> reads one; <see cref="ClusterLaunchSettings"/> merges it with
/// the command-line flags.
/// </summary>
public sealed class ClusterConfigFile
{
    public const int DefaultBasePort = 9545;
    public const ulong DefaultBaseChainId = 901;
    public const int DefaultChainCount = 3;
    public const int DefaultAccountCount = 10;

    /// <summary>The file it was read from; null when built in code.</summary>
    public string? SourcePath { get; init; }

    /// <summary>Null: the largest block time (one second when every chain automines).</summary>
    public TimeSpan? Delta { get; init; }

    /// <summary>Absolute (a relative path in the file is taken from the file's folder); null: in memory.</summary>
    public string? DataDirectory { get; init; }

    /// <summary>True: in memory even when <see cref="DataDirectory"/> is set.</summary>
    public bool Ephemeral { get; init; }

    public IPAddress Host { get; init; } = IPAddress.Loopback;

    /// <summary>Chains without a port of their own listen on this plus their index (0: any free port).</summary>
    public int BasePort { get; init; } = DefaultBasePort;

    public string Mnemonic { get; init; } = DevAccounts.DefaultMnemonic;
    public int AccountCount { get; init; } = DefaultAccountCount;
    public UInt256 AccountBalanceWei { get; init; } = UInt256.FromBigInteger(BigInteger.Pow(10, 22));

    /// <summary>Null: the time the cluster is first created.</summary>
    public ulong? GenesisTimestamp { get; init; }

    public ulong DeliveryGasLimit { get; init; } = 1_000_000;
    /// <summary>Null: half of each chain's block gas limit (see <c>ClusterOptions.DeliveryGasBudget</c>).</summary>
    public ulong? DeliveryGasBudget { get; init; }
    public long CrossCallGasCap { get; init; } = 10_000_000;
    public int MaxCrossCallDepth { get; init; } = 8;
    /// <summary>Null: the cluster's default (the messenger's deliveries may fill half a block).</summary>
    public IReadOnlyDictionary<string, double>? SystemGasShares { get; init; }

    /// <summary>
    /// <c>dev:</c> as written; null when the file does not say, so the command decides
    /// (<c>devnet</c>: dev, <c>node</c>: production). A dev node serves the dev namespaces, unlocks the
    /// dev accounts and serves operator methods on every endpoint, as anvil.
    /// </summary>
    public bool? Dev { get; init; }

    /// <summary><c>api:</c>, the namespaces every chain's endpoint serves; null: the default of the node's mode.</summary>
    public IReadOnlyList<string>? Api { get; init; }

    /// <summary><c>admin:</c>, the JWT-authenticated endpoint of operator methods; null: none.</summary>
    public ClusterConfigAdmin? Admin { get; init; }
    /// <summary>Every chain's RPC call gas cap (geth's <c>--rpc.gascap</c>); 0: each block's gas limit.</summary>
    public ulong RpcGasCap { get; init; } = Chain.ChainProfile.DefaultRpcGasCap;

    /// <summary><c>parent:</c> / <c>settlement:</c>: joint settlement on a parent chain; null: off.</summary>
    public SettlementLaunch? Settlement { get; init; }

    /// <summary><c>rtc:</c> the rtc module's external chains and relayers; null: none.</summary>
    public global::Thalamus.Rtc.RtcOptions? Rtc { get; init; }

    /// <summary><c>ddpn:</c> the DDPN's payment settings; null: the defaults (docs/ddpn.md).</summary>
    public DdpnSettings? Ddpn { get; init; }

    /// <summary><c>governance:</c> the Agora's calendar, its votes and the timelock; null: the defaults (docs/governance.md).</summary>
    public GovernanceSettings? Governance { get; init; }

    /// <summary><c>multicast.feeOwner</c>: who withdraws the publish fees; null: the first dev account.</summary>
    public Address? MulticastFeeOwner { get; init; }

    /// <summary>Empty: the file lists no chains, so the command line's (or the default three) apply.</summary>
    public IReadOnlyList<ClusterConfigChain> Chains { get; init; } = [];

    /// <summary>A chain's port: its own, else <paramref name="basePort"/> + <paramref name="index"/> (0 stays 0: any free port).</summary>
    public static int ResolvePort(int basePort, int? ownPort, int index) =>
        ownPort ?? (basePort == 0 ? 0 : basePort + index);

    /// <summary>Whole wei (to the gwei: the fraction below is dropped) of <paramref name="eth"/> ETH.</summary>
    public static UInt256 EthToWei(decimal eth)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(eth);
        return UInt256.FromBigInteger(new BigInteger(decimal.Truncate(eth * 1_000_000_000m)) * BigInteger.Pow(10, 9));
    }
}

/// <summary>The <c>ddpn:</c> settings of cluster.yaml (docs/cluster-config.md); a null payee means the default of the command.</summary>
public sealed record DdpnSettings
{
    public Address PaymentToken { get; init; } = global::Thalamus.Ddpn.DdpnAddresses.DefaultPaymentToken;
    public uint ChainSharePpm { get; init; } = new global::Thalamus.Ddpn.DdpnOptions().ChainSharePpm;
    public IReadOnlyDictionary<ulong, Address> ChainPayees { get; init; } = new Dictionary<ulong, Address>();
    public Address? DefaultChainPayee { get; init; }
    public ulong VoteTimeoutSlots { get; init; } = new global::Thalamus.Ddpn.DdpnOptions().VoteTimeoutSlots;
}

/// <summary>
/// The <c>governance:</c> settings of cluster.yaml (docs/cluster-config.md), fixed at the home chain's genesis; the
/// defaults are <see cref="global::Thalamus.Governance.GovernanceOptions"/>'s. The reader has checked that a vote fits a session.
/// </summary>
public sealed record GovernanceSettings
{
    /// <summary>Null: governance runs when there are at least 5 dev accounts to seat the Gerousia, fixed rules otherwise.</summary>
    public bool? Enabled { get; init; }
    public uint SessionSeconds { get; init; } = global::Thalamus.Governance.GovernanceOptions.DefaultSessionSeconds;
    public uint SessionProposalSeconds { get; init; } = global::Thalamus.Governance.GovernanceOptions.DefaultSessionProposalSeconds;
    public uint VotingDelaySeconds { get; init; } = global::Thalamus.Governance.GovernanceOptions.DefaultVotingDelaySeconds;
    public uint VotingPeriodSeconds { get; init; } = global::Thalamus.Governance.GovernanceOptions.DefaultVotingPeriodSeconds;
    public uint TimelockDelaySeconds { get; init; } = global::Thalamus.Governance.GovernanceOptions.DefaultTimelockDelaySeconds;

    /// <summary>Where <c>governance.enabled: true</c> is written (<c>file:line:column: </c>), for the account check of the launch settings.</summary>
    public string? EnabledAt { get; init; }
}
