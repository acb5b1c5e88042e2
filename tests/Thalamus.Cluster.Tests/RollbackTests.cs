using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Cluster.Tests;

/// <summary>The cluster's rollback from an invalid block (settlement's safety dependency): what is tainted goes, the rest stays.</summary>
public sealed class RollbackTests
{
    private static byte[] SendMessage(ulong destination, Address target, string text) =>
        Abi.Call("sendMessage(uint256,address,bytes)", destination, target, AbiValue.Bytes(Abi.Call("receiveMessage(string)", AbiValue.String(text))));

    private static readonly Address Somebody = new(Hex.Decode("0x00000000000000000000000000000000000b0b00"));

    [Fact]
    public async Task A_block_of_B_that_consumed_a_message_from_the_bad_block_of_A_is_discarded_B_s_other_transactions_run_again_and_C_keeps_its_blocks()
    {
        await using var kit = new ClusterTestKit(chains: 3);
        var (a, b, c) = (kit[0], kit[1], kit[2]);
        var receiver = kit.Deploy(b, "MessageReceiver");
        kit.Send(c, 2, Somebody, []);
        kit.Send(a, 2, Somebody, []);
        var bKept = b.Head;
        var aKept = a.Head;

        // The bad block of A sends a message; B's next block consumes it; then B and C go on with their own transactions.
        var send = kit.Send(a, 1, ClusterPredeploys.Messenger, SendMessage(b.ChainId, receiver, "tainted"));
        var badBlock = send.BlockNumber;
        var message = Assert.Single(kit.Cluster.AllMessages());
        var deliveryBlock = message.DeliveredBlockNumber!.Value;
        var deliveryHash = b.GetBlock(BlockSelector.FromNumber(deliveryBlock))!.Hash;
        var bTransfer = kit.Send(b, 3, Somebody, []);
        var cTransfer = kit.Send(c, 3, Somebody, []);
        var cBlocks = Enumerable.Range(0, (int)c.Head.Number + 1).Select(n => c.GetBlock(BlockSelector.FromNumber((ulong)n))!.Hash).ToList();
        Assert.Equal(UInt256.One, kit.CallWord(b, receiver, "count()"));

        var rollback = kit.Cluster.RollBack(a.ChainId, badBlock, "block proven invalid");

        // A from the bad block on, B from the delivery on; C untouched.
        Assert.Equal([a.ChainId, b.ChainId], rollback.Discarded.Select(d => d.ChainId).Order());
        Assert.Equal(badBlock, rollback.FirstDiscarded(a.ChainId));
        Assert.Equal(deliveryBlock, rollback.FirstDiscarded(b.ChainId));
        Assert.Contains($"consumed message {message.Id} sent by chain {a.ChainId} block {badBlock}", rollback.Discarded.Single(d => d.ChainId == b.ChainId).Why);
        Assert.Null(rollback.FirstDiscarded(c.ChainId));
        Assert.Equal(cBlocks, Enumerable.Range(0, (int)c.Head.Number + 1).Select(n => c.GetBlock(BlockSelector.FromNumber((ulong)n))!.Hash));
        Assert.NotNull(c.GetReceipt(cTransfer.TransactionHash));
        Assert.Equal(bKept.Hash, b.GetBlock(BlockSelector.FromNumber(bKept.Number))!.Hash);
        Assert.Equal(aKept.Hash, a.GetBlock(BlockSelector.FromNumber(aKept.Number))!.Hash);
        Assert.Null(b.GetBlock(deliveryHash));

        // The users' transactions of the discarded blocks went back to the pools and ran again (automine), nothing dropped;
        // the message the re-executed send emits is delivered once, by a new block.
        Assert.Equal([send.TransactionHash, bTransfer.TransactionHash], rollback.Reinserted.Order());
        Assert.Empty(rollback.Dropped);
        var again = b.GetReceipt(bTransfer.TransactionHash);
        Assert.NotNull(again);
        Assert.NotEqual(bTransfer.BlockHash, again.BlockHash);
        Assert.True(a.GetReceipt(send.TransactionHash)!.Success);
        var redelivered = Assert.Single(kit.Cluster.AllMessages());
        Assert.Equal(MessageStatus.Relayed, redelivered.Status);
        Assert.NotEqual(deliveryHash, b.GetBlock(BlockSelector.FromNumber(redelivered.DeliveredBlockNumber!.Value))!.Hash);
        Assert.Equal(UInt256.One, kit.CallWord(b, receiver, "count()"));

        // cluster_status says what was rolled back and why.
        var status = kit.Cluster.Status();
        Assert.Same(rollback, status.Rollback);
        Assert.Equal("block proven invalid", status.Rollback!.Request.Reason);
    }

