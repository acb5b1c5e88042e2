using Thalamus.Cli.Configuration;
using Thalamus.Modules;
using Thalamus.Settlement;

namespace Thalamus.Cli.Hosting;

/// <summary>
/// The protocol modules a cluster started from the command line runs, after the built-in ones
/// (messenger, synchronous calls, cluster RPC), in this order. Each protocol is a project beside
/// Thalamus.Cluster that depends only on the seam (<see cref="IClusterModule"/>); adding one is a row here.
/// </summary>
public static class ProtocolModules
{
    /// <param name="parent">The parent chain when settlement is on (<see cref="ClusterLaunchSettings.Settlement"/>).</param>
    public static IReadOnlyList<IClusterModule> Create(ClusterLaunchSettings settings, ParentHost? parent = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        return
        [
            new Ddpn.DdpnModule(settings.Ddpn),
            .. settings.Settlement is { } settlement && parent is not null
                ? [new SettlementModule(new SettlementOptions
                {
                    Parent = parent.Parent,
                    Contract = settlement.Contract,
                    SlotsPerBatch = settlement.SlotsPerBatch,
                    FaultSlot = settlement.FaultSlot,
                    Terms = new SettlementTerms
                    {
                        ChallengeWindowSeconds = (ulong)settlement.ChallengeWindow.TotalSeconds,
                        ArbitrationTimeoutSeconds = (ulong)settlement.ArbitrationTimeout.TotalSeconds,
                    },
                })]
                : Array.Empty<IClusterModule>(),
            new Thalamus.Rtc.RtcModule(settings.Rtc),
            // multicast.feeOwner, by default the first dev account, withdraws collected publish fees (as anvil's first account deploys).
            new Thalamus.Multicast.MulticastModule(feeOwner: settings.MulticastFeeOwner),
            Governance(settings),
        ];
    }

    /// <summary>
    /// Governance on the cluster's first chain, Athena and Hermes shared by the configured accounts, with the
    /// calendar, votes and timelock of cluster.yaml's <c>governance:</c>; with fewer than 5 accounts (no Gerousia to
    /// seat) or <c>governance.enabled: false</c> fixed rules instead: Hermes only, membership by configuration.
    /// </summary>
    private static Governance.GovernanceModule Governance(ClusterLaunchSettings settings)
    {
        var options = settings.Options;
        var governance = settings.Governance;
        return new(new Governance.GovernanceOptions
        {
            HomeChainId = options.Chains[0].ChainId,
            InitialChains = [.. options.Chains.Select(c => c.ChainId)],
            GenesisHolders = [.. options.Accounts.Select(a => a.Address)],
            Enabled = governance.Enabled ?? options.Accounts.Count >= Thalamus.Governance.GovernanceOptions.GerousiaSize,
            SessionSeconds = governance.SessionSeconds,
            SessionProposalSeconds = governance.SessionProposalSeconds,
            VotingDelaySeconds = governance.VotingDelaySeconds,
            VotingPeriodSeconds = governance.VotingPeriodSeconds,
            TimelockDelaySeconds = governance.TimelockDelaySeconds,
        });
    }
}
