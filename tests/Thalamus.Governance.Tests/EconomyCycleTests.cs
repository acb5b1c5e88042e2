using System.Numerics;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Crypto;
using static Thalamus.Governance.Tests.GovernanceTestKit;
using G = Thalamus.Governance.GovernanceContracts;

namespace Thalamus.Governance.Tests;

/// <summary>
/// The must-show cycle: staking and the Pythia registry, an election that changes a chain's profile, the
/// OLYMPUS payout after 28 days exact to the wei, and Agora grant votes (one failing quorum, one passing),
/// with the refusals on the way.
/// </summary>
public sealed class EconomyCycleTests
{
    private const ulong Day = 24 * 3600;

    private static readonly Hash256 Decentralisation = Keccak256.Compute("decentralisation"u8);
    private static readonly Hash256 ElectionOpened = Abi.EventTopic("ElectionOpened(uint256,uint64,bytes32,uint64)");
    private static readonly Hash256 ElectionVote = Abi.EventTopic("ElectionVote(uint256,address,uint256,uint256)");

    private static BigInteger Big(UInt256 value) => value.ToBigInteger();

    private static BigInteger Balance(GovernanceTestKit kit, Address account) => Big(kit.HermesOf(account));

    private static BigInteger Balance(GovernanceTestKit kit, int account) => Balance(kit, Accounts[account].Address);

    private static Proposal Grant(int recipient, UInt256 amount, string description) =>
        Proposal.Single(G.GrantFund, Abi.Call("grant(address,uint256,string)", Accounts[recipient].Address, amount, AbiValue.String(description)), description);

