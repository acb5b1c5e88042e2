using Thalamus.Chain;
using Thalamus.Cluster.Replay;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Tests;
using static Thalamus.Governance.Tests.GovernanceTestKit;
using G = Thalamus.Governance.GovernanceContracts;

namespace Thalamus.Governance.Tests;

/// <summary>Code changes need an Agora vote, the Gerousia's approval (3 of 5) and the timelock.</summary>
public sealed class UpgradeTests
{
    /// <summary>Runtime code that answers every call with the word 42 (PUSH1 42 PUSH1 0 MSTORE PUSH1 32 PUSH1 0 RETURN).</summary>
    private static readonly byte[] NewCode = Hex.Decode("0x602a60005260206000f3");

    private static readonly Hash256 CodeHash = Keccak256.Compute(NewCode);

    private static Proposal Upgrade(ulong salt) =>
        Proposal.Single(G.Decisions, Abi.Call("approveUpgrade(address,bytes,uint256)", G.Hermes, AbiValue.Bytes(NewCode), salt), $"upgrade Hermes {salt}");

    private static Hash256 ChangeId(GovernanceTestKit kit, ulong salt) =>
        new(kit.View(G.Decisions, Abi.Call("upgradeChangeId(address,bytes32,uint256)", G.Hermes, CodeHash, salt)));

    private static void Transfer(GovernanceTestKit kit, MemberChain chain) =>
        kit.Send(chain, 9, GovernanceTestKit.Accounts[8].Address, [], gas: 21_000);

    private static Hash256 Approve(GovernanceTestKit kit, ulong salt)
    {
        var change = ChangeId(kit, salt);
        for (var member = 0; member < 3; member++) kit.Send(member, G.Gerousia, Abi.Call("approve(bytes32)", change));
        return change;
    }

    /// <summary>The block of <paramref name="chain"/> whose first transaction is the governance account's upgrade (and its receipt).</summary>
    private static (ulong Number, TransactionReceipt Receipt) UpgradeBlock(MemberChain chain)
    {
        for (var number = chain.Head.Number; number > 0; number--)
        {
            var receipts = chain.GetBlockReceipts(BlockSelector.FromNumber(number))!;
            foreach (var receipt in receipts)
                if (receipt.Logs.Any(l => l.Address == G.Upgrader && l.Topics[0] == GovernanceUpgrader.CodeUpgraded)) return (number, receipt);
        }
        throw new InvalidOperationException($"chain {chain.ChainId} has no upgrade");
    }

    [Fact]
    public async Task An_approved_upgrade_takes_effect_on_every_chain_at_the_next_slot_and_a_replay_of_the_chains_agrees()
    {
        await using var kit = new GovernanceTestKit();
        var other = kit.Cluster.GetChain(902);
        var oldCode = kit.Home.GetCode(G.Hermes, BlockSelector.Latest);
        Assert.Equal(oldCode, other.GetCode(G.Hermes, BlockSelector.Latest));
        kit.StakeEveryone();
        var proposal = Upgrade(3);
        var change = Approve(kit, 3);
        kit.PassAndQueue(proposal, 0, 0, 1);
        var heads = kit.Cluster.Chains.ToDictionary(c => c.ChainId, c => c.Head.Number);

        var executed = kit.Execute(proposal);

        // Executed in this slot: recorded as pending, nothing changed yet (the executing block still has the old code).
        Assert.Equal(oldCode, kit.Home.GetCode(G.Hermes, BlockSelector.FromNumber(executed.BlockNumber)));
        // The next slot's blocks start with the upgrade, on every chain.
        foreach (var chain in kit.Cluster.Chains) Transfer(kit, chain);
        foreach (var chain in kit.Cluster.Chains)
        {
            var (number, receipt) = UpgradeBlock(chain);
            var first = chain.GetBlock(BlockSelector.FromNumber(number))!.Transactions[0];
            Assert.Equal(first.Hash, receipt.TransactionHash);
            Assert.Equal(G.Account.Address, receipt.From);
            Assert.Equal(chain.ChainId == HomeId ? executed.BlockNumber + 1 : heads[chain.ChainId] + 1, number);
            Assert.Equal(oldCode, chain.GetCode(G.Hermes, BlockSelector.FromNumber(number - 1)));
            Assert.Equal(NewCode, chain.GetCode(G.Hermes, BlockSelector.FromNumber(number)));
            Assert.Equal(NewCode, chain.GetCode(G.Hermes, BlockSelector.Latest));
            var log = Assert.Single(receipt.Logs);
            Assert.Equal(CodeHash, log.Topics[2]);
            Assert.Equal(change, new Hash256(log.Data));
            // The new code runs: every call answers 42.
            var answer = chain.Call(new CallRequest { To = G.Hermes, Data = Abi.Call("totalSupply()") }, BlockSelector.Latest);
            Assert.Equal(new UInt256(42), UInt256.FromBigEndian(answer.ReturnData));
        }
        var decision = Assert.Single(kit.Module.Decisions);
        Assert.Equal(DecisionStatus.Carried, decision.Status);
        Assert.Equal(NewCode, decision.Code);

        // Replaying every chain from genesis with its native contracts reproduces every block; without the upgrader it cannot.
        foreach (var report in ClusterReplayer.VerifyCluster(kit.Cluster)) Assert.True(report.IsClean, report.ToString());
        var (homeUpgrade, _) = UpgradeBlock(kit.Home);
        var without = ClusterReplayer.Verify(kit.Home.Store, kit.Home.Profile, kit.Cluster.GenesisOf(HomeId), ClusterReplayer.DefaultNativeContracts);
        Assert.False(without.IsClean);
        Assert.Equal(homeUpgrade, without.Mismatches[0].BlockNumber);
    }

