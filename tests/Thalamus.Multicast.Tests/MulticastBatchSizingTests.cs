using Thalamus.Core;
using Xunit.Abstractions;

namespace Thalamus.Multicast.Tests;

/// <summary>Delivery batches sized by measured gas: more subscribers per block than the worst-case reservation, and a batch whose deliveries cost more than measured stops early without losing or repeating any.</summary>
public sealed class MulticastBatchSizingTests(ITestOutputHelper output)
{
    private static (Hash256 Channel, Address Counter) Setup(MulticastKit kit, uint subscribers)
    {
        var channel = kit.CreateChannel(kit[0], gasPerDelivery: 100_000);
        var counter = kit.Deploy(kit[1], "MulticastCounter");
        kit.SubscribeMany(kit[1], counter, channel, 1, subscribers);
        kit.Drain();
        Assert.Equal(subscribers, kit.Channel(kit[0], channel).SubscriberCount);
        return (channel, counter);
    }

    private static void AssertCounted(MulticastKit kit, Address counter, uint subscribers, ulong publishes)
    {
        Assert.Equal(subscribers * publishes, (ulong)kit.Word(kit[1], counter, "total()"));
        Assert.Equal(0UL, (ulong)kit.Word(kit[1], counter, "duplicates()"));
        Assert.Equal(0UL, (ulong)kit.Word(kit[1], counter, "outOfOrder()"));
        foreach (var selector in new uint[] { 1, subscribers / 2, subscribers })
            Assert.Equal(publishes, (ulong)kit.Word(kit[1], counter, "countOf(bytes4)", AbiValue.FromWord(MulticastKit.Bytes4(selector))));
    }

    [Fact]
    public async Task Batches_sized_by_measured_gas_reach_everyone_in_fewer_blocks_than_the_worst_case_reservation()
    {
        const uint subscribers = 400;
        var blocks = new Dictionary<bool, int[]>();
        foreach (var measured in new[] { false, true })
        {
            await using var kit = new MulticastKit(chains: 2, sizeByMeasuredGas: measured);
            var (channel, counter) = Setup(kit, subscribers);
            blocks[measured] = new int[2];
            for (var publish = 0; publish < 2; publish++)
            {
                var before = kit.DeliveryBlocks(kit[1]);
                var (_, id) = kit.Publish(kit[0], channel, MulticastKit.CallMessage((ulong)publish + 1));
                kit.Drain();
                AssertCounted(kit, counter, subscribers, (ulong)publish + 1);
                var aggregate = kit.Aggregate(kit[0], id);
                Assert.Equal((subscribers, subscribers, 0u), (aggregate.Total, aggregate.Delivered, aggregate.Failed));
                blocks[measured][publish] = kit.DeliveryBlocks(kit[1]) - before;
            }
            var batches = kit.DeliverBatches(kit[1]);
            Assert.All(batches, b => Assert.Equal(b.Sent, b.Delivered));
            output.WriteLine($"{(measured ? "measured gas" : "reservation ")}: {subscribers} subscribers in {blocks[measured][0]} then {blocks[measured][1]} blocks, batches {string.Join(' ', batches.Select(b => b.Delivered))}, last measured {kit.Module.MeasuredGasPerDelivery(kit[1].ChainId, channel)} gas/delivery");
        }
        // The reservation (gasPerDelivery × 64/63 + 46,000 ≈ 147,600 a subscriber) fits 9 in the 1,500,000-gas share. A first
        // delivery to a new subscription writes its counters (~53,000 gas), a later one ~16,000.
        Assert.True(blocks[true][0] * 2 < blocks[false][0], $"first publish: measured {blocks[true][0]} blocks, reservation {blocks[false][0]}");
        Assert.True(blocks[true][1] * 4 < blocks[false][1], $"second publish: measured {blocks[true][1]} blocks, reservation {blocks[false][1]}");
    }

    [Fact]
    public async Task A_batch_whose_deliveries_cost_more_than_measured_stops_early_and_the_rest_follow_in_the_next_blocks()
    {
        const uint subscribers = 300;
        await using var kit = new MulticastKit(chains: 2);
        var (channel, counter) = Setup(kit, subscribers);
        for (ulong publish = 1; publish <= 2; publish++)
        {
            kit.Publish(kit[0], channel, MulticastKit.CallMessage(publish));
            kit.Drain();
        }
        var cheap = kit.Module.MeasuredGasPerDelivery(kit[1].ChainId, channel);
        Assert.NotNull(cheap);
        var batchesBefore = kit.DeliverBatches(kit[1]).Count;

        // Every delivery now does extra work (still within its 100,000 gas): batches sized by the cheap measurement overrun.
        Assert.True(kit.Send(kit[1], 0, counter, Abi.Call("setBurn(uint256)", 300UL)).Success);
        var (_, id) = kit.Publish(kit[0], channel, MulticastKit.CallMessage(3));
        kit.Drain();

        AssertCounted(kit, counter, subscribers, 3);
        var aggregate = kit.Aggregate(kit[0], id);
        Assert.Equal((subscribers, subscribers, 0u), (aggregate.Total, aggregate.Delivered, aggregate.Failed));
        var batches = kit.DeliverBatches(kit[1]).Skip(batchesBefore).ToList();
        output.WriteLine($"measured {cheap} then {kit.Module.MeasuredGasPerDelivery(kit[1].ChainId, channel)} gas/delivery; batches (sent → delivered): {string.Join(", ", batches.Select(b => $"{b.Sent}→{b.Delivered}"))}");
        Assert.Contains(batches, b => b.Delivered < b.Sent);
        Assert.Equal((int)subscribers, batches.Sum(b => b.Delivered));
        Assert.True(kit.Module.MeasuredGasPerDelivery(kit[1].ChainId, channel) > cheap);
    }
}