    [Fact]
    public async Task A_block_that_received_a_synchronous_call_from_the_bad_block_is_discarded_and_earlier_calls_keep_their_blocks()
    {
        await using var kit = new ClusterTestKit(chains: 3);
        var (a, b, c) = (kit[0], kit[1], kit[2]);
        var counter = kit.Deploy(b, "RemoteCounter");
        var caller = kit.Deploy(a, "SyncCaller");
        kit.Send(a, 1, caller, Abi.Call("incrementRemote(uint256,address,uint256)", b.ChainId, counter, new UInt256(2)));
        var bKept = b.Head;
        kit.Send(c, 2, Somebody, []);
        var cHead = c.Head;

        var bad = kit.Send(a, 1, caller, Abi.Call("incrementRemote(uint256,address,uint256)", b.ChainId, counter, new UInt256(5)));
        var bTainted = b.Head.Number;
        Assert.Equal(bKept.Number + 1, bTainted);
        Assert.Equal(new UInt256(7), kit.CallWord(b, counter, "value()"));

        var rollback = kit.Cluster.RollBack(a.ChainId, bad.BlockNumber, "block proven invalid");

        Assert.Equal(bTainted, rollback.FirstDiscarded(b.ChainId));
        Assert.Contains($"received a synchronous call from chain {a.ChainId}", rollback.Discarded.Single(d => d.ChainId == b.ChainId).Why);
        Assert.Equal(bKept.Hash, b.GetBlock(BlockSelector.FromNumber(bKept.Number))!.Hash);
        Assert.Null(rollback.FirstDiscarded(c.ChainId));
        Assert.Equal(cHead.Hash, c.Head.Hash);
        // The call's origin transaction ran again: the counter holds both increments once.
        Assert.Equal([bad.TransactionHash], rollback.Reinserted);
        Assert.Equal(new UInt256(7), kit.CallWord(b, counter, "value()"));
    }

    [Fact]
    public async Task A_rollback_from_a_block_the_chain_does_not_have_is_refused_with_the_reason()
    {
        await using var kit = new ClusterTestKit(chains: 2);
        var a = kit[0];
        kit.Send(a, 1, Somebody, []);

        var beyond = Assert.Throws<ChainException>(() => kit.Cluster.RollBack(a.ChainId, a.Head.Number + 1, "test"));
        Assert.Equal($"chain {a.ChainId} has no block {a.Head.Number + 1} to roll back from (its blocks are 1..{a.Head.Number})", beyond.Message);
        var genesis = Assert.Throws<ChainException>(() => kit.Cluster.RollBack(a.ChainId, 0, "test"));
        Assert.Contains("has no block 0 to roll back from", genesis.Message);
        Assert.Throws<ChainException>(() => kit.Cluster.RollBack(999, 1, "test"));
        Assert.Null(kit.Cluster.Status().Rollback);
    }

    [Fact]
    public async Task A_return_made_by_a_discarded_block_is_made_again_once_by_the_next_block()
    {
        await using var kit = new ClusterTestKit(chains: 2);
        var (a, b) = (kit[0], kit[1]);
        kit.Cluster.HaltChain(b.ChainId);
        kit.Send(a, 1, ClusterPredeploys.Messenger, SendMessage(b.ChainId, Somebody, "queued"));
        kit.Cluster.RemoveChain(b.ChainId);
        var returned = Assert.Single(kit.Cluster.AllMessages());
        Assert.Equal(MessageStatus.Returned, returned.Status);
        var returnBlock = returned.ReturnedBlockNumber!.Value;

        kit.Cluster.RollBack(a.ChainId, returnBlock, "test");

        var again = Assert.Single(kit.Cluster.AllMessages());
        Assert.Equal(returned.Id, again.Id);
        Assert.Equal(MessageStatus.Failed, again.Status);
        Assert.True(again.ReturnPending);
        Assert.Equal(Abi.EncodeError($"ClusterMessenger: chain {b.ChainId} was removed from the cluster"), again.RevertData);
        Assert.Equal(UInt256.Zero, kit.CallWord(a, ClusterPredeploys.Messenger, "returned(bytes32)", again.Id));
        kit.Send(a, 1, Somebody, []);
        Assert.Equal(MessageStatus.Returned, again.Status);
        Assert.True(a.GetReceipt(again.ReturnTransactionHash!.Value)!.Success);
        Assert.Equal(UInt256.One, kit.CallWord(a, ClusterPredeploys.Messenger, "returned(bytes32)", again.Id));
        var nonce = ClusterPredeploys.RelayerAccount.NonceOn(a);
        kit.Send(a, 1, Somebody, []);
        Assert.Equal(nonce, ClusterPredeploys.RelayerAccount.NonceOn(a));
        ReplayTests.AssertClean(Replay.ClusterReplayer.VerifyCluster(kit.Cluster));
    }
}
