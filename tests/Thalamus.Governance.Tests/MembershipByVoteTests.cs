using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Core;
using static Thalamus.Governance.Tests.GovernanceTestKit;
using G = Thalamus.Governance.GovernanceContracts;

namespace Thalamus.Governance.Tests;

/// <summary>The cluster carries out the membership the Agora decides (ClusterDecisions, between slots).</summary>
public sealed class MembershipByVoteTests
{
    private static byte[] SendMessage(ulong destination, Address target, byte[] data) =>
        Abi.Call("sendMessage(uint256,address,bytes)", destination, target, AbiValue.Bytes(data));

    private static Proposal Admit(ulong chainId, ulong blockTimeMs = 0, string name = "gamma") =>
        Proposal.Single(G.Decisions, Abi.Call("admitChain(uint64,uint64,uint64,string)", chainId, blockTimeMs, 30_000_000UL, AbiValue.String(name)),
            $"admit chain {chainId}");

    private static Proposal Remove(ulong chainId, string why = "") =>
        Proposal.Single(G.Decisions, Abi.Call("removeChain(uint64)", chainId), $"remove chain {chainId}{why}");

    private static void Transfer(GovernanceTestKit kit, MemberChain chain) =>
        kit.Send(chain, 9, Accounts[8].Address, [], gas: 21_000);

    [Fact]
    public async Task A_chain_admitted_by_vote_starts_after_the_executing_slot_while_traffic_flows_and_then_receives_messages()
    {
        await using var kit = new GovernanceTestKit();
        var b = kit.Cluster.GetChain(902);
        kit.StakeEveryone();
        var proposal = Admit(903);
        var id = kit.Propose(0, proposal);
        kit.Travel(2);
        Transfer(kit, b);
        kit.Vote(0, id);
        Transfer(kit, b);
        kit.Vote(1, id);
        kit.Travel(VotingPeriod + 1);
        kit.Send(0, G.Governor, proposal.Queue());
        Transfer(kit, b);
        kit.Travel(TimelockDelay + 1);
        Assert.Equal(2, kit.Cluster.Chains.Count);
        var bHead = b.Head.Number;

        var executed = kit.Execute(proposal);

        var c = kit.Cluster.GetChain(903);
        Assert.Equal(0UL, c.Head.Number);
        Assert.Equal([901UL, 902UL, 903UL], kit.Cluster.Chains.Select(x => x.ChainId));
        var decision = Assert.Single(kit.Module.Decisions);
        Assert.Equal(DecisionKind.Admission, decision.Kind);
        Assert.Equal(DecisionStatus.Carried, decision.Status);
        Assert.Equal(executed.TransactionHash, decision.Transaction);
        Assert.Equal("gamma", decision.Name);
        Assert.Equal("gamma", c.Profile.Name);
        Assert.True(decision.ActivationSlot > 0);
        // Traffic on the others went on, and the new chain receives messages from them.
        Transfer(kit, b);
        Assert.Equal(bHead + 1, b.Head.Number);
        kit.Send(b, 1, ClusterPredeploys.Messenger, SendMessage(903, Accounts[3].Address, [7]));
        var message = kit.Cluster.AllMessages()[^1];
        Assert.Equal(903UL, message.DestinationChainId);
        Assert.Equal(MessageStatus.Relayed, message.Status);
        Assert.True(c.GetReceipt(message.DeliveryTransactionHash!.Value)!.Success);
        // The contract agrees: 903 is a member now.
        Assert.Equal(UInt256.One, kit.Word(G.Decisions, Abi.Call("isMember(uint64)", 903UL)));
    }

    [Fact]
    public async Task A_chain_removed_by_vote_fails_the_messages_queued_to_it_back_to_their_senders_with_the_reason()
    {
        await using var kit = new GovernanceTestKit(chains: 3);
        var c = kit.Cluster.GetChain(903);
        kit.StakeEveryone();
        var proposal = Remove(903);
        kit.PassAndQueue(proposal, 0, 0, 1);
        // Chain 903 stops sealing: what is sent to it waits in the queue.
        kit.Cluster.HaltChain(903);
        kit.Send(kit.Home, 2, ClusterPredeploys.Messenger, SendMessage(903, Accounts[3].Address, [1]));
        kit.Send(kit.Cluster.GetChain(902), 2, ClusterPredeploys.Messenger, SendMessage(903, Accounts[3].Address, [2]));
        var queued = kit.Cluster.AllMessages().Where(m => m.DestinationChainId == 903).ToArray();
        Assert.Equal(2, queued.Length);
        Assert.All(queued, m => Assert.Equal(MessageStatus.Pending, m.Status));

        kit.Execute(proposal);

        Assert.Equal([901UL, 902UL], kit.Cluster.Chains.Select(x => x.ChainId));
        var reason = Abi.EncodeError("ClusterMessenger: chain 903 was removed from the cluster");
        Assert.All(queued, m =>
        {
            // Failed with the reason, and returned on its source chain in the removal's slot.
            Assert.Equal(MessageStatus.Returned, m.Status);
            Assert.Equal(reason, m.RevertData);
            Assert.True(kit.Cluster.GetChain(m.SourceChainId).GetReceipt(m.ReturnTransactionHash!.Value)!.Success);
        });
        Assert.Equal(0, kit.Cluster.PendingMessageCount);
        Assert.Equal(DecisionStatus.Carried, Assert.Single(kit.Module.Decisions).Status);
        Assert.Equal(UInt256.Zero, kit.Word(G.Decisions, Abi.Call("isMember(uint64)", 903UL)));
    }

