using Thalamus.Chain;
using Thalamus.Core;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Multicast.Tests;

/// <summary>A publish made on a chain other than the channel's home chain is forwarded to the home chain in the same transaction and fanned out from there.</summary>
public sealed class MulticastForwardedPublishTests
{
    private static Hash256 PublishId(Hash256 channel, ulong seq) => Keccak256.Compute(Abi.Encode(channel, seq));

    [Fact]
    public async Task Publishes_from_B_A_and_C_are_numbered_on_the_home_chain_and_every_subscriber_gets_each_once_in_that_order()
    {
        await using var kit = new MulticastKit();
        var (a, b, c) = (kit[0], kit[1], kit[2]);
        var subscribers = new[] { (a, kit.Deploy(a, "MulticastSubscriber")), (b, kit.Deploy(b, "MulticastSubscriber")), (c, kit.Deploy(c, "MulticastSubscriber")) };
        var channel = kit.CreateChannel(a);
        foreach (var (chain, target) in subscribers) Assert.True(kit.Subscribe(chain, channel, target).Success);
        kit.Drain();
        var feesOnB = b.GetBalance(MulticastPredeploys.Multicaster, BlockSelector.Latest);

        // Four publishes before any fan-out: from B, the home chain A, C, and B again.
        var origins = new[] { b, a, c, b };
        var ids = new List<Hash256>();
        var quotedOnB = UInt256.Zero;
        for (var i = 0; i < origins.Length; i++)
        {
            if (origins[i] == b) quotedOnB += kit.Quote(b, channel, 1);
            var (receipt, id) = kit.Publish(origins[i], channel, MulticastKit.PlainMessage([(byte)(i + 1)]));
            ids.Add(id);
            // Numbered on the home chain in publish order, whichever chain it was made on.
            Assert.Equal(PublishId(channel, (ulong)i + 1), id);
            if (origins[i] != a)
                Assert.Contains(receipt.Logs, l => l.Address == MulticastPredeploys.Multicaster && l.Topics[0] == Abi.EventTopic("PublishForwarded(bytes32,bytes32,uint256,address)"));
        }
        Assert.Equal(4UL, (ulong)kit.Word(a, MulticastPredeploys.Multicaster, "publishCount(bytes32)", channel));
        Assert.Equal(0UL, (ulong)kit.Word(b, MulticastPredeploys.Multicaster, "publishCount(bytes32)", channel));
        kit.Drain();

        foreach (var (chain, target) in subscribers)
        {
            Assert.Equal(4UL, kit.Received(chain, target));
            Assert.Equal(0UL, kit.OutOfOrder(chain, target));
            Assert.Equal(4UL, (ulong)kit.Word(chain, target, "lastSeq()"));
        }
        using var rpc = kit.Rpc(2);
        foreach (var id in ids)
        {
            var aggregate = kit.Aggregate(a, id);
            Assert.Equal((3u, 3u, 0u), (aggregate.Total, aggregate.Delivered, aggregate.Failed));
            Assert.Equal("complete", Result(rpc, "multicast_getPublish", $"[\"{id}\"]").GetProperty("status").GetString());
        }
        // The fee of a forwarded publish stays with the Multicaster of the chain it was paid on.
        Assert.Equal(feesOnB + quotedOnB, b.GetBalance(MulticastPredeploys.Multicaster, BlockSelector.Latest));
    }

    [Fact]
    public async Task A_forwarded_publish_refused_at_home_reverts_on_both_chains_and_publishFrom_takes_no_direct_call()
    {
        await using var kit = new MulticastKit();
        var (a, b) = (kit[0], kit[1]);
        var target = kit.Deploy(b, "MulticastSubscriber");
        var channel = kit.CreateChannel(a);
        kit.Subscribe(b, channel, target);
        kit.Drain();
        var multicaster = MulticastPredeploys.Multicaster;

        Assert.Equal("Multicaster: only the channel owner publishes",
            kit.Refusal(b, 1, multicaster, MulticastKit.PublishData(channel, MulticastKit.PlainMessage([1])), kit.Quote(b, channel, 1)));
        Assert.Equal($"Multicaster: the publish fee is {kit.Quote(b, channel, 1)} wei, 0 paid",
            kit.Refusal(b, 0, multicaster, MulticastKit.PublishData(channel, MulticastKit.PlainMessage([1]))));
        var fromStranger = Abi.Call("publishFrom(address,bytes32,bytes)", MulticastKit.Accounts[0].Address, channel, AbiValue.Bytes(MulticastKit.PlainMessage([1])));
        Assert.Equal("Multicaster: publishFrom is only for the Multicaster of another member chain (a forwarded publish)", kit.Refusal(a, 0, multicaster, fromStranger));
        kit.Drain();
        Assert.Equal(0UL, (ulong)kit.Word(a, multicaster, "publishCount(bytes32)", channel));
        Assert.Equal(0UL, kit.Received(b, target));
        Assert.DoesNotContain(kit.Cluster.Chains, kit.Module.HasPendingWork);
    }
}
