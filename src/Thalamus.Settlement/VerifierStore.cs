using System.Buffers.Binary;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Settlement;

/// <summary>
/// The trie nodes a verifier's replicas write, kept in memory and appended to <c>nodes.log</c> in its data directory
/// (records <c>[u32 key length][key][u32 value length][value]</c>; nodes are content-addressed, so a record written
/// twice or a torn last record after a crash is harmless). <see cref="Flush"/> makes what was written durable.
/// </summary>
internal sealed class LoggedKeyValueStore : IKeyValueStore, IDisposable
{
    private readonly MemoryKeyValueStore _memory = new();
    private readonly FileStream _log;
    private readonly MemoryStream _pending = new();

    public LoggedKeyValueStore(string path)
    {
        _log = new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.Read);
        var buffer = new byte[_log.Length];
        _log.ReadExactly(buffer);
        var at = 0;
        while (at + 4 <= buffer.Length)
        {
            var keyLength = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(at));
            if (keyLength < 0 || at + 4 + keyLength + 4 > buffer.Length) break;
            var key = buffer.AsSpan(at + 4, keyLength);
            var valueLength = BinaryPrimitives.ReadInt32BigEndian(buffer.AsSpan(at + 4 + keyLength));
            var end = at + 8 + keyLength + valueLength;
            if (valueLength < 0 || end > buffer.Length) break;
            _memory.Put(key, buffer.AsSpan(at + 8 + keyLength, valueLength));
            at = end;
        }
        // A torn record at the end (a crash while appending) is cut off.
        _log.SetLength(at);
        _log.Position = at;
    }

    public byte[]? Get(ReadOnlySpan<byte> key) => _memory.Get(key);

    public void Put(ReadOnlySpan<byte> key, ReadOnlySpan<byte> value)
    {
        _memory.Put(key, value);
        Span<byte> length = stackalloc byte[4];
        BinaryPrimitives.WriteInt32BigEndian(length, key.Length);
        _pending.Write(length);
        _pending.Write(key);
        BinaryPrimitives.WriteInt32BigEndian(length, value.Length);
        _pending.Write(length);
        _pending.Write(value);
    }

    /// <summary>Content-addressed nodes are never deleted from the log (an earlier head may need them).</summary>
    public void Delete(ReadOnlySpan<byte> key)
    {
    }

    public void Flush()
    {
        if (_pending.Length == 0) return;
        _log.Write(_pending.GetBuffer().AsSpan(0, (int)_pending.Length));
        _log.Flush(flushToDisk: true);
        _pending.SetLength(0);
    }

    public void Dispose()
    {
        Flush();
        _log.Dispose();
    }
}

