using Thalamus.Core;
using Thalamus.Crypto;
using G = Thalamus.Governance.GovernanceContracts;

namespace Thalamus.Governance.Tests;

/// <summary>Code changes need an Agora vote, the Gerousia's approval (3 of 5) and the timelock.</summary>
public sealed class UpgradeTests
{
    private static readonly Hash256 CodeHash = Keccak256.Compute("new messenger code"u8);

    private static Proposal Upgrade(ulong salt) =>
        Proposal.Single(G.Decisions, Abi.Call("approveUpgrade(address,bytes32,uint256)", G.Hermes, CodeHash, salt), $"upgrade Hermes {salt}");

    private static Hash256 ChangeId(GovernanceTestKit kit, ulong salt) =>
        new(kit.View(G.Decisions, Abi.Call("upgradeChangeId(address,bytes32,uint256)", G.Hermes, CodeHash, salt)));

    [Fact]
    public async Task An_upgrade_the_agora_passed_cannot_execute_without_the_gerousia_and_executes_once_three_members_approve()
    {
        await using var kit = new GovernanceTestKit();
        kit.StakeEveryone();
        var proposal = Upgrade(1);
        var id = kit.PassAndQueue(proposal, 0, 0, 1);
        var change = ChangeId(kit, 1);

        var refusal = kit.AssertRefused("DecisionsNeedsGerousia(bytes32)", 0, G.Governor, proposal.Execute());
        Assert.Equal(change, new Hash256(refusal.AsSpan(4, 32)));
        Assert.Equal(ProposalStates.Queued, kit.State(id));
        Assert.Empty(kit.Module.Decisions);

        // Two approvals are not enough; the third is.
        kit.Send(0, G.Gerousia, Abi.Call("approve(bytes32)", change));
        kit.Send(1, G.Gerousia, Abi.Call("approve(bytes32)", change));
        kit.AssertRefused("DecisionsNeedsGerousia(bytes32)", 0, G.Governor, proposal.Execute());
        kit.AssertRefused("GerousiaAlreadyApproved(address,bytes32)", 1, G.Gerousia, Abi.Call("approve(bytes32)", change));
        kit.AssertRefused("GerousiaNotMember(address)", 7, G.Gerousia, Abi.Call("approve(bytes32)", change));
        kit.Send(2, G.Gerousia, Abi.Call("approve(bytes32)", change));

        kit.Execute(proposal);

        Assert.Equal(ProposalStates.Executed, kit.State(id));
        var decision = Assert.Single(kit.Module.Decisions);
        Assert.Equal(DecisionKind.Upgrade, decision.Kind);
        Assert.Equal(DecisionStatus.Carried, decision.Status);
        Assert.Equal(G.Hermes, decision.Target);
        Assert.Equal(CodeHash, decision.Key);
        Assert.Equal(change, decision.Change);
    }

    [Fact]
    public async Task A_security_parameter_approved_by_the_gerousia_is_in_force_from_the_next_slot_and_cannot_be_replayed()
    {
        await using var kit = new GovernanceTestKit();
        kit.StakeEveryone();
        var key = Keccak256.Compute("delta"u8);
        var call = Abi.Call("setParameter(bytes32,uint256,uint256)", key, 1500UL, 7UL);
        var proposal = Proposal.Single(G.Decisions, call, "delta 1.5 s");
        var change = new Hash256(kit.View(G.Decisions, Abi.Call("parameterChangeId(bytes32,uint256,uint256)", key, 1500UL, 7UL)));
        for (var member = 0; member < 3; member++) kit.Send(member, G.Gerousia, Abi.Call("approve(bytes32)", change));
        kit.PassAndQueue(proposal, 0, 0, 1);

        kit.Execute(proposal);

        Assert.Equal(new UInt256(1500), kit.Module.Parameter(key));
        Assert.Equal(new UInt256(1500), kit.Word(G.Decisions, Abi.Call("parameter(bytes32)", key)));
        // The same approved change a second time (another proposal) is refused.
        var again = Proposal.Single(G.Decisions, call, "delta 1.5 s again");
        kit.PassAndQueue(again, 0, 0, 1);
        kit.AssertRefused("DecisionsAlreadyCarried(bytes32)", 0, G.Governor, again.Execute());
    }

    [Fact]
    public async Task The_agora_elects_the_next_gerousia_only_after_the_six_month_term()
    {
        await using var kit = new GovernanceTestKit();
        kit.StakeEveryone();
        var next = AbiValue.Tuple([.. Enumerable.Range(5, 5).Select(i => (AbiValue)GovernanceTestKit.Accounts[i].Address)]);
        var early = Proposal.Single(G.Gerousia, Abi.Call("elect(address[5])", next), "early council");
        kit.PassAndQueue(early, 0, 0, 1);
        kit.AssertRefused("GerousiaTermRunning(uint256)", 0, G.Governor, early.Execute());
        kit.AssertRefused("GerousiaNotAgora(address)", 0, G.Gerousia, Abi.Call("elect(address[5])", next));

        var termEnd = (ulong)kit.Word(G.Gerousia, Abi.Call("termEnd()"));
        Assert.Equal(1_700_000_000UL + 182 * 24 * 3600, termEnd);
        var onTime = Proposal.Single(G.Gerousia, Abi.Call("elect(address[5])", next), "council after six months");
        kit.Home.SetNextBlockTimestamp(termEnd);
        kit.PassAndQueue(onTime, 0, 0, 1);
        kit.Execute(onTime);

        Assert.Equal(new UInt256(2), kit.Word(G.Gerousia, Abi.Call("council()")));
        Assert.Equal(UInt256.One, kit.Word(G.Gerousia, Abi.Call("isMember(address)", GovernanceTestKit.Accounts[7].Address)));
        Assert.Equal(UInt256.Zero, kit.Word(G.Gerousia, Abi.Call("isMember(address)", GovernanceTestKit.Accounts[0].Address)));
    }
}
