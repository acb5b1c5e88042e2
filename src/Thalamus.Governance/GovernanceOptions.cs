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

    /// <summary>The default of <see cref="VotingDelaySeconds"/>: 1 s.</summary>
    public const uint DefaultVotingDelaySeconds = 1;

    /// <summary>The default of <see cref="VotingPeriodSeconds"/>: 7 days.</summary>
    public const uint DefaultVotingPeriodSeconds = 7 * 24 * 3600;

    /// <summary>The default of <see cref="SessionSeconds"/>: 28 days (seed 001).</summary>
    public const uint DefaultSessionSeconds = 28 * 24 * 3600;

    /// <summary>The default of <see cref="SessionProposalSeconds"/>: the first 14 days of a session.</summary>
    public const uint DefaultSessionProposalSeconds = 14 * 24 * 3600;

    /// <summary>The default of <see cref="TimelockDelaySeconds"/>: 2 days.</summary>
    public const uint DefaultTimelockDelaySeconds = 2 * 24 * 3600;

    /// <summary>The Gerousia's size: governance needs this many genesis holders when <see cref="Gerousia"/> is not given.</summary>
    public const int GerousiaSize = 5;

    /// <summary>Seconds between a proposal and the start of its vote.</summary>
    public uint VotingDelaySeconds { get; init; } = DefaultVotingDelaySeconds;

    /// <summary>Seconds an Agora vote lasts (it must end inside the session the proposal was made in).</summary>
    public uint VotingPeriodSeconds { get; init; } = DefaultVotingPeriodSeconds;

    /// <summary>
    /// The Agora's session length (seed 001: sessions every 28 days). Session 1 starts at the governance genesis
    /// (the home chain's genesis timestamp), session n at genesis + (n-1) x this.
    /// </summary>
    public uint SessionSeconds { get; init; } = DefaultSessionSeconds;

    /// <summary>
    /// Seconds from a session's start during which proposals are admitted (default the first 14 days); outside,
    /// <c>propose</c> reverts with <c>AgoraOutsideSession(now, nextSessionStart)</c>. With the voting delay and period it
    /// must fit the session, so every vote ends inside its session.
    /// </summary>
    public uint SessionProposalSeconds { get; init; } = DefaultSessionProposalSeconds;

    /// <summary>The timelock's minimum delay between a passed proposal's queueing and its execution.</summary>
    public uint TimelockDelaySeconds { get; init; } = DefaultTimelockDelaySeconds;

    /// <summary>False: fixed rules instead of votes (no governance contracts; membership only by configuration, upgrades only with a new genesis).</summary>
    public bool Enabled { get; init; } = true;

    /// <summary>Refuses session settings in which a proposal's vote cannot end inside its session (<see cref="SessionProblem"/>).</summary>
    internal void CheckSessions()
    {
        if (SessionProblem(SessionSeconds, SessionProposalSeconds, VotingDelaySeconds, VotingPeriodSeconds) is { } problem)
            throw new ArgumentException(problem);
    }

    /// <summary>
    /// Why the genesis refuses these session settings (the AgoraGovernor's constructor would revert: <c>AgoraBadSessions</c>,
    /// or OpenZeppelin's <c>GovernorInvalidVotingPeriod(0)</c>), or null when a proposal's vote always ends inside its session.
    /// The one check of the calendar before genesis: cluster.yaml's <c>governance:</c> section is read against it too.
    /// </summary>
    public static string? SessionProblem(uint sessionSeconds, uint sessionProposalSeconds, uint votingDelaySeconds, uint votingPeriodSeconds)
    {
        if (votingPeriodSeconds == 0) return "the Agora's voting period must be positive (a vote of 0 s could never pass)";
        if (sessionProposalSeconds == 0 || (ulong)sessionProposalSeconds + votingDelaySeconds + votingPeriodSeconds > sessionSeconds)
            return $"the Agora's proposal window ({sessionProposalSeconds} s) + voting delay ({votingDelaySeconds} s) + voting period " +
                $"({votingPeriodSeconds} s) must be positive and fit a session ({sessionSeconds} s), so that every vote ends inside its session";
        return null;
    }

    internal IReadOnlyList<Address> GerousiaMembers
    {
        get
        {
            var members = Gerousia ?? GenesisHolders.Take(GerousiaSize).ToArray();
            if (members.Count != GerousiaSize || members.Distinct().Count() != GerousiaSize)
                throw new ArgumentException($"the Gerousia has {GerousiaSize} distinct members; got {members.Count} ({members.Distinct().Count()} distinct)");
            return members;
        }
    }
}