/// <summary>
/// A verifier's place, saved in <c>place.rlp</c> of its data directory (written whole to a temporary file, then renamed):
/// <c>rlp([1, nextParentBlock, expectedSlot, genesisCommitment, [[genesis section of one chain, head header,
/// [[number, hash], ...]], ...] or empty when no genesis yet, [[slot, [[chainId, header], ...]], ...], [[index, firstSlot,
/// lastSlot, valid, badLeaf + 1, reason], ...], [checked, valid, invalid, blocks, gas, challenges, votes]])</c>.
/// </summary>
internal sealed record VerifierPlace(
    ulong NextParentBlock,
    ulong ExpectedSlot,
    Hash256? GenesisCommitment,
    IReadOnlyList<(ChainSpec Spec, BlockHeader Head, IReadOnlyDictionary<ulong, Hash256> Hashes)>? Chains,
    IReadOnlyList<(ulong Slot, IReadOnlyList<(ulong ChainId, BlockHeader Head)> Heads)> HeadsBefore,
    IReadOnlyList<BatchVerdict> Verdicts,
    ulong[] Counters)
{
    private const ulong Version = 1;

    public const string FileName = "place.rlp";

    public byte[] Encode()
    {
        var w = new RlpWriter(4096);
        var outer = w.StartList();
        w.WriteUInt64(Version);
        w.WriteUInt64(NextParentBlock);
        w.WriteUInt64(ExpectedSlot);
        w.WriteBytes(GenesisCommitment is { } g ? g.Bytes : []);
        w.WriteBool(Chains is not null);
        var chains = w.StartList();
        foreach (var (spec, head, hashes) in Chains ?? [])
        {
            var item = w.StartList();
            w.WriteBytes(GenesisCodec.Encode([spec]));
            w.WriteBytes(head.Encode());
            var list = w.StartList();
            foreach (var (number, hash) in hashes.OrderBy(h => h.Key))
            {
                var pair = w.StartList();
                w.WriteUInt64(number);
                w.WriteHash256(hash);
                w.EndList(pair);
            }
            w.EndList(list);
            w.EndList(item);
        }
        w.EndList(chains);
        var before = w.StartList();
        foreach (var (slot, heads) in HeadsBefore)
        {
            var item = w.StartList();
            w.WriteUInt64(slot);
            var list = w.StartList();
            foreach (var (chainId, head) in heads)
            {
                var pair = w.StartList();
                w.WriteUInt64(chainId);
                w.WriteBytes(head.Encode());
                w.EndList(pair);
            }
            w.EndList(list);
            w.EndList(item);
        }
        w.EndList(before);
        var verdicts = w.StartList();
        foreach (var v in Verdicts)
        {
            var item = w.StartList();
            w.WriteUInt64(v.Index);
            w.WriteUInt64(v.FirstSlot);
            w.WriteUInt64(v.LastSlot);
            w.WriteBool(v.Valid);
            w.WriteUInt64(v.BadLeaf is { } leaf ? (ulong)leaf + 1 : 0);
            w.WriteBytes(System.Text.Encoding.UTF8.GetBytes(v.Reason ?? ""));
            w.EndList(item);
        }
        w.EndList(verdicts);
        var counters = w.StartList();
        foreach (var c in Counters) w.WriteUInt64(c);
        w.EndList(counters);
        w.EndList(outer);
        return w.ToArray();
    }

    /// <exception cref="SettlementDataException">the file is not a verifier's place.</exception>
    public static VerifierPlace Decode(ReadOnlySpan<byte> encoded, string path)
    {
        try
        {
            var reader = new RlpReader(encoded);
            var f = reader.ReadList();
            reader.EnsureEnd();
            var version = f.ReadUInt64();
            if (version != Version) throw new SettlementDataException($"the verifier's place {path} has version {version}, not {Version}");
            var nextParent = f.ReadUInt64();
            var expected = f.ReadUInt64();
            var genesisBytes = f.ReadBytes();
            Hash256? genesis = genesisBytes.Length == 0 ? null : new Hash256(genesisBytes);
            var hasChains = f.ReadUInt64() != 0;
            var chains = new List<(ChainSpec, BlockHeader, IReadOnlyDictionary<ulong, Hash256>)>();
            var chainList = f.ReadList();
            while (chainList.HasMore)
            {
                var item = chainList.ReadList();
                var spec = GenesisCodec.Decode(item.ReadBytes()).Single();
                var head = BlockHeader.Decode(item.ReadBytes());
                var hashes = new Dictionary<ulong, Hash256>();
                var list = item.ReadList();
                while (list.HasMore)
                {
                    var pair = list.ReadList();
                    hashes[pair.ReadUInt64()] = pair.ReadHash256();
                    pair.EnsureEnd();
                }
                item.EnsureEnd();
                chains.Add((spec, head, hashes));
            }
            var before = new List<(ulong, IReadOnlyList<(ulong, BlockHeader)>)>();
            var beforeList = f.ReadList();
            while (beforeList.HasMore)
            {
                var item = beforeList.ReadList();
                var slot = item.ReadUInt64();
                var heads = new List<(ulong, BlockHeader)>();
                var list = item.ReadList();
                while (list.HasMore)
                {
                    var pair = list.ReadList();
                    heads.Add((pair.ReadUInt64(), BlockHeader.Decode(pair.ReadBytes())));
                    pair.EnsureEnd();
                }
                item.EnsureEnd();
                before.Add((slot, heads));
            }
            var verdicts = new List<BatchVerdict>();
            var verdictList = f.ReadList();
            while (verdictList.HasMore)
            {
                var item = verdictList.ReadList();
                var index = item.ReadUInt64();
                var first = item.ReadUInt64();
                var last = item.ReadUInt64();
                var valid = item.ReadUInt64() != 0;
                var leaf = item.ReadUInt64();
                var reason = System.Text.Encoding.UTF8.GetString(item.ReadBytes());
                item.EnsureEnd();
                verdicts.Add(new BatchVerdict(index, first, last, valid, leaf == 0 ? null : (int)(leaf - 1), reason.Length == 0 ? null : reason));
            }
            var counters = new List<ulong>();
            var counterList = f.ReadList();
            while (counterList.HasMore) counters.Add(counterList.ReadUInt64());
            f.EnsureEnd();
            return new VerifierPlace(nextParent, expected, genesis, hasChains ? chains : null, before, verdicts, [.. counters]);
        }
        catch (Exception e) when (e is RlpException or InvalidOperationException or ArgumentException or SettlementDataException)
        {
            throw new SettlementDataException($"the verifier's place {path} does not decode ({e.Message}); move it away to re-derive from the parent", e);
        }
    }

    /// <summary>Writes the place durably: a temporary file, flushed, then renamed over the old one.</summary>
    public void Save(string directory)
    {
        var path = Path.Combine(directory, FileName);
        var temporary = path + ".tmp";
        using (var file = new FileStream(temporary, FileMode.Create, FileAccess.Write))
        {
            file.Write(Encode());
            file.Flush(flushToDisk: true);
        }
        File.Move(temporary, path, overwrite: true);
    }
}
