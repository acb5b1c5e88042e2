using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Cluster.Tests;

public sealed class MessageDeliveryTests
{
    private static byte[] SendMessage(ulong destination, Address target, byte[] data) =>
        Abi.Call("sendMessage(uint256,address,bytes)", destination, target, AbiValue.Bytes(data));

    [Fact]
    public async Task A_message_from_A_runs_on_B_in_B_s_next_block_with_the_origin_visible()
    {
        await using var kit = new ClusterTestKit();
        var (a, b) = (kit[0], kit[1]);
        var receiver = kit.Deploy(b, "MessageReceiver");
        var bHead = b.Head.Number;

        var receipt = kit.Send(a, 1, ClusterPredeploys.Messenger, SendMessage(b.ChainId, receiver, Abi.Call("receiveMessage(string)", AbiValue.String("hello B"))));
        Assert.True(receipt.Success);

        Assert.Equal(bHead + 1, b.Head.Number);
        Assert.Equal(UInt256.One, kit.CallWord(b, receiver, "count()"));
        Assert.Equal("hello B", new AbiReader(kit.Call(b, receiver, Abi.Call("lastText()"))).String(0));
        Assert.Equal(ClusterTestKit.Accounts[1].Address, new AbiReader(kit.Call(b, receiver, Abi.Call("lastSender()"))).Address(0));
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
        kit.Send(b, 0, receiver, Abi.Call("setFailing(bool)", UInt256.One));

        kit.Send(a, 1, ClusterPredeploys.Messenger, SendMessage(b.ChainId, receiver, Abi.Call("receiveMessage(string)", AbiValue.String("try"))));
        var message = Assert.Single(kit.Cluster.AllMessages());
        Assert.Equal(MessageStatus.Failed, message.Status);
        Assert.NotNull(message.RevertData);
        Assert.Equal(UInt256.Zero, kit.CallWord(b, receiver, "count()"));

        kit.Send(b, 0, receiver, Abi.Call("setFailing(bool)", UInt256.Zero));
        var retry = Abi.Call("retryMessage(bytes32,uint256,address,address,bytes)",
            message.Id, a.ChainId, message.Sender, receiver, AbiValue.Bytes(message.Data));
        Assert.True(kit.Send(b, 2, ClusterPredeploys.Messenger, retry).Success);
        Assert.Equal(MessageStatus.Relayed, kit.Cluster.GetMessage(message.Id)!.Status);
        Assert.Equal(UInt256.One, kit.CallWord(b, receiver, "count()"));
        Assert.False(kit.Send(b, 2, ClusterPredeploys.Messenger, retry).Success); // not a failed message any more
        Assert.Equal(UInt256.One, kit.CallWord(b, receiver, "count()"));
    }
}