    [Fact]
    public async Task A_chain_admitted_after_an_upgrade_gets_the_upgraded_predeploy_in_its_first_block()
    {
        await using var kit = new GovernanceTestKit();
        kit.StakeEveryone();
        var upgrade = Upgrade(6);
        Approve(kit, 6);
        kit.PassAndQueue(upgrade, 0, 0, 1);
        kit.Execute(upgrade);
        foreach (var chain in kit.Cluster.Chains) Transfer(kit, chain);
        var admit = Proposal.Single(G.Decisions, Abi.Call("admitChain(uint64,uint64,uint64,string)", 903UL, 0UL, 30_000_000UL, AbiValue.String("gamma")), "admit 903");
        kit.PassAndQueue(admit, 0, 0, 1);

        kit.Execute(admit);

        var gamma = kit.Cluster.GetChain(903);
        var genesisCode = gamma.GetCode(G.Hermes, BlockSelector.FromNumber(0));
        Assert.NotEmpty(genesisCode);
        Assert.NotEqual(NewCode, genesisCode);
        Transfer(kit, gamma);
        var (number, receipt) = UpgradeBlock(gamma);
        Assert.Equal(1UL, number);
        Assert.Equal(gamma.GetBlock(BlockSelector.FromNumber(1))!.Transactions[0].Hash, receipt.TransactionHash);
        Assert.Equal(NewCode, gamma.GetCode(G.Hermes, BlockSelector.Latest));
        Assert.All(kit.Module.Decisions, d => Assert.Equal(DecisionStatus.Carried, d.Status));
        foreach (var report in ClusterReplayer.VerifyCluster(kit.Cluster)) Assert.True(report.IsClean, report.ToString());
    }

    [Fact]
    public async Task An_upgrade_without_an_approval_cannot_execute_and_no_one_but_the_governance_account_reaches_the_upgrader()
    {
        await using var kit = new GovernanceTestKit();
        var other = kit.Cluster.GetChain(902);
        var oldCode = other.GetCode(G.Hermes, BlockSelector.Latest);
        var direct = Abi.Call("upgrade(address,bytes,bytes32)", G.Hermes, AbiValue.Bytes(NewCode), Hash256.Zero);

        // A user calling the upgrader directly, on any chain, is refused with the reason.
        foreach (var chain in kit.Cluster.Chains)
        {
            var hash = chain.SendTransaction(DevTransactions.Sign(chain, GovernanceTestKit.Accounts[3], G.Upgrader, direct, 1_000_000));
            Assert.False(chain.GetReceipt(hash)!.Success);
            var call = chain.Call(new CallRequest { From = GovernanceTestKit.Accounts[3].Address, To = G.Upgrader, Data = direct, Gas = 1_000_000 }, BlockSelector.Latest);
            Assert.Equal(Abi.EncodeError($"GovernanceUpgrader: only the governance account {G.Account.Address} applies approved upgrades, not {GovernanceTestKit.Accounts[3].Address}"), call.ReturnData);
            Assert.Equal(oldCode, chain.GetCode(G.Hermes, BlockSelector.Latest));
        }
        // Nor the decision sink, except through the Agora's timelock; and the Agora's vote alone needs the Gerousia.
        kit.AssertRefused("DecisionsNotAgora(address)", 0, G.Decisions, Abi.Call("approveUpgrade(address,bytes,uint256)", G.Hermes, AbiValue.Bytes(NewCode), 1UL));
        kit.StakeEveryone();
        var proposal = Upgrade(4);
        kit.PassAndQueue(proposal, 0, 0, 1);
        kit.AssertRefused("DecisionsNeedsGerousia(bytes32)", 0, G.Governor, proposal.Execute());
        foreach (var chain in kit.Cluster.Chains) Transfer(kit, chain);
        Assert.Empty(kit.Module.Decisions);
        foreach (var chain in kit.Cluster.Chains) Assert.Equal(oldCode, chain.GetCode(G.Hermes, BlockSelector.Latest));
    }

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
        // Applied by the next slot's blocks.
        foreach (var chain in kit.Cluster.Chains) Transfer(kit, chain);
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

