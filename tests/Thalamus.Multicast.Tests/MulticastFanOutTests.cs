using Thalamus.Core;
using Thalamus.Storage;

namespace Thalamus.Multicast.Tests;

/// <summary>Fan-outs larger than a block's share of gas: across blocks, in order, exactly once, and across a restart.</summary>
public sealed class MulticastFanOutTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-multicast-test-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    /// <summary>A channel on chain 0 and one MulticastCounter per chain subscribed <paramref name="perChain"/> times.</summary>
    private static (Hash256 Channel, Address[] Counters) Setup(MulticastKit kit, uint perChain, uint chunk = 100, uint gasPerDelivery = 100_000, ulong burn = 0)
    {
        var channel = kit.CreateChannel(kit[0], gasPerDelivery: gasPerDelivery);
        var counters = new Address[kit.Cluster.Chains.Count];
        for (var i = 0; i < counters.Length; i++)
        {
            counters[i] = kit.Deploy(kit[i], "MulticastCounter");
            if (burn > 0) Assert.True(kit.Send(kit[i], 0, counters[i], Abi.Call("setBurn(uint256)", burn)).Success);
            kit.SubscribeMany(kit[i], counters[i], channel, 1, perChain, chunk);
        }
        kit.Drain();
        Assert.Equal(perChain * (uint)counters.Length, kit.Channel(kit[counters.Length - 1], channel).SubscriberCount);
        return (channel, counters);
    }

    private static void AssertExactlyOnceInOrder(MulticastKit kit, Address[] counters, uint perChain, ulong publishes)
    {
        for (var i = 0; i < counters.Length; i++)
        {
            Assert.Equal(perChain * publishes, (ulong)kit.Word(kit[i], counters[i], "total()"));
            Assert.Equal(0UL, (ulong)kit.Word(kit[i], counters[i], "duplicates()"));
            Assert.Equal(0UL, (ulong)kit.Word(kit[i], counters[i], "outOfOrder()"));
            foreach (var selector in new uint[] { 1, perChain / 2, perChain })
            {
                Assert.Equal(publishes, (ulong)kit.Word(kit[i], counters[i], "countOf(bytes4)", AbiValue.FromWord(MulticastKit.Bytes4(selector))));
                Assert.Equal(publishes, (ulong)kit.Word(kit[i], counters[i], "lastSeqOf(bytes4)", AbiValue.FromWord(MulticastKit.Bytes4(selector))));
            }
        }
    }

    [Fact]
    public async Task A_fan_out_larger_than_a_block_continues_in_the_next_blocks_and_reaches_everyone_once_in_publish_order()
    {
        const uint perChain = 300;
        await using var kit = new MulticastKit(chains: 3);
        var (channel, counters) = Setup(kit, perChain);
        var (_, first) = kit.Publish(kit[0], channel, MulticastKit.CallMessage(1));
        var (_, second) = kit.Publish(kit[0], channel, MulticastKit.CallMessage(2));
        kit.Drain();

        AssertExactlyOnceInOrder(kit, counters, perChain, 2);
        foreach (var id in new[] { first, second })
        {
            var aggregate = kit.Aggregate(kit[0], id);
            Assert.Equal((3 * perChain, 3 * perChain, 0u), (aggregate.Total, aggregate.Delivered, aggregate.Failed));
        }
        // 300 deliveries do not fit the 5 % share (1,500,000 gas) of one block even at their measured gas (over 5,000 each):
        // each publish took at least two blocks on every chain.
        for (var i = 0; i < 3; i++) Assert.True(kit.DeliveryBlocks(kit[i]) >= 4, $"chain {i}: {kit.DeliveryBlocks(kit[i])} blocks");
    }

    [Fact]
    public async Task A_restart_in_the_middle_of_a_fan_out_loses_nothing_and_delivers_nothing_twice()
    {
        const uint perChain = 400;
        var path = Path.Combine(_directory, "cluster.db");
        Hash256 channel, id;
        Address[] counters;
        var database = ClusterDatabase.Open(path);
        var kit = new MulticastKit(chains: 3, database: database);
        // Deliveries of ~170,000 gas (the counter burns gas): ~7 fit the 5 % share of a block, so the fan-out outlasts the publishing slot.
        (channel, counters) = Setup(kit, perChain, gasPerDelivery: 300_000, burn: 600);
        (_, id) = kit.Publish(kit[0], channel, MulticastKit.CallMessage(7));
        var before = kit.Module.Find(id)!;
        Assert.False(before.IsComplete);
        Assert.True(before.Delivered > 0);
        // What a kill -9 leaves: the database as the last committed slot wrote it (slots commit whole), no shutdown.
        database.Dispose();

        using (var reopened = ClusterDatabase.Open(path))
        {
            await using var again = new MulticastKit(chains: 3, database: reopened);
            Assert.True(again.Module.ResumedFromCheckpoint);
            var resumed = again.Module.Find(id)!;
            Assert.Equal(before.Delivered, resumed.Delivered);
            Assert.False(resumed.IsComplete);
            again.Drain();
            Assert.True(again.Module.Find(id)!.IsComplete);
            AssertExactlyOnceInOrder(again, counters, perChain, 1);
            var aggregate = again.Aggregate(again[0], id);
            Assert.Equal((3 * perChain, 3 * perChain), (aggregate.Total, aggregate.Delivered));
        }
        await kit.DisposeAsync();
    }

    [Fact]
    public async Task A_fan_out_to_10000_subscribers_over_16_chains_reaches_each_exactly_once_in_order()
    {
        const uint perChain = 625;
        await using var kit = new MulticastKit(chains: 16, share: 0.5);
        var (channel, counters) = Setup(kit, perChain, chunk: 150);
        Assert.Equal(10_000u, kit.Channel(kit[7], channel).SubscriberCount);
        var (_, first) = kit.Publish(kit[0], channel, MulticastKit.CallMessage(1));
        var (_, second) = kit.Publish(kit[0], channel, MulticastKit.CallMessage(2));
        kit.Drain();

        AssertExactlyOnceInOrder(kit, counters, perChain, 2);
        foreach (var id in new[] { first, second })
        {
            var aggregate = kit.Aggregate(kit[0], id);
            Assert.Equal((10_000u, 10_000u, 0u), (aggregate.Total, aggregate.Delivered, aggregate.Failed));
        }
        // 625 deliveries reserve more than half a block on each chain: every chain took several blocks.
        for (var i = 0; i < 16; i++) Assert.True(kit.DeliveryBlocks(kit[i]) >= 4, $"chain {i}: {kit.DeliveryBlocks(kit[i])} blocks");
    }
}
