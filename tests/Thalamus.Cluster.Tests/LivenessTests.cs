using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Cluster.Tests;

public sealed class LivenessTests
{
    [Fact]
    public async Task A_halted_chain_holds_the_others_after_delta_and_resuming_loses_nothing()
    {
        await using var kit = new ClusterTestKit(delta: TimeSpan.FromMilliseconds(300));
        var (a, b) = (kit[0], kit[1]);
        var receiver = kit.Deploy(b, "MessageReceiver");
        kit.Cluster.HaltChain(b.ChainId);
        var bHead = b.Head.Number;

        // Within Delta A still seals; the message waits for B.
        var sent = kit.Send(a, 1, ClusterPredeploys.Messenger, ReplayTests.SendMessage(b.ChainId, receiver, Abi.Call("receiveMessage(string)", AbiValue.String("held"))));
        Assert.True(sent.Success);
        var message = Assert.Single(kit.Cluster.AllMessages());
        Assert.Equal(MessageStatus.Pending, message.Status);
        Assert.Equal(bHead, b.Head.Number);

        await ClusterTestKit.WaitUntil(() => kit.Cluster.Status().Chains[0].HeldBy.Count > 0, "A to be held");
        var aHead = a.Head.Number;
        var held = kit.SendNoWait(a, 2, ClusterTestKit.Accounts[3].Address, []);
        Assert.Null(a.GetReceipt(held));
        Assert.Equal(aHead, a.Head.Number);

        var status = kit.Cluster.Status();
        Assert.False(status.Live);
        Assert.Equal([b.ChainId], status.Chains[0].HeldBy);
        Assert.True(status.Chains[1].Halted);
        Assert.Empty(status.Chains[1].HeldBy);
        Assert.Equal(1, status.Chains[1].PendingInbound);
        Assert.Contains($"chain {b.ChainId} halted", status.Reason);

        kit.Cluster.ResumeChain(b.ChainId);

        Assert.NotNull(a.GetReceipt(held));
        Assert.Equal(MessageStatus.Relayed, kit.Cluster.GetMessage(message.Id)!.Status);
        Assert.Equal(UInt256.One, kit.CallWord(b, receiver, "count()"));
        Assert.Equal(0, kit.Cluster.PendingMessageCount);
        Assert.True(kit.Cluster.Status().Live);
        ReplayTests.AssertClean(Replay.ClusterReplayer.VerifyCluster(kit.Cluster));
    }

    [Fact]
    public async Task A_synchronous_call_into_a_halted_chain_is_refused_and_changes_nothing_there()
    {
        await using var kit = new ClusterTestKit(delta: TimeSpan.FromSeconds(30));
        var (a, b) = (kit[0], kit[1]);
        var counter = kit.Deploy(b, "RemoteCounter");
        var caller = kit.Deploy(a, "SyncCaller");
        kit.Cluster.HaltChain(b.ChainId);
        var bRoot = b.Head.StateRoot;

        var receipt = kit.Send(a, 1, caller, Abi.Call("incrementRemoteTolerant(uint256,address,uint256)", b.ChainId, counter, new UInt256(1)));
        Assert.True(receipt.Success);
        Assert.Equal(bRoot, b.Head.StateRoot);
        var section = ClusterSection.Decode(a.GetBlock(BlockSelector.Latest)!.ClusterSection!);
        var refusal = Assert.Single(section.Outbound);
        Assert.False(refusal.Ok);
        Assert.Equal(0, refusal.GasUsed);
        kit.Cluster.ResumeChain(b.ChainId);
        ReplayTests.AssertClean(Replay.ClusterReplayer.VerifyCluster(kit.Cluster));
    }
}
