using Thalamus.Core;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Multicast.Tests;

/// <summary>Channels, subscriptions and publishes on a cluster of three automining chains (A, B, C).</summary>
public sealed class MulticastDeliveryTests
{
    private static System.Text.Json.JsonElement MulticastRpc(MulticastKit kit, Hash256 id, int chain = 1)
    {
        using var rpc = kit.Rpc(chain);
        return Result(rpc, "multicast_getPublish", $"[\"{id}\"]");
    }

    [Fact]
    public async Task A_publish_on_A_reaches_every_subscriber_on_A_B_and_C_exactly_once_with_CALL_and_PLAIN()
    {
        await using var kit = new MulticastKit();
        var (a, b, c) = (kit[0], kit[1], kit[2]);
        var onA = kit.Deploy(a, "MulticastSubscriber");
        var onB = kit.Deploy(b, "MulticastSubscriber");
        var onC = kit.Deploy(c, "MulticastSubscriber");
        var channel = kit.CreateChannel(a);
        Assert.True(kit.Subscribe(a, channel, onA).Success);
        Assert.True(kit.Subscribe(b, channel, onB, MulticastKit.StoreSelector).Success);
        Assert.True(kit.Subscribe(c, channel, onC).Success);
        Assert.True(kit.Subscribe(c, channel, onC, MulticastKit.StoreSelector).Success);
        kit.Drain();
        Assert.Equal(4u, kit.Channel(a, channel).SubscriberCount);

        var (_, plain) = kit.Publish(a, channel, MulticastKit.PlainMessage([0xca, 0xfe]));
        kit.Drain();
        // PLAIN goes to onMulticast of every subscription; C has two.
        Assert.Equal(1UL, kit.Received(a, onA));
        Assert.Equal(1UL, kit.Received(b, onB));
        Assert.Equal(2UL, kit.Received(c, onC));

        var (_, call) = kit.Publish(a, channel, MulticastKit.CallMessage(42));
        kit.Drain();
        // CALL calls the subscription's selector (store(42)); a subscription without one gets onMulticast.
        Assert.Equal(42UL, (ulong)kit.Word(b, onB, "lastValue()"));
        Assert.Equal(42UL, (ulong)kit.Word(c, onC, "lastValue()"));
        Assert.Equal(2UL, kit.Received(a, onA));
        Assert.Equal(2UL, kit.Received(b, onB));
        Assert.Equal(4UL, kit.Received(c, onC));
        foreach (var id in new[] { plain, call })
        {
            var aggregate = kit.Aggregate(a, id);
            Assert.Equal(4u, aggregate.Total);
            Assert.Equal(4u, aggregate.Delivered);
            Assert.Equal(0u, aggregate.Failed);
            Assert.Equal("complete", MulticastRpc(kit, id).GetProperty("status").GetString());
        }
        Assert.Equal(0UL, kit.OutOfOrder(a, onA));
        Assert.Equal(0UL, kit.OutOfOrder(b, onB));
    }
}
