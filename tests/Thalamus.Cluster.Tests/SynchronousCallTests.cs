using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Cluster.Tests;

public sealed class SynchronousCallTests
{
    [Fact]
    public async Task A_call_reads_and_writes_on_B_and_writes_on_A_in_one_transaction()
    {
        await using var kit = new ClusterTestKit();
        var (a, b) = (kit[0], kit[1]);
        var counter = kit.Deploy(b, "RemoteCounter");
        var caller = kit.Deploy(a, "SyncCaller");
        var bHead = b.Head.Number;

        var receipt = kit.Send(a, 1, caller, Abi.Call("incrementRemote(uint256,address,uint256)", b.ChainId, counter, new UInt256(5)));
        Assert.True(receipt.Success);

        Assert.Equal(new UInt256(5), kit.CallWord(b, counter, "value()"));
        Assert.Equal(new UInt256(5), kit.CallWord(a, caller, "mirrored()"));
        Assert.Equal(UInt256.One, kit.CallWord(a, caller, "localWrites()"));
        Assert.Equal(caller, new AbiReader(kit.Call(b, counter, Abi.Call("lastCaller()"))).Address(0));
        Assert.Equal(new UInt256(a.ChainId), kit.CallWord(b, counter, "lastSourceChainId()"));

        // The destination sealed a block recording the inbound call; the origin's block records the result.
        Assert.Equal(bHead + 1, b.Head.Number);
        var bBlock = b.GetBlock(BlockSelector.Latest)!;
        var section = ClusterSection.Decode(bBlock.ClusterSection!);
        var inbound = Assert.Single(section.Inbound);
        Assert.Equal(caller, inbound.Caller);
        Assert.True(inbound.Ok);
        Assert.Equal(Keccak256.Compute(bBlock.ClusterSection!).Bytes.ToArray(), bBlock.Header.ExtraData);
        var aBlock = a.GetBlock(BlockSelector.Latest)!;
        Assert.Single(ClusterSection.Decode(aBlock.ClusterSection!).Outbound);

        // The destination's events during the call reach eth_getLogs, after the block's own logs, under the section's own hash.
        var incremented = Abi.EventTopic("Incremented(address,uint256,uint256,uint256)");
        var log = Assert.Single(b.GetLogs(new LogFilter { FromBlock = bBlock.Number, ToBlock = bBlock.Number, Addresses = [counter] }));
        Assert.Equal(incremented, log.Topics[0]);
        Assert.Equal(bBlock.Hash, log.BlockHash);
        Assert.Equal(bBlock.Transactions.Count, log.TransactionIndex);
        Assert.Null(b.GetReceipt(log.TransactionHash));
        var byHash = Assert.Single(b.GetLogs(new LogFilter { BlockHash = bBlock.Hash, Topics = [[incremented]] }));
        Assert.Equal((log.TransactionHash, log.LogIndex), (byHash.TransactionHash, byHash.LogIndex));
        Assert.Equal(log.Data, byHash.Data);
        Assert.Empty(b.GetLogs(new LogFilter { FromBlock = 0, ToBlock = bBlock.Number - 1, Addresses = [counter] }));

        // eth_call simulates across chains without changing either.
        var simulated = kit.Call(a, caller, Abi.Call("readRemote(uint256,address)", b.ChainId, counter));
        Assert.Equal(new UInt256(5), new AbiReader(simulated).Word(0));
        Assert.Equal(bHead + 1, b.Head.Number);
    }

    [Fact]
    public async Task A_call_that_fails_on_B_leaves_both_chains_unchanged()
    {
        await using var kit = new ClusterTestKit();
        var (a, b) = (kit[0], kit[1]);
        var counter = kit.Deploy(b, "RemoteCounter");
        var caller = kit.Deploy(a, "SyncCaller");
        kit.Send(a, 1, caller, Abi.Call("incrementRemote(uint256,address,uint256)", b.ChainId, counter, new UInt256(2)));
        var bHead = b.Head.Number;
        var bRoot = b.Head.StateRoot;

        var receipt = kit.Send(a, 1, caller, Abi.Call("incrementRemoteExpectRevert(uint256,address,uint256)", b.ChainId, counter, new UInt256(7)));
        Assert.False(receipt.Success);
        Assert.Equal(new UInt256(2), kit.CallWord(b, counter, "value()"));
        Assert.Equal(UInt256.One, kit.CallWord(a, caller, "localWrites()"));
        Assert.Equal(bHead, b.Head.Number);
        Assert.Equal(bRoot, b.Head.StateRoot);
    }

    [Fact]
    public async Task Re_entering_the_origin_chain_is_refused()
    {
        await using var kit = new ClusterTestKit();
        var (a, b) = (kit[0], kit[1]);
        var localCounter = kit.Deploy(a, "RemoteCounter");
        var callerA = kit.Deploy(a, "SyncCaller");
        var callerB = kit.Deploy(b, "SyncCaller");

        var receipt = kit.Send(a, 1, callerA, Abi.Call("pingPongWithCounter(uint256,address,address)", b.ChainId, callerB, localCounter));
        Assert.True(receipt.Success);
        Assert.Equal(UInt256.Zero, kit.CallWord(a, callerA, "lastOk()"));
    }
}
