using Thalamus.Core;

namespace Thalamus.Multicast;

/// <summary>One subscription: a contract on a chain, called with its selector for CALL messages (onMulticast for PLAIN).</summary>
public readonly record struct Subscription(Address Target, ulong ChainId, uint Selector, Address Subscriber);

/// <summary>A channel as a registry replica holds it.</summary>
public sealed record ChannelState(Hash256 Id, Address Owner, ulong HomeChainId, uint GasPerDelivery, bool AllowListOnly, UInt256 SubscriptionFee, uint SubscriberCount, Hash256 Digest);

/// <summary>The home chain's aggregate of a publish (Multicaster.getPublish).</summary>
public sealed record PublishAggregate(Hash256 Channel, ulong Seq, Address Publisher, MulticastMessageType Type, MulticastFlags Flags, uint Total, uint Delivered, uint Failed, uint Acks);

/// <summary>The contracts' selectors, events and encodings the module uses (one place).</summary>
internal static class MulticastAbi
{
    public static readonly Hash256 RegistryOp = Abi.EventTopic("RegistryOp(uint64,bytes)");
    public static readonly Hash256 Replicated = Abi.EventTopic("Replicated(uint256,uint64)");
    public static readonly Hash256 Published = Abi.EventTopic("Published(bytes32,bytes32,uint64,address,uint32,bytes)");
    public static readonly Hash256 BatchDelivered = Abi.EventTopic("BatchDelivered(bytes32,bytes32,uint64,uint32,uint32,uint32,uint32)");
    public static readonly Hash256 DeliveryFailed = Abi.EventTopic("DeliveryFailed(bytes32,uint32,address,bytes)");
    public static readonly Hash256 DeliveryRetried = Abi.EventTopic("DeliveryRetried(bytes32,uint32,address)");
    public static readonly Hash256 Acknowledged = Abi.EventTopic("Acknowledged(bytes32,address,bytes4,bytes)");
    public static readonly Hash256 ResultsRecorded = Abi.EventTopic("ResultsRecorded(bytes32,uint256,uint32,uint32,uint32)");

    private static readonly AbiSelector RecordResults = Abi.Selector("recordResults((bytes32,uint64,uint32,uint32,uint32)[])");

    public static byte[] EncodeRecordResults(List<AbiValue> results) => Abi.EncodeCall(RecordResults, AbiValue.Array([.. results]));

    private static readonly AbiSelector Replicate = Abi.Selector("replicate(uint256,uint64,bytes[])");
    private static readonly AbiSelector Deliver = Abi.Selector("deliver((bytes32,uint64,uint256,address,uint32,uint32),(address,bytes4)[],bytes)");
    private static readonly AbiSelector AppliedOps = Abi.Selector("appliedOps(uint256)");
    private static readonly AbiSelector CursorOf = Abi.Selector("cursorOf(bytes32)");
    private static readonly AbiSelector GetChannel = Abi.Selector("getChannel(bytes32)");
    private static readonly AbiSelector Subscriptions = Abi.Selector("subscriptions(bytes32,uint256,uint256)");
    private static readonly AbiSelector GetPublish = Abi.Selector("getPublish(bytes32)");
    private static readonly AbiSelector PublishCount = Abi.Selector("publishCount(bytes32)");

    /// <summary>Bytes of one op (8 words: kind, channel, a, b, chainId, s, x, y).</summary>
    public const int OpLength = 8 * 32;

    public static byte[] EncodeReplicate(ulong origin, ulong firstNonce, IReadOnlyList<byte[]> ops) =>
        Abi.EncodeCall(Replicate, origin, firstNonce, AbiValue.Array([.. ops.Select(AbiValue.Bytes)]));

    public static byte[] EncodeDeliver(Hash256 channel, ulong seq, ulong home, Address publisher, int start, int chainTotal, ReadOnlySpan<Subscription> subs, byte[] message)
    {
        var items = new AbiValue[subs.Length];
        for (var i = 0; i < subs.Length; i++) items[i] = AbiValue.Tuple(subs[i].Target, Bytes4(subs[i].Selector));
        return Abi.EncodeCall(Deliver,
            AbiValue.Tuple(channel, seq, home, publisher, (ulong)start, (ulong)chainTotal),
            AbiValue.Array(items), AbiValue.Bytes(message));
    }

    public static byte[] EncodeAppliedOps(ulong origin) => Abi.EncodeCall(AppliedOps, origin);

    public static byte[] EncodeCursorOf(Hash256 channel) => Abi.EncodeCall(CursorOf, channel);

    public static byte[] EncodeGetChannel(Hash256 channel) => Abi.EncodeCall(GetChannel, channel);

    public static byte[] EncodeSubscriptions(Hash256 channel, ulong start, ulong count) => Abi.EncodeCall(Subscriptions, channel, start, count);

    public static byte[] EncodeGetPublish(Hash256 id) => Abi.EncodeCall(GetPublish, id);

    public static byte[] EncodePublishCount(Hash256 channel) => Abi.EncodeCall(PublishCount, channel);

    /// <summary>A bytes4 as its ABI word (left-aligned).</summary>
    public static UInt256 Bytes4(uint selector)
    {
        Span<byte> word = stackalloc byte[32];
        System.Buffers.Binary.BinaryPrimitives.WriteUInt32BigEndian(word, selector);
        return UInt256.FromBigEndian(word);
    }

    public static uint ReadBytes4(AbiReader reader, int index)
    {
        var word = reader.Word(index);
        Span<byte> bytes = stackalloc byte[32];
        word.WriteBigEndian(bytes);
        return System.Buffers.Binary.BinaryPrimitives.ReadUInt32BigEndian(bytes);
    }

    public static ChannelState DecodeChannel(Hash256 id, ReadOnlySpan<byte> data)
    {
        var r = new AbiReader(data);
        return new ChannelState(id, r.Address(0), r.UInt64(1), (uint)r.UInt64(2), r.Bool(3), r.Word(4), (uint)r.UInt64(5), r.Bytes32(6));
    }

    public static List<Subscription> DecodeSubscriptions(ReadOnlySpan<byte> data)
    {
        var items = new AbiReader(data).Array(0, out var count);
        var list = new List<Subscription>(count);
        for (var i = 0; i < count; i++)
            list.Add(new Subscription(items.Address(4 * i), items.UInt64(4 * i + 1), ReadBytes4(items, 4 * i + 2), items.Address(4 * i + 3)));
        return list;
    }

    public static PublishAggregate DecodePublish(ReadOnlySpan<byte> data)
    {
        var r = new AbiReader(data);
        return new PublishAggregate(r.Bytes32(0), r.UInt64(1), r.Address(2), (MulticastMessageType)r.UInt64(3), (MulticastFlags)r.UInt64(4),
            (uint)r.UInt64(5), (uint)r.UInt64(6), (uint)r.UInt64(7), (uint)r.UInt64(8));
    }

    /// <summary>The cursor (seq, next, total) from cursorOf.</summary>
    public static (ulong Seq, uint Next, uint Total) DecodeCursor(ReadOnlySpan<byte> data)
    {
        var r = new AbiReader(data);
        return (r.UInt64(0), (uint)r.UInt64(1), (uint)r.UInt64(2));
    }
}