    private static UInt256 Word(MemberChain chain, Address to, byte[] data)
    {
        var result = chain.Call(new CallRequest { To = to, Data = data, Gas = 5_000_000 }, BlockSelector.Latest);
        Assert.True(result.Success, result.Error);
        return UInt256.FromBigEndian(result.ReturnData.AsSpan(0, 32));
    }

    private static UInt256 HermesOf(MemberChain chain, int account) => Word(chain, G.Hermes, Abi.Call("balanceOf(address)", Accounts[account].Address));

    private static UInt256 Supply(MemberChain chain) => Word(chain, G.Hermes, Abi.Call("totalSupply()"));

    private static byte[] SendErc20(int to, UInt256 amount, ulong destination) =>
        Abi.Call("sendERC20(address,address,uint256,uint256)", G.Hermes, Accounts[to].Address, amount, destination);

    [Fact]
    public async Task Hermes_transfers_queued_to_a_chain_removed_by_vote_are_minted_back_to_their_senders_to_the_wei_and_once()
    {
        await using var kit = new GovernanceTestKit(chains: 3);
        var (home, b) = (kit.Home, kit.Cluster.GetChain(902));
        kit.StakeEveryone();
        // Account 5 holds Hermes on 902 too.
        kit.Send(home, 0, ClusterPredeploys.TokenBridge, SendErc20(5, UInt256.Parse("5000000000000000007"), 902));
        var proposal = Remove(903);
        kit.PassAndQueue(proposal, 0, 0, 1);
        var remainingSupply = Supply(home) + Supply(b);
        var (home0, b5) = (HermesOf(home, 0), HermesOf(b, 5));

        // 903 stops sealing: the transfers to it are burnt on their origins and wait in the queue.
        kit.Cluster.HaltChain(903);
        var first = UInt256.Parse("1234567890123456789");
        var second = UInt256.Parse("987654321987654321");
        kit.Send(home, 0, ClusterPredeploys.TokenBridge, SendErc20(6, first, 903));
        kit.Send(b, 5, ClusterPredeploys.TokenBridge, SendErc20(6, second, 903));
        Assert.Equal(home0 - first, HermesOf(home, 0));
        Assert.Equal(b5 - second, HermesOf(b, 5));
        var queued = kit.Cluster.AllMessages().Where(m => m.DestinationChainId == 903).ToArray();
        Assert.Equal(2, queued.Length);
        Assert.All(queued, m => Assert.Equal(MessageStatus.Pending, m.Status));

        kit.Execute(proposal);

        Assert.Equal([901UL, 902UL], kit.Cluster.Chains.Select(x => x.ChainId));
        Assert.Equal(home0, HermesOf(home, 0));
        Assert.Equal(b5, HermesOf(b, 5));
        Assert.Equal(remainingSupply, Supply(home) + Supply(b));
        Assert.All(queued, m =>
        {
            Assert.Equal(MessageStatus.Returned, m.Status);
            Assert.True(m.ReturnHookOk);
            Assert.Equal(UInt256.One, Word(kit.Cluster.GetChain(m.SourceChainId), ClusterPredeploys.Messenger, Abi.Call("returned(bytes32)", m.Id)));
        });
        // Later blocks return nothing again.
        Transfer(kit, home);
        Transfer(kit, b);
        Assert.Equal(home0, HermesOf(home, 0));
        Assert.Equal(b5, HermesOf(b, 5));
        Assert.Equal(remainingSupply, Supply(home) + Supply(b));
        foreach (var report in Thalamus.Cluster.Replay.ClusterReplayer.VerifyCluster(kit.Cluster)) Assert.True(report.IsClean, report.ToString());
    }

    [Fact]
    public async Task Removing_the_last_chain_by_vote_reverts_with_a_clear_error_and_the_chain_stays()
    {
        await using var kit = new GovernanceTestKit(chains: 1);
        kit.StakeEveryone();
        var proposal = Remove(901);
        kit.PassAndQueue(proposal, 0, 0, 1);

        var refusal = kit.AssertRefused("DecisionsLastChain(uint64)", 0, G.Governor, proposal.Execute());

        Assert.Equal(new UInt256(901), UInt256.FromBigEndian(refusal.AsSpan(4, 32)));
        Assert.Single(kit.Cluster.Chains);
        Assert.Empty(kit.Module.Decisions);
    }

    [Fact]
    public async Task An_admission_the_cluster_cannot_carry_out_is_recorded_as_refused_with_the_cluster_reason()
    {
        await using var kit = new GovernanceTestKit();
        kit.StakeEveryone();
        // A 5-second block time is longer than the cluster's Delta allows.
        var proposal = Admit(905, blockTimeMs: 5_000);
        kit.PassAndQueue(proposal, 0, 0, 1);

        kit.Execute(proposal);

        var decision = Assert.Single(kit.Module.Decisions);
        Assert.Equal(DecisionStatus.Refused, decision.Status);
        Assert.Contains("shorter than chain 905's block time", decision.Reason);
        Assert.Equal(2, kit.Cluster.Chains.Count);
    }

    [Fact]
    public async Task Only_the_agora_timelock_can_change_the_membership()
    {
        await using var kit = new GovernanceTestKit();
        kit.AssertRefused("DecisionsNotAgora(address)", 0, G.Decisions, Abi.Call("removeChain(uint64)", 902UL));
        kit.AssertRefused("DecisionsNotAgora(address)", 0, G.Decisions,
            Abi.Call("admitChain(uint64,uint64,uint64,string)", 903UL, 0UL, 30_000_000UL, AbiValue.String("x")));
    }
}
