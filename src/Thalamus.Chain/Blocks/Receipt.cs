using Thalamus.Core;
using Thalamus.Evm;

namespace Thalamus.Chain;

/// <summary>
/// The consensus part of a receipt: what the receipts root commits to. Encoded as
/// rlp([status, cumulativeGasUsed, bloom, [[address, [topics], data]...]]), prefixed with the
/// transaction type byte for typed transactions (EIP-2718).
/// </summary>
public sealed class Receipt
{
    public Receipt(TxType txType, bool success, ulong cumulativeGasUsed, IReadOnlyList<LogEntry> logs, Bloom? bloom = null)
    {
        ArgumentNullException.ThrowIfNull(logs);
        TxType = txType;
        StatusCode = success ? (byte)1 : (byte)0;
        CumulativeGasUsed = cumulativeGasUsed;
        Logs = logs;
        Bloom = bloom ?? ComputeBloom(logs);
    }

    public TxType TxType { get; }

    /// <summary>EIP-658: 1 for success, 0 for failure.</summary>
    public byte StatusCode { get; }

    public bool Success => StatusCode == 1;
    public ulong CumulativeGasUsed { get; }
    public IReadOnlyList<LogEntry> Logs { get; }
    public Bloom Bloom { get; }

    public static Bloom ComputeBloom(IReadOnlyList<LogEntry> logs)
    {
        var bloom = new Bloom();
        foreach (var log in logs) bloom.AddLog(log.Address, log.Topics);
        return bloom;
    }

    /// <summary>The typed envelope (the value stored in the receipts trie).</summary>
    public byte[] Encode()
    {
        var writer = new RlpWriter(256 + 128 * Logs.Count);
        WriteTo(writer);
        return writer.ToArray();
    }

    public void WriteTo(RlpWriter writer)
    {
        ArgumentNullException.ThrowIfNull(writer);
        if (TxType != TxType.Legacy) writer.WriteRaw([(byte)TxType]);
        var list = writer.StartList();
        writer.WriteUInt64(StatusCode);
        writer.WriteUInt64(CumulativeGasUsed);
        writer.WriteBytes(Bloom.Bytes);
        var logs = writer.StartList();
        foreach (var log in Logs)
        {
            var item = writer.StartList();
            writer.WriteAddress(log.Address);
            var topics = writer.StartList();
            foreach (var topic in log.Topics) writer.WriteHash256(topic);
            writer.EndList(topics);
            writer.WriteBytes(log.Data);
            writer.EndList(item);
        }
        writer.EndList(logs);
        writer.EndList(list);
    }

    /// <exception cref="RlpException">malformed receipt encoding.</exception>
    public static Receipt Decode(ReadOnlySpan<byte> encoded)
    {
        if (encoded.IsEmpty) throw new RlpException("empty receipt encoding");
        var type = TxType.Legacy;
        if (encoded[0] < 0x80)
        {
            if (encoded[0] > (byte)TxType.Blob) throw new RlpException($"unknown receipt type 0x{encoded[0]:x2}");
            type = (TxType)encoded[0];
            encoded = encoded[1..];
        }
        var outer = new RlpReader(encoded);
        var fields = outer.ReadList();
        outer.EnsureEnd();
        var status = fields.ReadUInt64();
        if (status > 1) throw new RlpException($"receipt status must be 0 or 1, got {status}");
        var cumulative = fields.ReadUInt64();
        var bloomBytes = fields.ReadBytes();
        if (bloomBytes.Length != Bloom.ByteLength) throw new RlpException($"receipt bloom must be {Bloom.ByteLength} bytes");
        var bloom = new Bloom(bloomBytes);
        var logsReader = fields.ReadList();
        var logs = new List<LogEntry>();
        while (logsReader.HasMore)
        {
            var item = logsReader.ReadList();
            var address = item.ReadAddress();
            var topicReader = item.ReadList();
            var topics = new List<Hash256>();
            while (topicReader.HasMore) topics.Add(topicReader.ReadHash256());
            var data = item.ReadBytes().ToArray();
            item.EnsureEnd();
            logs.Add(new LogEntry(address, topics.ToArray(), data));
        }
        fields.EnsureEnd();
        return new Receipt(type, status == 1, cumulative, logs, bloom);
    }
}
