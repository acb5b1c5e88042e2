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

    [Fact]
    public async Task Channel_and_subscription_state_is_the_same_on_every_chain_once_replicated()
    {
        await using var kit = new MulticastKit(chains: 4);
        var channel = kit.CreateChannel(kit[1], allowListOnly: true, fee: 1000);
        kit.Send(kit[1], 0, MulticastPredeploys.Registry, Abi.Call("setAllowed(bytes32,address[],bool)", channel,
            AbiValue.Array(MulticastKit.Accounts[1].Address, MulticastKit.Accounts[2].Address), true));
        for (var i = 0; i < 4; i++)
        {
            var target = kit.Deploy(kit[i], "MulticastSubscriber");
            Assert.True(kit.Subscribe(kit[i], channel, target, account: 1 + i % 2, fee: 1000).Success);
        }
        var gone = kit.Deploy(kit[3], "MulticastSubscriber");
        Assert.True(kit.Subscribe(kit[3], channel, gone, MulticastKit.StoreSelector, account: 1, fee: 1000).Success);
        Assert.True(kit.Unsubscribe(kit[3], channel, gone, MulticastKit.StoreSelector, account: 1).Success);
        kit.Drain();

        var home = kit.Channel(kit[1], channel);
        Assert.Equal(4u, home.SubscriberCount);
        Assert.Equal(kit[1].ChainId, home.HomeChainId);
        for (var i = 0; i < 4; i++)
        {
            Assert.Equal(home, kit.Channel(kit[i], channel));
            Assert.Equal(1UL, (ulong)kit.Word(kit[i], MulticastPredeploys.Registry, "allowed(bytes32,address)", channel, MulticastKit.Accounts[2].Address));
            Assert.Equal(0UL, (ulong)kit.Word(kit[i], MulticastPredeploys.Registry, "allowed(bytes32,address)", channel, MulticastKit.Accounts[3].Address));
        }
    }

    [Fact]
    public async Task Channel_ids_differ_for_the_same_creator_and_nonce_on_two_chains()
    {
        await using var kit = new MulticastKit(chains: 2);
        var onA = kit.CreateChannel(kit[0]);
        var onB = kit.CreateChannel(kit[1]);
        var again = kit.CreateChannel(kit[0]);
        Assert.NotEqual(onA, onB);
        Assert.NotEqual(onA, again);
        kit.Drain();
        Assert.Equal(kit[0].ChainId, kit.Channel(kit[1], onA).HomeChainId);
        Assert.Equal(kit[1].ChainId, kit.Channel(kit[0], onB).HomeChainId);
    }

    [Fact]
    public async Task An_unsubscribe_takes_effect_for_the_next_publish()
    {
        await using var kit = new MulticastKit();
        var channel = kit.CreateChannel(kit[0]);
        var stays = kit.Deploy(kit[1], "MulticastSubscriber");
        var leaves = kit.Deploy(kit[2], "MulticastSubscriber");
        kit.Subscribe(kit[1], channel, stays);
        kit.Subscribe(kit[2], channel, leaves);
        kit.Drain();
        kit.Publish(kit[0], channel, MulticastKit.PlainMessage([1]));
        kit.Drain();
        Assert.True(kit.Unsubscribe(kit[2], channel, leaves).Success);
        kit.Drain();
        var (_, second) = kit.Publish(kit[0], channel, MulticastKit.PlainMessage([2]));
        kit.Drain();

        Assert.Equal(2UL, kit.Received(kit[1], stays));
        Assert.Equal(1UL, kit.Received(kit[2], leaves));
        Assert.Equal(1u, kit.Aggregate(kit[0], second).Total);
        Assert.Equal(1u, kit.Aggregate(kit[0], second).Delivered);
    }

    [Fact]
    public async Task An_allow_listed_channel_refuses_a_stranger_and_takes_the_fee_from_an_allowed_subscriber()
    {
        await using var kit = new MulticastKit();
        var channel = kit.CreateChannel(kit[0], allowListOnly: true, fee: 5_000);
        kit.Send(kit[0], 0, MulticastPredeploys.Registry, Abi.Call("setAllowed(bytes32,address[],bool)", channel, AbiValue.Array(MulticastKit.Accounts[1].Address), true));
        kit.Drain();
        var target = kit.Deploy(kit[1], "MulticastSubscriber");

        var stranger = kit.Refusal(kit[1], 2, MulticastPredeploys.Registry, MulticastKit.SubscribeData(channel, target, 0), new UInt256(5_000));
        Assert.Equal($"MulticastRegistry: {MulticastKit.Accounts[2].Address.ToString().ToLowerInvariant()} is not on the channel's allow-list", stranger);
        var unpaid = kit.Refusal(kit[1], 1, MulticastPredeploys.Registry, MulticastKit.SubscribeData(channel, target, 0), new UInt256(4_999));
        Assert.Equal("MulticastRegistry: the subscription fee is 5000 wei, 4999 paid", unpaid);

        var owner = MulticastKit.Accounts[0].Address;
        var before = kit[1].GetBalance(owner, Thalamus.Chain.BlockSelector.Latest);
        Assert.True(kit.Subscribe(kit[1], channel, target, account: 1, fee: 5_000).Success);
        Assert.Equal(before + new UInt256(5_000), kit[1].GetBalance(owner, Thalamus.Chain.BlockSelector.Latest));
        kit.Drain();
        Assert.Equal(1u, kit.Channel(kit[2], channel).SubscriberCount);
    }

    [Fact]
    public async Task A_reverting_subscriber_is_recorded_and_retryable_while_the_others_receive()
    {
        await using var kit = new MulticastKit();
        var channel = kit.CreateChannel(kit[0]);
        var good = kit.Deploy(kit[1], "MulticastSubscriber");
        var bad = kit.Deploy(kit[2], "MulticastSubscriber");
        var alsoGood = kit.Deploy(kit[2], "MulticastSubscriber");
        kit.Send(kit[2], 0, bad, Abi.Call("setReverting(bool)", true));
        kit.Subscribe(kit[1], channel, good);
        kit.Subscribe(kit[2], channel, bad);
        kit.Subscribe(kit[2], channel, alsoGood);
        kit.Drain();
        var message = MulticastKit.PlainMessage([7, 7]);
        var (_, id) = kit.Publish(kit[0], channel, message);
        kit.Drain();

        Assert.Equal(1UL, kit.Received(kit[1], good));
        Assert.Equal(1UL, kit.Received(kit[2], alsoGood));
        Assert.Equal(0UL, kit.Received(kit[2], bad));
        var aggregate = kit.Aggregate(kit[0], id);
        Assert.Equal((3u, 2u, 1u), (aggregate.Total, aggregate.Delivered, aggregate.Failed));
        using (var rpc = kit.Rpc(2))
        {
            var publish = Result(rpc, "multicast_getPublish", $"[\"{id}\"]");
            var failure = Assert.Single(publish.GetProperty("failures").EnumerateArray());
            Assert.Equal("MulticastSubscriber: told to revert", failure.GetProperty("reason").GetString());
            Assert.Equal(bad.ToString().ToLowerInvariant(), failure.GetProperty("target").GetString());
            Assert.Equal("0x1", publish.GetProperty("failed").GetString());
        }

        // Anyone retries once the subscriber is fixed; the aggregate on A moves the failure to delivered.
        kit.Send(kit[2], 0, bad, Abi.Call("setReverting(bool)", false));
        var index = (ulong)kit.Module.Find(id)!.Failures[0].Index;
        var retry = Abi.Call("retry(bytes32,uint64,uint256,address,uint32,(address,bytes4),bytes)", channel, 1UL, kit[0].ChainId,
            MulticastKit.Accounts[0].Address, index, AbiValue.Tuple(bad, AbiValue.FromWord(UInt256.Zero)), AbiValue.Bytes(message));
        Assert.True(kit.Send(kit[2], 3, MulticastPredeploys.Multicaster, retry).Success);
        Assert.Equal(1UL, kit.Received(kit[2], bad));
        kit.Drain();
        aggregate = kit.Aggregate(kit[0], id);
        Assert.Equal((3u, 3u, 0u), (aggregate.Total, aggregate.Delivered, aggregate.Failed));
        // Not twice.
        Assert.Equal("Multicaster: no such failed delivery", kit.Refusal(kit[2], 3, MulticastPredeploys.Multicaster, retry));
    }

    [Fact]
    public async Task Acknowledgements_of_subscribers_on_other_chains_are_counted_on_the_home_chain_once_each()
    {
        await using var kit = new MulticastKit();
        // An acknowledging subscriber calls Multicaster.ack inside its delivery: it needs the gas.
        var channel = kit.CreateChannel(kit[0], gasPerDelivery: 200_000);
        var targets = new[] { (1, kit.Deploy(kit[1], "MulticastSubscriber")), (2, kit.Deploy(kit[2], "MulticastSubscriber")), (0, kit.Deploy(kit[0], "MulticastSubscriber")) };
        foreach (var (chain, target) in targets)
        {
            kit.Send(kit[chain], 0, target, Abi.Call("setAcking(bool,bytes4)", true, AbiValue.FromWord(UInt256.Zero)));
            kit.Subscribe(kit[chain], channel, target);
        }
        var silent = kit.Deploy(kit[2], "MulticastSubscriber");
        kit.Subscribe(kit[2], channel, silent);
        kit.Drain();
        var (_, id) = kit.Publish(kit[0], channel, MulticastKit.PlainMessage([1], MulticastFlags.AckRequested));
        kit.Drain();

        var aggregate = kit.Aggregate(kit[0], id);
        Assert.Equal((4u, 4u, 3u), (aggregate.Total, aggregate.Delivered, aggregate.Acks));
        Assert.Equal(MulticastFlags.AckRequested, aggregate.Flags);
        // A stranger cannot acknowledge.
        var ack = Abi.Call("ack(bytes32,bytes32,bytes4,bytes)", id, channel, AbiValue.FromWord(UInt256.Zero),
            AbiValue.Bytes(MulticastHeader.Of(MulticastMessageType.Ack).Message([])));
        Assert.Equal("Multicaster: only a subscriber acknowledges", kit.Refusal(kit[1], 1, MulticastPredeploys.Multicaster, ack));
    }

    [Fact]
    public async Task Bad_publishes_are_refused_with_the_reason_and_deliver_nothing()
    {
        await using var kit = new MulticastKit();
        var channel = kit.CreateChannel(kit[0]);
        var target = kit.Deploy(kit[1], "MulticastSubscriber");
        kit.Subscribe(kit[1], channel, target);
        kit.Drain();
        var multicaster = MulticastPredeploys.Multicaster;
        var fee = kit.Quote(kit[0], channel, 1);
        Assert.True(fee > UInt256.Zero);

        Assert.Equal("Multicast: message shorter than its 4-byte header", kit.Refusal(kit[0], 0, multicaster, MulticastKit.PublishData(channel, [1, 3]), fee));
        Assert.Equal("Multicast: unknown header version 9", kit.Refusal(kit[0], 0, multicaster, MulticastKit.PublishData(channel, [9, 3, 0, 0, 1]), fee));
        Assert.Equal("Multicast: unknown header type 7", kit.Refusal(kit[0], 0, multicaster, MulticastKit.PublishData(channel, [1, 7, 0, 0, 1]), fee));
        Assert.Equal("Multicast: header type 0 is reserved", kit.Refusal(kit[0], 0, multicaster, MulticastKit.PublishData(channel, [1, 0, 0, 0, 1]), fee));
        Assert.Equal("Multicaster: a SYN message is not published (PLAIN or CALL only)", kit.Refusal(kit[0], 0, multicaster, MulticastKit.PublishData(channel, [1, 1, 0, 0, 1]), fee));
        var nowhere = new Hash256(Keccak256Of("no such channel"));
        Assert.Equal($"Multicaster: channel {nowhere} does not exist", kit.Refusal(kit[0], 0, multicaster, MulticastKit.PublishData(nowhere, MulticastKit.PlainMessage([1])), fee));
        Assert.Equal($"Multicaster: the publish fee is {fee} wei, {fee - UInt256.One} paid",
            kit.Refusal(kit[0], 0, multicaster, MulticastKit.PublishData(channel, MulticastKit.PlainMessage([1])), fee - UInt256.One));
        Assert.Equal("Multicaster: only the channel owner publishes", kit.Refusal(kit[0], 1, multicaster, MulticastKit.PublishData(channel, MulticastKit.PlainMessage([1])), fee));
        // From another chain the publish is forwarded to the home chain, which refuses a stranger the same way (and numbers nothing).
        Assert.Equal("Multicaster: only the channel owner publishes", kit.Refusal(kit[1], 1, multicaster, MulticastKit.PublishData(channel, MulticastKit.PlainMessage([1])), kit.Quote(kit[1], channel, 1)));

        kit.Drain();
        Assert.Equal(0UL, (ulong)kit.Word(kit[0], multicaster, "publishCount(bytes32)", channel));
        Assert.Equal(0UL, kit.Received(kit[1], target));
        Assert.DoesNotContain(kit.Cluster.Chains, kit.Module.HasPendingWork);
        // Only the node's account delivers.
        var forged = Abi.Call("deliver((bytes32,uint64,uint256,address,uint32,uint32),(address,bytes4)[],bytes)",
            AbiValue.Tuple(channel, 1UL, kit[0].ChainId, MulticastKit.Accounts[0].Address, 0UL, 1UL),
            AbiValue.Array(AbiValue.Tuple(target, AbiValue.FromWord(UInt256.Zero))), AbiValue.Bytes(MulticastKit.PlainMessage([1])));
        Assert.Equal("Multicaster: only the multicast system account delivers", kit.Refusal(kit[1], 0, multicaster, forged));
    }

    [Fact]
    public async Task The_rpc_pages_a_channel_subscribers_and_answers_null_for_unknown_ids()
    {
        await using var kit = new MulticastKit();
        var channel = kit.CreateChannel(kit[0]);
        var counter = kit.Deploy(kit[2], "MulticastCounter");
        kit.Send(kit[2], 0, counter, Abi.Call("subscribeMany(bytes32,uint32,uint32)", channel, 1UL, 5UL));
        kit.Drain();
        using var rpc = kit.Rpc(1);

        var first = Result(rpc, "multicast_getChannel", $"[\"{channel}\", {{\"limit\": 3}}]");
        Assert.Equal("0x5", first.GetProperty("subscriberCount").GetString());
        Assert.Equal(3, first.GetProperty("subscribers").GetArrayLength());
        Assert.Equal("0x3", first.GetProperty("nextCursor").GetString());
        var second = Result(rpc, "multicast_getChannel", $"[\"{channel}\", {{\"cursor\": 3, \"limit\": 3}}]");
        Assert.Equal(2, second.GetProperty("subscribers").GetArrayLength());
        Assert.Equal(System.Text.Json.JsonValueKind.Null, second.GetProperty("nextCursor").ValueKind);
        Assert.Equal("0x00000005", second.GetProperty("subscribers")[1].GetProperty("selector").GetString());

        var nowhere = new Hash256(Keccak256Of("nowhere"));
        Assert.Equal(System.Text.Json.JsonValueKind.Null, Result(rpc, "multicast_getChannel", $"[\"{nowhere}\"]").ValueKind);
        Assert.Equal(System.Text.Json.JsonValueKind.Null, Result(rpc, "multicast_getPublish", $"[\"{nowhere}\"]").ValueKind);
        var (code, message, _) = Error(rpc, "multicast_getChannel", $"[\"{channel}\", {{\"limit\": 0}}]");
        Assert.Equal(Thalamus.Rpc.RpcErrorCodes.InvalidParams, code);
        Assert.Contains("limit 0 is out of range", message);
    }

    private static byte[] Keccak256Of(string text) => Keccak256.Compute(System.Text.Encoding.UTF8.GetBytes(text)).Bytes.ToArray();

    [Fact]
    public async Task A_replayed_delivery_batch_is_refused_by_the_cursor_and_a_transaction_signed_with_the_node_account_s_public_key_by_the_pool()
    {
        await using var kit = new MulticastKit();
        var channel = kit.CreateChannel(kit[0]);
        var target = kit.Deploy(kit[1], "MulticastSubscriber");
        kit.Subscribe(kit[1], channel, target);
        kit.Drain();
        var message = MulticastKit.PlainMessage([5]);
        kit.Publish(kit[0], channel, message);
        kit.Drain();
        Assert.Equal(1UL, kit.Received(kit[1], target));

        // The same batch again, signed by the node's multicast account (its key is public): the cursor refuses it.
        var b = kit[1];
        var replay = MulticastAbi.EncodeDeliver(channel, 1, kit[0].ChainId, MulticastKit.Accounts[0].Address, 0, 1,
            [new Subscription(target, b.ChainId, 0, MulticastKit.Accounts[0].Address)], message);
        var call = b.Call(new Thalamus.Chain.CallRequest { From = MulticastPredeploys.Account.Address, To = MulticastPredeploys.Multicaster, Data = replay }, Thalamus.Chain.BlockSelector.Latest);
        Assert.Equal("Multicaster: batch out of order", call.RevertReason);
        var tx = MulticastPredeploys.Account.Sign(b.ChainId, MulticastPredeploys.Account.NonceOn(b), MulticastPredeploys.Multicaster, replay, 2_000_000, new UInt256(100_000_000_000));
        var refused = Assert.Throws<Thalamus.Chain.TxPoolException>(() => b.SendTransaction(tx.Transaction));
        Assert.Contains("is the node's system account \"thalamus.multicast\": only the node signs its transactions", refused.Message);
        Assert.Equal(1UL, kit.Received(kit[1], target));
    }
}
