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

    /// <summary>Seconds an Agora vote lasts (it must end inside the session the proposal was made in).</summary>
    public uint VotingPeriodSeconds { get; init; } = 7 * 24 * 3600;

    /// <summary>
    /// The Agora's session length (seed 001: sessions every 28 days). Session 1 starts at the governance genesis
    /// (the home chain's genesis timestamp), session n at genesis + (n-1) x this.
    /// </summary>
    public uint SessionSeconds { get; init; } = 28 * 24 * 3600;

    /// <summary>
    /// Seconds from a session's start during which proposals are admitted (default the first 14 days); outside,
    /// <c>propose</c> reverts with <c>AgoraOutsideSession(now, nextSessionStart)</c>. With the voting delay and period it
    /// must fit the session, so every vote ends inside its session.
    /// </summary>
    public uint SessionProposalSeconds { get; init; } = 14 * 24 * 3600;

    /// <summary>The timelock's minimum delay between a passed proposal's queueing and its execution.</summary>
    public uint TimelockDelaySeconds { get; init; } = 2 * 24 * 3600;

    /// <summary>False: fixed rules instead of votes (no governance contracts; membership only by configuration, upgrades only with a new genesis).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Refuses session settings in which a proposal's vote cannot end inside its session.</summary>
    internal void CheckSessions()
    {
        if (SessionProposalSeconds == 0 || (ulong)SessionProposalSeconds + VotingDelaySeconds + VotingPeriodSeconds > SessionSeconds)
            throw new ArgumentException($"the Agora's proposal window ({SessionProposalSeconds} s) + voting delay ({VotingDelaySeconds} s) + voting period " +
                $"({VotingPeriodSeconds} s) must be positive and fit a session ({SessionSeconds} s), so that every vote ends inside its session");
    }

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
