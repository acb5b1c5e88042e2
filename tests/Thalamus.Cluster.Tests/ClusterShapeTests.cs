using System.Text;
using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Cluster.Tests;

public sealed class ClusterShapeTests
{
    [Fact]
    public async Task On_interval_chains_a_message_runs_in_the_destination_s_next_block()
    {
        await using var kit = new ClusterTestKit(chains: 2, blockTime: TimeSpan.FromMilliseconds(200));
        var (a, b) = (kit[0], kit[1]);
        kit.Cluster.Start();
        var deploy = kit.SendNoWait(b, 0, null, ClusterTestKit.CreationCode("MessageReceiver"), 6_000_000);
        var receiver = (await ClusterTestKit.WaitReceipt(b, deploy)).ContractAddress!.Value;

        // B's head when A's sending block is sealed (the event runs inside the slot, before B's seal in it).
        ulong? bHeadAtSend = null;
        Hash256? sendHash = null;
        a.BlockSealed += (block, _) =>
        {
            if (sendHash is { } h && block.Transactions.Any(t => t.Hash == h)) bHeadAtSend = b.Store.HeadNumber;
        };
        var data = ReplayTests.SendMessage(b.ChainId, receiver, Abi.Call("receiveMessage(string)", AbiValue.String("tick")));
        var key = ClusterTestKit.Accounts[1];
        var tx = TransactionSigner.Sign(new Transaction
        {
            Type = TxType.DynamicFee, ChainId = a.ChainId, Nonce = a.GetTransactionCount(key.Address, BlockSelector.Pending),
            MaxFeePerGas = new UInt256(100_000_000_000), MaxPriorityFeePerGas = new UInt256(1_000_000_000), GasLimit = 3_000_000,
            To = ClusterPredeploys.Messenger, Data = data,
        }, key.PrivateKey);
        sendHash = tx.Hash;
        a.SendTransaction(tx);
        var sent = await ClusterTestKit.WaitReceipt(a, tx.Hash);
        Assert.True(sent.Success);

        await ClusterTestKit.WaitUntil(() => kit.Cluster.AllMessages().Any(m => m.Status != MessageStatus.Pending), "the delivery");
        var message = Assert.Single(kit.Cluster.AllMessages());
        Assert.Equal(MessageStatus.Relayed, message.Status);
        Assert.Equal(sent.BlockNumber, message.SentBlockNumber);
        Assert.NotNull(bHeadAtSend);
        Assert.Equal(bHeadAtSend + 1, message.DeliveredBlockNumber);
        Assert.Equal(UInt256.One, kit.CallWord(b, receiver, "count()"));
        // The delivery is the block's first transaction.
        var delivered = b.Store.GetBlock(message.DeliveredBlockNumber!.Value)!;
        Assert.Equal(message.DeliveryTransactionHash, delivered.Transactions[0].Hash);
        await kit.Cluster.StopAsync();
        ReplayTests.AssertClean(Replay.ClusterReplayer.VerifyCluster(kit.Cluster));
    }

    [Fact]
    public async Task A_message_to_an_unknown_chain_fails_with_a_reason()
    {
        await using var kit = new ClusterTestKit();
        var a = kit[0];
        Assert.True(kit.Send(a, 1, ClusterPredeploys.Messenger, ReplayTests.SendMessage(424242, ClusterTestKit.Accounts[2].Address, [1, 2, 3])).Success);
        var message = Assert.Single(kit.Cluster.AllMessages());
        Assert.Equal(MessageStatus.Failed, message.Status);
        Assert.Equal(0, kit.Cluster.PendingMessageCount);
        Assert.Equal(new byte[] { 0x08, 0xc3, 0x79, 0xa0 }, message.RevertData![..4]);
        Assert.Contains("chain 424242 is not a member", new AbiReader(message.RevertData[4..]).String(0));
    }

    [Fact]
    public async Task A_64_chain_cluster_delivers_a_message_from_the_first_chain_to_the_last()
    {
        await using var kit = new ClusterTestKit(chains: 64);
        Assert.Equal(64, kit.Cluster.Chains.Count);
        Assert.Equal(64, kit.Cluster.Chains.Select(c => c.ChainId).Distinct().Count());
        var (first, last) = (kit[0], kit[63]);
        var receiver = kit.Deploy(last, "MessageReceiver");
        Assert.True(kit.Send(first, 1, ClusterPredeploys.Messenger, ReplayTests.SendMessage(last.ChainId, receiver, Abi.Call("receiveMessage(string)", AbiValue.String("far")))).Success);
        var message = Assert.Single(kit.Cluster.AllMessages());
        Assert.Equal(MessageStatus.Relayed, message.Status);
        Assert.Equal(last.Head.Number, message.DeliveredBlockNumber);
        Assert.Equal(new UInt256(first.ChainId), kit.CallWord(last, receiver, "lastSourceChainId()"));
        // Nobody else moved.
        Assert.All(kit.Cluster.Chains.Skip(1).Take(62), c => Assert.Equal(0UL, c.Head.Number));
    }

    /// <summary>
    /// A message sent by code running in a synchronous call's destination (its MessageSent log lives in
    /// the destination block's cluster section, not in a receipt) must still be delivered.
    /// </summary>
    [Fact]
    public async Task A_message_sent_inside_a_synchronous_call_is_delivered()
    {
        await using var kit = new ClusterTestKit(chains: 3);
        var (a, b, c) = (kit[0], kit[1], kit[2]);
        var receiver = kit.Deploy(c, "MessageReceiver");
        var send = ReplayTests.SendMessage(c.ChainId, receiver, Abi.Call("receiveMessage(string)", AbiValue.String("from inside")));
        var receipt = kit.Send(a, 1, ClusterPredeploys.CrossChainCall, RawContracts.CrossCall(b.ChainId, ClusterPredeploys.Messenger, send));
        Assert.True(receipt.Success);
        // The messenger on B counted the message: it was sent.
        Assert.Equal(UInt256.One, kit.CallWord(b, ClusterPredeploys.Messenger, "messageNonce()"));

        var message = Assert.Single(kit.Cluster.AllMessages());
        Assert.Equal(b.ChainId, message.SourceChainId);
        Assert.Equal(MessageStatus.Relayed, message.Status);
        Assert.Equal(UInt256.One, kit.CallWord(c, receiver, "count()"));
    }
}
