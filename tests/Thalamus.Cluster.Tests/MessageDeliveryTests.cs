using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Cluster.Tests;

public sealed class MessageDeliveryTests
{
    private static byte[] SendMessage(ulong destination, Address target, byte[] data) =>
        TestAbi.Call("sendMessage(uint256,address,bytes)", [TestAbi.Word(destination), TestAbi.Word(target)], data);

    [Fact]
    public async Task A_message_from_A_runs_on_B_in_B_s_next_block_with_the_origin_visible()
    {
        await using var kit = new ClusterTestKit();
        var (a, b) = (kit[0], kit[1]);
        var receiver = kit.Deploy(b, "MessageReceiver");
        var bHead = b.Head.Number;

        var receipt = kit.Send(a, 1, ClusterPredeploys.Messenger, SendMessage(b.ChainId, receiver, TestAbi.CallWithString("receiveMessage(string)", "hello B")));
        Assert.True(receipt.Success);

        Assert.Equal(bHead + 1, b.Head.Number);
        Assert.Equal(UInt256.One, kit.CallWord(b, receiver, "count()"));
        Assert.Equal("hello B", TestAbi.DecodeString(kit.Call(b, receiver, TestAbi.Call("lastText()"))));
        Assert.Equal(ClusterTestKit.Accounts[1].Address, TestAbi.DecodeAddress(kit.Call(b, receiver, TestAbi.Call("lastSender()"))));
        Assert.Equal(new UInt256(a.ChainId), kit.CallWord(b, receiver, "lastSourceChainId()"));

        var message = Assert.Single(kit.Cluster.AllMessages());
        Assert.Equal(MessageStatus.Relayed, message.Status);
        Assert.Equal(b.Head.Number, message.DeliveredBlockNumber);
        Assert.Equal(receipt.TransactionHash, message.SentTransactionHash);
        Assert.True(kit.CallWord(b, ClusterPredeploys.Messenger, "relayed(bytes32)", message.Id.ToUInt256()) == UInt256.One);
    }

    [Fact]
    public async Task A_failing_target_is_recorded_and_a_retry_delivers_it_exactly_once()
    {
        await using var kit = new ClusterTestKit();
        var (a, b) = (kit[0], kit[1]);
        var receiver = kit.Deploy(b, "MessageReceiver");
        kit.Send(b, 0, receiver, TestAbi.Call("setFailing(bool)", UInt256.One));

        kit.Send(a, 1, ClusterPredeploys.Messenger, SendMessage(b.ChainId, receiver, TestAbi.CallWithString("receiveMessage(string)", "try")));
        var message = Assert.Single(kit.Cluster.AllMessages());
        Assert.Equal(MessageStatus.Failed, message.Status);
        Assert.NotNull(message.RevertData);
        Assert.Equal(UInt256.Zero, kit.CallWord(b, receiver, "count()"));

        kit.Send(b, 0, receiver, TestAbi.Call("setFailing(bool)", UInt256.Zero));
        var retry = TestAbi.Call("retryMessage(bytes32,uint256,address,address,bytes)",
            [message.Id.ToUInt256(), TestAbi.Word(a.ChainId), TestAbi.Word(message.Sender), TestAbi.Word(receiver)], message.Data);
        Assert.True(kit.Send(b, 2, ClusterPredeploys.Messenger, retry).Success);
        Assert.Equal(MessageStatus.Relayed, kit.Cluster.GetMessage(message.Id)!.Status);
        Assert.Equal(UInt256.One, kit.CallWord(b, receiver, "count()"));
        Assert.False(kit.Send(b, 2, ClusterPredeploys.Messenger, retry).Success); // not a failed message any more
        Assert.Equal(UInt256.One, kit.CallWord(b, receiver, "count()"));
    }
}
