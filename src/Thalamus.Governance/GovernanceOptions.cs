using Thalamus.Core;

namespace Thalamus.Governance;

/// <summary>
/// The governance of a cluster (docs/governance.md): where it lives and the genesis distribution. The
/// rules themselves (10% admission threshold, 20%+20% quorum, 28-day cycle, 75/15/10, 45/15/30/10, 12 h
/// trigger, 3-day elections, 5 Gerousia members for 6 months) are constants of the contracts.
/// </summary>
public sealed class GovernanceOptions
{
    /// <summary>The chain the governance contracts live on (the cluster's first chain by default).</summary>
    public required ulong HomeChainId { get; init; }

    /// <summary>The chains the cluster starts with (ClusterDecisions' initial member set).</summary>
    public required IReadOnlyList<ulong> InitialChains { get; init; }

    /// <summary>Share the 100,000,000 Athena and the 1,000,000,000 initial Hermes equally (the dev accounts on a devnet).</summary>
    public required IReadOnlyList<Address> GenesisHolders { get; init; }

    /// <summary>The 5 first Gerousia members (the first 5 genesis holders when null).</summary>
    public IReadOnlyList<Address>? Gerousia { get; init; }

    /// <summary>Seconds between a proposal and the start of its vote.</summary>
    public uint VotingDelaySeconds { get; init; } = 1;

    /// <summary>Seconds an Agora vote lasts (a session is 28 days; a vote runs within it).</summary>
    public uint VotingPeriodSeconds { get; init; } = 7 * 24 * 3600;

    /// <summary>The timelock's minimum delay between a passed proposal's queueing and its execution.</summary>
    public uint TimelockDelaySeconds { get; init; } = 2 * 24 * 3600;

    /// <summary>False: fixed rules instead of votes (no governance contracts; membership only by configuration, upgrades only with a new genesis).</summary>
    public bool Enabled { get; init; } = true;

    internal IReadOnlyList<Address> GerousiaMembers
    {
        get
        {
            var members = Gerousia ?? GenesisHolders.Take(5).ToArray();
            if (members.Count != 5 || members.Distinct().Count() != 5)
                throw new ArgumentException($"the Gerousia has 5 distinct members; got {members.Count} ({members.Distinct().Count()} distinct)");
            return members;
        }
    }
}
