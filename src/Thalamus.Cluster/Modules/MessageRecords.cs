using System.Buffers.Binary;
using Thalamus.Core;

namespace Thalamus.Cluster;

/// <summary>How the messenger module stores a message and its checkpoint (RLP, in the module's rows).</summary>
internal static class MessageRecords
{
    private const byte Version = 1;

    /// <summary>"m" and the send-order sequence, big-endian: the rows read back in send order.</summary>
    public static byte[] Key(ClusterMessage message)
    {
        var key = new byte[5];
        key[0] = (byte)'m';
        BinaryPrimitives.WriteInt32BigEndian(key.AsSpan(1), message.Sequence);
        return key;
    }

    public static byte[] Encode(ClusterMessage m)
    {
        var w = new RlpWriter(256 + m.Data.Length + (m.RevertData?.Length ?? 0));
        var list = w.StartList();
        w.WriteUInt64(Version);
        w.WriteHash256(m.Id);
        w.WriteUInt64(m.SourceChainId);
        w.WriteUInt64(m.DestinationChainId);
        w.WriteAddress(m.Sender);
        w.WriteAddress(m.Target);
        w.WriteBytes(m.Data);
        w.WriteUInt256(m.Nonce);
        w.WriteUInt64(m.SentBlockNumber);
        w.WriteHash256(m.SentTransactionHash);
        w.WriteUInt64((ulong)m.SentAtMs);
        w.WriteUInt64(m.SentSlot);
        w.WriteUInt64((ulong)m.Status);
        // Delivery fields: empty list when not delivered yet.
        var delivery = w.StartList();
        if (m.DeliveredBlockNumber is { } block)
        {
            w.WriteUInt64(block);
            w.WriteHash256(m.DeliveryTransactionHash ?? Hash256.Zero);
            w.WriteUInt64((ulong)(m.DeliveredAtMs ?? 0));
        }
        w.EndList(delivery);
        var revert = w.StartList();
        if (m.RevertData is { } data) w.WriteBytes(data);
        w.EndList(revert);
        // Return fields (absent in older rows): pending flag, then block, transaction and hook outcome once returned.
        var returned = w.StartList();
        w.WriteUInt64(m.ReturnPending ? 1UL : 0UL);
        if (m.ReturnTransactionHash is { } returnHash)
        {
            w.WriteUInt64(m.ReturnedBlockNumber ?? 0);
            w.WriteHash256(returnHash);
            w.WriteUInt64(m.ReturnHookOk == true ? 1UL : 0UL);
        }
        w.EndList(returned);
        w.EndList(list);
        return w.ToArray();
    }

    /// <exception cref="RlpException">the row is not a message record of this version.</exception>
    public static ClusterMessage Decode(ReadOnlySpan<byte> encoded)
    {
        var r = new RlpReader(encoded).ReadList();
        if (r.ReadUInt64() != Version) throw new RlpException("unknown message record version");
        var message = new ClusterMessage
        {
            Id = r.ReadHash256(),
            SourceChainId = r.ReadUInt64(),
            DestinationChainId = r.ReadUInt64(),
            Sender = r.ReadAddress(),
            Target = r.ReadAddress(),
            Data = r.ReadBytes().ToArray(),
            Nonce = r.ReadUInt256(),
            SentBlockNumber = r.ReadUInt64(),
            SentTransactionHash = r.ReadHash256(),
            SentAtMs = (long)r.ReadUInt64(),
            SentSlot = r.ReadUInt64(),
        };
        message.Status = (MessageStatus)r.ReadUInt64();
        var delivery = r.ReadList();
        if (delivery.HasMore)
        {
            message.DeliveredBlockNumber = delivery.ReadUInt64();
            message.DeliveryTransactionHash = delivery.ReadHash256();
            message.DeliveredAtMs = (long)delivery.ReadUInt64();
        }
        var revert = r.ReadList();
        if (revert.HasMore) message.RevertData = revert.ReadBytes().ToArray();
        if (r.HasMore)
        {
            var returned = r.ReadList();
            message.ReturnPending = returned.ReadUInt64() == 1;
            if (returned.HasMore)
            {
                message.ReturnedBlockNumber = returned.ReadUInt64();
                message.ReturnTransactionHash = returned.ReadHash256();
                message.ReturnHookOk = returned.ReadUInt64() == 1;
            }
        }
        return message;
    }

    /// <summary>Each chain's indexed head: the index holds every messenger event up to it.</summary>
    public static byte[] EncodeCheckpoint(IEnumerable<(ulong ChainId, ulong Head)> heads)
    {
        var w = new RlpWriter();
        var list = w.StartList();
        foreach (var (chainId, head) in heads)
        {
            var pair = w.StartList();
            w.WriteUInt64(chainId);
            w.WriteUInt64(head);
            w.EndList(pair);
        }
        w.EndList(list);
        return w.ToArray();
    }

    public static Dictionary<ulong, ulong> DecodeCheckpoint(ReadOnlySpan<byte> encoded)
    {
        var heads = new Dictionary<ulong, ulong>();
        var r = new RlpReader(encoded).ReadList();
        while (r.HasMore)
        {
            var pair = r.ReadList();
            heads[pair.ReadUInt64()] = pair.ReadUInt64();
        }
        return heads;
    }
}
