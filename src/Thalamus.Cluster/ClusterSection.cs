using Thalamus.Core;
using Thalamus.Evm;

namespace Thalamus.Cluster;

/// <summary>
/// The cluster section of a block (<see cref="Chain.Block.ClusterSection"/>): the synchronous calls
/// it received, applied before its transactions, and the results of the ones it made, in order.
/// RLP: [[inbound...], [outbound...]]; the header's extra data is its Keccak-256.
/// </summary>
public sealed record ClusterSection(IReadOnlyList<InboundCall> Inbound, IReadOnlyList<OutboundCall> Outbound)
{
    public byte[] Encode()
    {
        var w = new RlpWriter(256);
        var outer = w.StartList();
        var inbound = w.StartList();
        foreach (var call in Inbound)
        {
            var item = w.StartList();
            w.WriteUInt64(call.SourceChainId);
            w.WriteUInt64((ulong)call.Group);
            w.WriteAddress(call.Caller);
            w.WriteAddress(call.Target);
            w.WriteBytes(call.Data);
            w.WriteUInt64((ulong)call.Gas);
            w.WriteBool(call.IsStatic);
            w.WriteBool(call.Ok);
            w.WriteBytes(call.Output);
            w.WriteUInt64((ulong)call.GasUsed);
            var logs = w.StartList();
            foreach (var log in call.Logs)
            {
                var entry = w.StartList();
                w.WriteAddress(log.Address);
                var topics = w.StartList();
                foreach (var topic in log.Topics) w.WriteHash256(topic);
                w.EndList(topics);
                w.WriteBytes(log.Data);
                w.EndList(entry);
            }
            w.EndList(logs);
            w.EndList(item);
        }
        w.EndList(inbound);
        var outbound = w.StartList();
        foreach (var call in Outbound)
        {
            var item = w.StartList();
            w.WriteUInt64(call.DestinationChainId);
            w.WriteAddress(call.Target);
            w.WriteBytes(call.Data);
            w.WriteBool(call.Ok);
            w.WriteBytes(call.Output);
            w.WriteUInt64((ulong)call.GasUsed);
            w.EndList(item);
        }
        w.EndList(outbound);
        w.EndList(outer);
        return w.ToArray();
    }

    /// <exception cref="RlpException">not a cluster section.</exception>
    public static ClusterSection Decode(ReadOnlySpan<byte> encoded)
    {
        var reader = new RlpReader(encoded);
        var outer = reader.ReadList();
        reader.EnsureEnd();
        var inbound = new List<InboundCall>();
        var inReader = outer.ReadList();
        while (inReader.HasMore)
        {
            var item = inReader.ReadList();
            var source = item.ReadUInt64();
            var group = (int)item.ReadUInt64();
            var caller = item.ReadAddress();
            var target = item.ReadAddress();
            var data = item.ReadBytes().ToArray();
            var gas = (long)item.ReadUInt64();
            var isStatic = item.ReadUInt64() != 0;
            var ok = item.ReadUInt64() != 0;
            var output = item.ReadBytes().ToArray();
            var gasUsed = (long)item.ReadUInt64();
            var logs = new List<LogEntry>();
            var logReader = item.ReadList();
            while (logReader.HasMore)
            {
                var entry = logReader.ReadList();
                var address = entry.ReadAddress();
                var topicReader = entry.ReadList();
                var topics = new List<Hash256>();
                while (topicReader.HasMore) topics.Add(topicReader.ReadHash256());
                logs.Add(new LogEntry(address, [.. topics], entry.ReadBytes().ToArray()));
                entry.EnsureEnd();
            }
            item.EnsureEnd();
            inbound.Add(new InboundCall(source, group, caller, target, data, gas, isStatic, ok, output, gasUsed, logs));
        }
        var outbound = new List<OutboundCall>();
        var outReader = outer.ReadList();
        while (outReader.HasMore)
        {
            var item = outReader.ReadList();
            outbound.Add(new OutboundCall(item.ReadUInt64(), item.ReadAddress(), item.ReadBytes().ToArray(), item.ReadUInt64() != 0,
                item.ReadBytes().ToArray(), (long)item.ReadUInt64()));
            item.EnsureEnd();
        }
        outer.EnsureEnd();
        return new ClusterSection(inbound, outbound);
    }
}
