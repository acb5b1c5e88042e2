using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Cluster.Tests;

/// <summary>Chains join and leave a running cluster between slots.</summary>
public sealed class MembershipTests
{
    [Fact]
    public async Task A_chain_added_between_slots_starts_at_genesis_and_receives_the_messages_sent_to_it_afterwards()
    {
        await using var kit = new ClusterTestKit(chains: 2);
        var a = kit[0];
        var early = kit.Send(a, 1, ClusterPredeploys.Messenger, ReplayTests.SendMessage(903, ClusterTestKit.Accounts[3].Address, [1]));
        Assert.True(early.Success);

        var c = kit.Cluster.AddChain(new ClusterChainOptions { ChainId = 903 });
        Assert.Equal(0UL, c.Head.Number);
        Assert.Equal(kit.Options.AccountBalanceWei, c.GetBalance(ClusterTestKit.Accounts[0].Address, BlockSelector.Latest));
        Assert.Equal(3, kit.Cluster.Chains.Count);
        Assert.Same(c, kit.Cluster.GetChain(903));

        kit.Send(a, 1, ClusterPredeploys.Messenger, ReplayTests.SendMessage(903, ClusterTestKit.Accounts[3].Address, [2]));
        var messages = kit.Cluster.AllMessages();
        // The one sent before the chain joined failed as sent to a non-member; the later one is delivered on the new chain.
        Assert.Equal(MessageStatus.Failed, messages[0].Status);
        Assert.Equal(MessageStatus.Relayed, messages[1].Status);
        Assert.Equal(1UL, messages[1].DeliveredBlockNumber);
        Assert.True(c.GetReceipt(messages[1].DeliveryTransactionHash!.Value)!.Success);
        ReplayTests.AssertClean(Replay.ClusterReplayer.VerifyCluster(kit.Cluster));
    }

    [Fact]
    public async Task Removing_a_chain_fails_the_messages_still_queued_to_it_back_to_their_senders_with_the_reason_and_lifts_its_hold()
    {
        await using var kit = new ClusterTestKit(chains: 2);
        var (a, b) = (kit[0], kit[1]);
        kit.Cluster.HaltChain(b.ChainId);
        kit.Send(a, 1, ClusterPredeploys.Messenger, ReplayTests.SendMessage(b.ChainId, ClusterTestKit.Accounts[3].Address, [1]));
        var queued = Assert.Single(kit.Cluster.AllMessages());
        Assert.Equal(MessageStatus.Pending, queued.Status);

        kit.Cluster.RemoveChain(b.ChainId);

        // Failed with the reason, then returned to its sender on A in the removal's slot.
        Assert.Equal(MessageStatus.Returned, queued.Status);
        Assert.Equal(Abi.EncodeError($"ClusterMessenger: chain {b.ChainId} was removed from the cluster"), queued.RevertData);
        Assert.True(a.GetReceipt(queued.ReturnTransactionHash!.Value)!.Success);
        Assert.Equal(0, kit.Cluster.PendingMessageCount);
        Assert.Equal([a], kit.Cluster.Chains);
        Assert.True(kit.Cluster.Status().Live);
        var error = Assert.Throws<ChainException>(() => kit.Cluster.GetChain(b.ChainId));
        Assert.Equal(ChainException.InvalidParamsCode, error.Code);
        // A later send to it fails as to any chain outside the cluster; chain A goes on.
        Assert.True(kit.Send(a, 1, ClusterPredeploys.Messenger, ReplayTests.SendMessage(b.ChainId, ClusterTestKit.Accounts[3].Address, [2])).Success);
        Assert.Equal(Abi.EncodeError($"ClusterMessenger: chain {b.ChainId} is not a member of this cluster"), kit.Cluster.AllMessages()[^1].RevertData);
    }

    [Fact]
    public async Task A_sender_hook_runs_once_with_the_reason_and_one_that_burns_all_its_gas_does_not_block_the_return()
    {
        await using var kit = new ClusterTestKit(chains: 2);
        var (a, b) = (kit[0], kit[1]);
        var counting = kit.Deploy(a, "ReturnedSender");
        var burning = kit.Deploy(a, "ReturnedSender");
        Assert.True(kit.Send(a, 0, burning, Abi.Call("setBurning(bool)", UInt256.One)).Success);
        kit.Cluster.HaltChain(b.ChainId);
        var send = Abi.Call("send(uint256,address,bytes)", b.ChainId, ClusterTestKit.Accounts[3].Address, AbiValue.Bytes([1]));
        Assert.True(kit.Send(a, 0, counting, send).Success);
        Assert.True(kit.Send(a, 0, burning, send).Success);
        var (toCounting, toBurning) = (kit.Cluster.AllMessages()[0], kit.Cluster.AllMessages()[1]);

        kit.Cluster.RemoveChain(b.ChainId);

        var reason = Abi.EncodeError($"ClusterMessenger: chain {b.ChainId} was removed from the cluster");
        Assert.Equal(MessageStatus.Returned, toCounting.Status);
        Assert.True(toCounting.ReturnHookOk);
        Assert.Equal(UInt256.One, kit.CallWord(a, counting, "returns_()"));
        var lastReason = new AbiReader(kit.Call(a, counting, Abi.Call("lastReason()"))).Bytes(0);
        Assert.Equal(reason, lastReason);
        // The burning hook used its gas and failed; the relayer's transaction did not revert and the return is recorded.
        Assert.Equal(MessageStatus.Returned, toBurning.Status);
        Assert.False(toBurning.ReturnHookOk);
        Assert.True(a.GetReceipt(toBurning.ReturnTransactionHash!.Value)!.Success);
        Assert.Equal(UInt256.Zero, kit.CallWord(a, burning, "returns_()"));
        Assert.Equal(UInt256.One, kit.CallWord(a, ClusterPredeploys.Messenger, "returned(bytes32)", toBurning.Id));
        // Later blocks call no hook again.
        Assert.True(kit.Send(a, 0, ClusterTestKit.Accounts[2].Address, [], 21_000).Success);
        Assert.Equal(UInt256.One, kit.CallWord(a, counting, "returns_()"));
        ReplayTests.AssertClean(Replay.ClusterReplayer.VerifyCluster(kit.Cluster));
    }

    [Fact]
    public async Task Membership_changes_that_break_a_rule_are_refused_with_the_reason()
    {
        await using var kit = new ClusterTestKit(chains: 1);
        var taken = Assert.Throws<ClusterConfigurationException>(() => kit.Cluster.AddChain(new ClusterChainOptions { ChainId = 901 }));
        Assert.Equal("chain 901 is already a member of this cluster", taken.Message);
        var slow = Assert.Throws<ClusterConfigurationException>(() =>
            kit.Cluster.AddChain(new ClusterChainOptions { ChainId = 905, BlockTime = TimeSpan.FromSeconds(5) }));
        Assert.Contains("shorter than chain 905's block time", slow.Message);
        var last = Assert.Throws<ClusterConfigurationException>(() => kit.Cluster.RemoveChain(901));
        Assert.Equal("chain 901 is the cluster's last chain", last.Message);
        Assert.Equal(ChainException.InvalidParamsCode, Assert.Throws<ChainException>(() => kit.Cluster.RemoveChain(999)).Code);
        Assert.Single(kit.Cluster.Chains);
    }
}
