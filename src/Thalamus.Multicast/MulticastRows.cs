using Thalamus.Core;

namespace Thalamus.Multicast;

/// <summary>
/// The module's stored rows (binary, little-endian through <see cref="BinaryWriter"/>): a publish's fixed part
/// under <c>'p' ++ id</c> (written once) and its progress under <c>'s' ++ id</c> (rewritten when it changes).
/// </summary>
internal static class MulticastRows
{
    private const byte Version = 1;

    public static byte[] EncodePublish(PublishRecord record)
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write(Version);
        w.Write(record.Id.Bytes);
        w.Write(record.Channel.Bytes);
        w.Write(record.Seq);
        w.Write(record.HomeChainId);
        w.Write(record.Publisher.Bytes);
        w.Write(record.Total);
        w.Write(record.PublishedBlock);
        w.Write(record.PublishedAtMs);
        w.Write(record.PublishedSlot);
        w.Write(record.Order);
        w.Write(record.Message.Length);
        w.Write(record.Message);
        w.Write(record.PerChain.Count);
        foreach (var (chain, subs) in record.PerChain)
        {
            w.Write(chain);
            w.Write(subs.Length);
            foreach (var sub in subs)
            {
                w.Write(sub.Target.Bytes);
                w.Write(sub.Selector);
                w.Write(sub.Subscriber.Bytes);
            }
        }
        w.Flush();
        return stream.ToArray();
    }

    public static PublishRecord DecodePublish(byte[] row)
    {
        using var r = new BinaryReader(new MemoryStream(row));
        if (r.ReadByte() != Version) throw new InvalidDataException("a multicast publish row of an unknown version");
        var id = new Hash256(r.ReadBytes(32));
        var channel = new Hash256(r.ReadBytes(32));
        var seq = r.ReadUInt64();
        var home = r.ReadUInt64();
        var publisher = new Address(r.ReadBytes(20));
        var total = r.ReadUInt32();
        var block = r.ReadUInt64();
        var atMs = r.ReadInt64();
        var slot = r.ReadUInt64();
        var order = r.ReadUInt64();
        var message = r.ReadBytes(r.ReadInt32());
        var chains = r.ReadInt32();
        var perChain = new SortedDictionary<ulong, Subscription[]>();
        for (var c = 0; c < chains; c++)
        {
            var chain = r.ReadUInt64();
            var subs = new Subscription[r.ReadInt32()];
            for (var i = 0; i < subs.Length; i++)
                subs[i] = new Subscription(new Address(r.ReadBytes(20)), chain, r.ReadUInt32(), new Address(r.ReadBytes(20)));
            perChain[chain] = subs;
        }
        return new PublishRecord
        {
            Id = id, Channel = channel, Seq = seq, HomeChainId = home, Publisher = publisher, Total = total, Message = message,
            PublishedBlock = block, PublishedAtMs = atMs, PublishedSlot = slot, Order = order, PerChain = perChain,
        };
    }

    public static byte[] EncodeStatus(PublishRecord record)
    {
        using var stream = new MemoryStream();
        using var w = new BinaryWriter(stream);
        w.Write(Version);
        w.Write(record.CompletedAtMs ?? -1);
        w.Write(record.CompletedSlot ?? 0);
        w.Write(record.Progress.Count);
        foreach (var (chain, progress) in record.Progress)
        {
            w.Write(chain);
            w.Write(progress.Next);
            w.Write(progress.Delivered);
            w.Write(progress.Failed);
            w.Write(progress.Acks);
            w.Write(progress.Reported.Delivered);
            w.Write(progress.Reported.Failed);
            w.Write(progress.Reported.Acks);
            w.Write(progress.LastDeliveryBlock);
        }
        w.Write(record.Failures.Count);
        foreach (var failure in record.Failures)
        {
            w.Write(failure.ChainId);
            w.Write(failure.Index);
            w.Write(failure.Target.Bytes);
            w.Write(failure.Retried);
            w.Write(failure.RevertData.Length);
            w.Write(failure.RevertData);
        }
        w.Flush();
        return stream.ToArray();
    }

    public static void DecodeStatus(byte[] row, PublishRecord record)
    {
        using var r = new BinaryReader(new MemoryStream(row));
        if (r.ReadByte() != Version) throw new InvalidDataException("a multicast status row of an unknown version");
        var completedAt = r.ReadInt64();
        var completedSlot = r.ReadUInt64();
        if (completedAt >= 0)
        {
            record.CompletedAtMs = completedAt;
            record.CompletedSlot = completedSlot;
        }
        var chains = r.ReadInt32();
        for (var i = 0; i < chains; i++)
        {
            var progress = record.On(r.ReadUInt64());
            progress.Next = r.ReadInt32();
            progress.Delivered = r.ReadUInt32();
            progress.Failed = r.ReadUInt32();
            progress.Acks = r.ReadUInt32();
            progress.Reported = (r.ReadUInt32(), r.ReadUInt32(), r.ReadUInt32());
            progress.LastDeliveryBlock = r.ReadUInt64();
        }
        var failures = r.ReadInt32();
        for (var i = 0; i < failures; i++)
        {
            var chain = r.ReadUInt64();
            var index = r.ReadUInt32();
            var target = new Address(r.ReadBytes(20));
            var retried = r.ReadBoolean();
            var data = r.ReadBytes(r.ReadInt32());
            record.Failures.Add(new DeliveryFailure { ChainId = chain, Index = index, Target = target, RevertData = data, Retried = retried });
        }
    }
}