    private static (Address, byte[]) SetParameter(GovernanceTestKit kit, Hash256 key, ulong value, ulong salt)
    {
        var change = new Hash256(kit.View(G.Decisions, Abi.Call("parameterChangeId(bytes32,uint256,uint256)", key, value, salt)));
        for (var member = 0; member < 3; member++) kit.Send(member, G.Gerousia, Abi.Call("approve(bytes32)", change));
        return (G.Decisions, Abi.Call("setParameter(bytes32,uint256,uint256)", key, value, salt));
    }

    [Fact]
    public async Task A_gas_limit_approved_by_the_gerousia_is_in_the_headers_of_every_chain_from_the_next_slot_and_a_replay_agrees()
    {
        await using var kit = new GovernanceTestKit(chains: 3);
        kit.StakeEveryone();
        var all = SetParameter(kit, GovernanceParameters.GasLimit, 20_000_000, 1);
        var only903 = SetParameter(kit, GovernanceParameters.GasLimitOf(903), 45_000_000, 1);
        var proposal = new Proposal([all.Item1, only903.Item1], [all.Item2, only903.Item2], "gas limits");
        kit.PassAndQueue(proposal, 0, 0, 1);
        var before = kit.Cluster.Chains.ToDictionary(c => c.ChainId, c => c.Head.GasLimit);

        var executed = kit.Execute(proposal);

        Assert.Equal(before[HomeId], kit.Home.GetBlock(BlockSelector.FromNumber(executed.BlockNumber))!.Header.GasLimit);
        foreach (var chain in kit.Cluster.Chains) Transfer(kit, chain);
        foreach (var chain in kit.Cluster.Chains)
        {
            var expected = chain.ChainId == 903 ? 45_000_000UL : 20_000_000UL;
            Assert.NotEqual(expected, before[chain.ChainId]);
            Assert.Equal(expected, chain.Head.GasLimit);
            Assert.Equal(before[chain.ChainId], chain.GetBlock(BlockSelector.FromNumber(chain.Head.Number - 1))!.Header.GasLimit);
        }
        Assert.Equal(new UInt256(20_000_000), kit.Module.Parameter(GovernanceParameters.GasLimit));
        Assert.All(kit.Module.Decisions, d => Assert.Equal(DecisionStatus.Carried, d.Status));
        foreach (var report in ClusterReplayer.VerifyCluster(kit.Cluster)) Assert.True(report.IsClean, report.ToString());

        // A limit the cluster cannot take is refused with the reason, and the chains keep theirs.
        var tiny = SetParameter(kit, GovernanceParameters.GasLimit, 500_000, 2);
        var refused = new Proposal([tiny.Item1], [tiny.Item2], "gas limit too small");
        kit.PassAndQueue(refused, 0, 0, 1);
        kit.Execute(refused);
        foreach (var chain in kit.Cluster.Chains) Transfer(kit, chain);
        var decision = kit.Module.Decisions[^1];
        Assert.Equal(DecisionStatus.Refused, decision.Status);
        Assert.Equal($"a block gas limit of 500000 is outside {GovernanceParameters.MinGasLimit}..{GovernanceParameters.MaxGasLimit}", decision.Reason);
        Assert.Equal(20_000_000UL, kit.Home.Head.GasLimit);
        Assert.Equal(45_000_000UL, kit.Cluster.GetChain(903).Head.GasLimit);
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
        // The term ends on day 182, the last day of session 7's proposal window (days 168-182): propose in session 8.
        kit.Home.SetNextBlockTimestamp(termEnd);
        kit.Send(9, GovernanceTestKit.Accounts[8].Address, [], gas: 21_000);
        Assert.Equal(1_700_000_000UL + 196 * 24 * 3600, kit.ToNextSession());
        kit.PassAndQueue(onTime, 0, 0, 1);
        kit.Execute(onTime);

        Assert.Equal(new UInt256(2), kit.Word(G.Gerousia, Abi.Call("council()")));
        Assert.Equal(UInt256.One, kit.Word(G.Gerousia, Abi.Call("isMember(address)", GovernanceTestKit.Accounts[7].Address)));
        Assert.Equal(UInt256.Zero, kit.Word(G.Gerousia, Abi.Call("isMember(address)", GovernanceTestKit.Accounts[0].Address)));
    }
}