    [Fact]
    public async Task A_full_28_day_cycle_stakes_elects_a_profile_score_pays_olympus_exactly_and_spends_grants_only_by_a_quorate_vote()
    {
        await using var kit = new GovernanceTestKit();

        // Staking: 9 strategists, 9,500,000 Athena staked; each Athena staked mints 10 Hermes.
        var hermesBefore = Balance(kit, 1);
        kit.StakeEveryone();
        Assert.Equal(Tokens(9_500_000), kit.Word(G.Staking, Abi.Call("totalSupply()")));
        Assert.Equal(new UInt256(9), kit.Word(G.Staking, Abi.Call("strategists()")));
        Assert.Equal(hermesBefore + Big(Tokens(20_000_000)), Balance(kit, 1));
        kit.AssertRefused("StakeNotTransferable()", 1, G.Staking, Abi.Call("transfer(address,uint256)", Accounts[2].Address, Token));

        // The Pythia registry: three Pythians; the governance account reports their 7-day uptime and reliability.
        foreach (var pythia in new[] { 1, 2, 3 }) kit.Send(pythia, G.Staking, Abi.Call("registerPythia()"));
        kit.AssertRefused("PythiaNeedsStake(address)", 9, G.Staking, Abi.Call("registerPythia()"));
        kit.AssertRefused("StakeNotRegistrar(address)", 1, G.Staking, Abi.Call("report(address,uint32,uint16)", Accounts[1].Address, 1UL, 1UL));
        kit.Module.ReportPythia(Accounts[1].Address, 7 * (uint)Day, 9_000);
        kit.Module.ReportPythia(Accounts[2].Address, 6 * (uint)Day, 7_000);
        kit.Module.ReportPythia(Accounts[3].Address, 7 * (uint)Day, 10_000);
        kit.Send(9, Accounts[8].Address, [], gas: 21_000); // the home chain's next block starts with the reports
        var reported = kit.View(G.Staking, Abi.Call("pythia(address)", Accounts[2].Address));
        Assert.Equal(new UInt256(6 * Day), UInt256.FromBigEndian(reported.AsSpan(32, 32)));
        Assert.Equal(new UInt256(7_000), UInt256.FromBigEndian(reported.AsSpan(64, 32)));

        // Day 0: the OLYMPUS cycle starts; clients' Hermes flows in (odd amounts, to the wei).
        kit.Send(9, G.Olympus, Abi.Call("distribute()"));
        var due = kit.Word(G.Olympus, Abi.Call("nextPayout()"));
        Assert.Equal(new UInt256(kit.Home.Head.Timestamp + 28 * Day), due);
        foreach (var (client, fee) in new[] { (5, Tokens(1_000_003) + new UInt256(7)), (6, Tokens(12_345) + UInt256.One), (9, new UInt256(99)) })
            kit.Send(client, G.Hermes, Abi.Call("transfer(address,uint256)", G.Olympus, fee));
        kit.AssertRefused("OlympusNotDue(uint256)", 9, G.Olympus, Abi.Call("distribute()"));

        // Days 1-4: an election on chain 902's decentralisation: 5% of the stake does not open it, 10% within 12 h does.
        kit.Travel(Day);
        var first = kit.Send(2, G.Elections, Abi.Call("trigger(uint64,bytes32)", 902UL, Decentralisation));
        Assert.DoesNotContain(first.Logs, l => l.Topics[0] == ElectionOpened);
        kit.Travel(6 * 3600);
        var second = kit.Send(3, G.Elections, Abi.Call("trigger(uint64,bytes32)", 902UL, Decentralisation));
        Assert.Contains(second.Logs, l => l.Topics[0] == ElectionOpened);
        kit.AssertRefused("ElectionNotStrategist(address)", 9, G.Elections, Abi.Call("vote(uint256,uint256)", 1UL, 50UL));
        var votes = new List<TransactionReceipt>();
        foreach (var (voter, value) in new[] { (1, 80UL), (2, 60UL), (4, 20UL) })
            votes.Add(kit.Send(voter, G.Elections, Abi.Call("vote(uint256,uint256)", 1UL, value)));
        kit.AssertRefused("ElectionAlreadyVoted(uint256,address)", 1, G.Elections, Abi.Call("vote(uint256,uint256)", 1UL, 99UL));
        kit.AssertRefused("ElectionStillOpen(uint256,uint64)", 1, G.Elections, Abi.Call("finalize(uint256)", 1UL));
        kit.Travel(3 * Day + 1);
        kit.AssertRefused("ElectionNotOpen(uint256)", 5, G.Elections, Abi.Call("vote(uint256,uint256)", 1UL, 99UL));
        kit.Send(9, G.Elections, Abi.Call("finalize(uint256)", 1UL));
        // The outcome: the mean of the values weighted 45% stake, 15% uptime, 30% reliability, 10% randomness (as each vote logged its weight).
        BigInteger weighted = 0, weights = 0;
        foreach (var vote in votes)
        {
            var log = Assert.Single(vote.Logs, l => l.Topics[0] == ElectionVote);
            var (value, weight) = (Big(UInt256.FromBigEndian(log.Data.AsSpan(0, 32))), Big(UInt256.FromBigEndian(log.Data.AsSpan(32, 32))));
            weighted += value * weight;
            weights += weight;
        }
        var score = UInt256.FromBigInteger(weighted / weights);
        Assert.Equal(score, kit.Word(G.Decisions, Abi.Call("profileScore(uint64,bytes32)", 902UL, Decentralisation)));
        Assert.Equal(score, kit.Module.ProfileScore(902, Decentralisation));
        var decision = Assert.Single(kit.Module.Decisions);
        Assert.Equal((DecisionKind.ProfileScore, DecisionStatus.Carried, 902UL), (decision.Kind, decision.Status, decision.ChainId));
        // The stake-weighted votes (1 holds 4x the stake of 2 and 4) pull the score above the plain mean of 53.
        Assert.InRange((ulong)score, 54UL, 80UL);

        // Day 28: the OLYMPUS payout, exact to the wei.
        kit.Home.SetNextBlockTimestamp((ulong)due);
        var total = Balance(kit, G.Olympus);
        (int Account, int Stake, int Reliability)[] pythians = [(1, 2_000_000, 9_000), (2, 500_000, 7_000), (3, 500_000, 10_000)];
        var before = pythians.Select(p => Balance(kit, p.Account)).ToArray();
        var (grantsBefore, agoraBefore) = (Balance(kit, G.GrantFund), Balance(kit, G.Timelock));
        kit.Send(9, G.Olympus, Abi.Call("distribute()"));
        var pythianShare = total * 75 / 100;
        var grantShare = total * 15 / 100;
        var weightSum = pythians.Aggregate(BigInteger.Zero, (sum, p) => sum + (BigInteger)p.Stake * p.Reliability);
        BigInteger paid = 0;
        for (var i = 0; i < pythians.Length; i++)
        {
            var expected = i == pythians.Length - 1 ? pythianShare - paid : pythianShare * pythians[i].Stake * pythians[i].Reliability / weightSum;
            paid += expected;
            Assert.Equal(before[i] + expected, Balance(kit, pythians[i].Account));
        }
        Assert.Equal(grantsBefore + grantShare, Balance(kit, G.GrantFund));
        Assert.Equal(agoraBefore + (total - pythianShare - grantShare), Balance(kit, G.Timelock));
        Assert.Equal(BigInteger.Zero, Balance(kit, G.Olympus));
        Assert.Equal(total, paid + grantShare + (total - pythianShare - grantShare));
        Assert.Equal(due + new UInt256(28 * Day), kit.Word(G.Olympus, Abi.Call("nextPayout()")));

        // Days 28-32: Agora grant votes. Below 10% of the stake one cannot propose.
        var amount = Tokens(1_000);
        var refused = kit.AssertRefused("GovernorInsufficientProposerVotes(address,uint256,uint256)", 2, G.Governor, Grant(9, amount, "too small").Propose());
        Assert.Equal(Tokens(950_000), UInt256.FromBigEndian(refused.AsSpan(68, 32)));
        kit.AssertRefused("GrantNotAgora(address)", 0, G.GrantFund, Abi.Call("grant(address,uint256,string)", Accounts[0].Address, amount, AbiValue.String("self")));
        var lonely = Grant(9, amount, "grant A: one strategist");
        var quorate = Grant(9, amount, "grant B: two strategists");
        var lonelyId = kit.Propose(0, lonely);
        var quorateId = kit.Propose(0, quorate);
        kit.Travel(2);
        kit.Vote(0, lonelyId);
        kit.AssertRefused("GovernorAlreadyCastVote(address)", 0, G.Governor, Abi.Call("castVote(uint256,uint8)", lonelyId, 1UL));
        kit.Vote(0, quorateId);
        kit.Vote(2, quorateId);
        kit.Travel(VotingPeriod + 1);
        kit.AssertRefused("GovernorUnexpectedProposalState(uint256,uint8,bytes32)", 3, G.Governor, Abi.Call("castVote(uint256,uint8)", quorateId, 1UL));
        // 4,000,000 of 9,500,000 staked is over 20%, but 1 strategist of 9 is under 20%: defeated.
        Assert.Equal(ProposalStates.Defeated, kit.State(lonelyId));
        Assert.Equal(ProposalStates.Succeeded, kit.State(quorateId));
        kit.AssertRefused("GovernorUnexpectedProposalState(uint256,uint8,bytes32)", 0, G.Governor, lonely.Queue());
        kit.Send(0, G.Governor, quorate.Queue());
        kit.Travel(TimelockDelay + 1);
        var (fund, recipient) = (Balance(kit, G.GrantFund), Balance(kit, 9));
        kit.Execute(quorate);
        Assert.Equal(fund - Big(amount), Balance(kit, G.GrantFund));
        Assert.Equal(recipient + Big(amount), Balance(kit, 9));
    }
}
