using Thalamus.Core;
using static Thalamus.Governance.Tests.GovernanceTestKit;
using G = Thalamus.Governance.GovernanceContracts;

namespace Thalamus.Governance.Tests;

/// <summary>The Agora sits in sessions (seed 001: every 28 days): proposals only in a session's proposal window, votes inside the session.</summary>
public sealed class SessionTests
{
    private const ulong Day = 24 * 3600;

    private static Proposal Admit(ulong chainId) =>
        Proposal.Single(G.Decisions, Abi.Call("admitChain(uint64,uint64,uint64,string)", chainId, 0UL, 30_000_000UL, AbiValue.String("gamma")),
            $"admit chain {chainId}");

    [Fact]
    public async Task A_proposal_outside_the_session_window_is_refused_with_the_next_session_and_the_same_proposal_passes_in_the_next_session()
    {
        await using var kit = new GovernanceTestKit();
        kit.StakeEveryone();
        var first = kit.Module.Session()!;
        Assert.Equal((1UL, Genesis, Genesis + 14 * Day, Genesis + 28 * Day, true), (first.Number, first.Start, first.ProposalsUntil, first.End, first.Open));

        // Day 20 of session 1: its proposal window (the first 14 days) is closed.
        kit.Travel(20 * Day);
        var proposal = Admit(903);
        var refusal = kit.AssertRefused("AgoraOutsideSession(uint256,uint256)", 0, G.Governor, proposal.Propose());
        var reader = new AbiReader(refusal.AsSpan(4));
        Assert.InRange(reader.UInt64(0), Genesis + 14 * Day, Genesis + 28 * Day - 1);
        Assert.Equal(Genesis + 28 * Day, reader.UInt64(1));
        Assert.Equal(Genesis + 28 * Day, (ulong)kit.Word(G.Governor, Abi.Call("nextSessionStart()")));
        var closed = kit.Module.Session()!;
        Assert.Equal((1UL, false), (closed.Number, closed.Open));
        Assert.Equal(UInt256.Zero, kit.Word(G.Governor, Abi.Call("proposalSnapshot(uint256)", kit.Word(G.Governor, proposal.Hash()))));

        // Session 2 opens at day 28: the same proposal is admitted, its vote ends inside the session, and it passes.
        Assert.Equal(Genesis + 28 * Day, kit.ToNextSession());
        var id = kit.Propose(0, proposal);
        var second = kit.Module.Session()!;
        Assert.Equal((2UL, Genesis + 28 * Day, true), (second.Number, second.Start, second.Open));
        Assert.True((ulong)kit.Word(G.Governor, Abi.Call("proposalDeadline(uint256)", id)) <= second.End);
        kit.Travel(2);
        kit.Vote(0, id);
        kit.Vote(1, id);
        kit.Travel(VotingPeriod + 1);
        kit.Send(9, Accounts[8].Address, [], gas: 21_000); // a block at the travelled time, where the vote is over
        Assert.Equal(ProposalStates.Succeeded, kit.State(id));
        kit.Send(0, G.Governor, proposal.Queue());
        kit.Travel(TimelockDelay + 1);
        kit.Execute(proposal);
        Assert.Equal(ProposalStates.Executed, kit.State(id));
        Assert.Equal([901UL, 902UL, 903UL], kit.Cluster.Chains.Select(c => c.ChainId));
    }

    [Fact]
    public void Session_settings_in_which_a_vote_cannot_end_inside_its_session_are_refused_with_the_figures()
    {
        var options = new GovernanceOptions
        {
            HomeChainId = HomeId, InitialChains = [HomeId], GenesisHolders = [.. Accounts.Select(a => a.Address)],
            VotingPeriodSeconds = 15 * 24 * 3600, SessionProposalSeconds = 14 * 24 * 3600,
        };
        var module = new GovernanceModule(options);
        var refusal = Assert.Throws<ArgumentException>(() => module.GenesisAllocations(HomeId, Genesis).ToList());
        Assert.Contains("proposal window (1209600 s) + voting delay (1 s) + voting period (1296000 s)", refusal.Message);
        Assert.Contains("fit a session (2419200 s)", refusal.Message);
    }

    [Fact]
    public void A_voting_period_of_zero_is_refused_at_genesis_with_the_reason()
    {
        // OpenZeppelin's GovernorSettings would revert GovernorInvalidVotingPeriod(0) in the AgoraGovernor's constructor.
        var options = new GovernanceOptions
        {
            HomeChainId = HomeId, InitialChains = [HomeId], GenesisHolders = [.. Accounts.Select(a => a.Address)],
            VotingPeriodSeconds = 0,
        };
        var refusal = Assert.Throws<ArgumentException>(() => new GovernanceModule(options).GenesisAllocations(HomeId, Genesis).ToList());
        Assert.Equal("the Agora's voting period must be positive (a vote of 0 s could never pass)", refusal.Message);
        Assert.Null(GovernanceOptions.SessionProblem(GovernanceOptions.DefaultSessionSeconds, GovernanceOptions.DefaultSessionProposalSeconds,
            GovernanceOptions.DefaultVotingDelaySeconds, GovernanceOptions.DefaultVotingPeriodSeconds));
    }

    [Fact]
    public async Task A_proposal_whose_vote_the_agora_lengthened_past_the_session_end_is_refused_with_both_times()
    {
        await using var kit = new GovernanceTestKit();
        kit.StakeEveryone();
        // The Agora lengthens its votes to 20 days (GovernorSettings, only through a passed proposal).
        var longer = Proposal.Single(G.Governor, Abi.Call("setVotingPeriod(uint32)", 20 * Day), "votes of 20 days");
        kit.PassAndQueue(longer, 0, 0, 1);
        kit.Execute(longer);
        Assert.Equal(new UInt256(20 * Day), kit.Word(G.Governor, Abi.Call("votingPeriod()")));

        // Day 10 of session 1, inside its proposal window: a vote would end on day 30, after the session (day 28).
        kit.Home.SetNextBlockTimestamp(Genesis + 10 * Day);
        var late = Admit(903);
        var refusal = kit.AssertRefused("AgoraVoteBeyondSession(uint256,uint256)", 0, G.Governor, late.Propose());
        var reader = new AbiReader(refusal.AsSpan(4));
        Assert.True(reader.UInt64(0) > Genesis + 28 * Day, $"{reader.UInt64(0)}");
        Assert.Equal(Genesis + 28 * Day, reader.UInt64(1));
        Assert.True(kit.Module.Session()!.Open);
        // At the start of session 2 the same proposal fits: admitted.
        kit.ToNextSession();
        var id = kit.Propose(0, late);
        Assert.Equal(ProposalStates.Pending, kit.State(id));
    }
}
