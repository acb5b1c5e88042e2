using System.Text;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Modules;
using Thalamus.Storage;

namespace Thalamus.Cluster;

/// <summary>One chain of a rollback: its blocks <c>FromNumber..ToNumber</c> go, block <c>FromNumber - 1</c> (<see cref="KeepHash"/>) is its head after.</summary>
internal sealed record RollbackTarget(ulong ChainId, ulong FromNumber, ulong ToNumber, Hash256 KeepHash, string Why);

/// <summary>
/// A rollback decided but not yet complete, stored (in the cluster's own rows, one transaction) before the first chain is
/// rewound and deleted in the transaction that commits the modules' <c>RolledBack</c> rows. Everything needed to finish
/// it without the chains' discarded blocks: each chain's target, and the users' transactions of those blocks (they go
/// back to the pools; a chain rewound before a crash no longer has them).
/// </summary>
internal sealed record RollbackIntent(RollbackRequest Request, ulong Slot, long TimeMs, IReadOnlyList<RollbackTarget> Targets,
    IReadOnlyList<(ulong ChainId, Transaction Tx)> UserTransactions)
{
    /// <summary>The cluster's own module name: its rows sit beside the modules' ones, in the same transactions.</summary>
    public const string Module = "cluster";

    public static readonly byte[] Key = "rollbackIntent"u8.ToArray();

    private const byte Version = 1;

    public IReadOnlyList<DiscardedBlocks> Discarded => [.. Targets.Select(t => new DiscardedBlocks(t.ChainId, t.FromNumber, t.ToNumber, t.Why))];

    public byte[] Encode()
    {
        using var stream = new MemoryStream();
        using (var w = new BinaryWriter(stream, Encoding.UTF8, leaveOpen: true))
        {
            w.Write(Version);
            w.Write(Request.ChainId);
            w.Write(Request.FromBlock);
            w.Write(Request.Reason);
            WriteBytes(w, Request.Context);
            w.Write(Slot);
            w.Write(TimeMs);
            w.Write(Targets.Count);
            foreach (var target in Targets)
            {
                w.Write(target.ChainId);
                w.Write(target.FromNumber);
                w.Write(target.ToNumber);
                w.Write(target.KeepHash.Bytes);
                w.Write(target.Why);
            }
            w.Write(UserTransactions.Count);
            foreach (var (chainId, tx) in UserTransactions)
            {
                w.Write(chainId);
                WriteBytes(w, tx.Encode());
            }
        }
        return stream.ToArray();
    }

    /// <exception cref="StorageException">the row is not an intent this build wrote (the node refuses to start rather than guess).</exception>
    public static RollbackIntent Decode(byte[] value)
    {
        try
        {
            using var r = new BinaryReader(new MemoryStream(value, writable: false), Encoding.UTF8);
            var version = r.ReadByte();
            if (version != Version) throw new InvalidDataException($"version {version}; this build reads version {Version}");
            var request = new RollbackRequest(r.ReadUInt64(), r.ReadUInt64(), r.ReadString()) { Context = ReadBytes(r) };
            var slot = r.ReadUInt64();
            var timeMs = r.ReadInt64();
            var targets = new RollbackTarget[CheckedCount(r.ReadInt32())];
            for (var i = 0; i < targets.Length; i++)
                targets[i] = new RollbackTarget(r.ReadUInt64(), r.ReadUInt64(), r.ReadUInt64(), new Hash256(r.ReadBytes(32)), r.ReadString());
            var transactions = new (ulong, Transaction)[CheckedCount(r.ReadInt32())];
            for (var i = 0; i < transactions.Length; i++)
                transactions[i] = (r.ReadUInt64(), TransactionDecoder.Decode(ReadBytes(r) ?? throw new InvalidDataException("a transaction without bytes")));
            if (r.BaseStream.Position != value.Length) throw new InvalidDataException($"{value.Length - r.BaseStream.Position} bytes after the end");
            return new RollbackIntent(request, slot, timeMs, targets, transactions);
        }
        catch (Exception e) when (e is EndOfStreamException or InvalidDataException or ArgumentException or TransactionDecodingException or FormatException)
        {
            throw new StorageException($"the stored rollback intent ({value.Length} bytes) cannot be read: {e.Message}", e);
        }
    }

    private static int CheckedCount(int count) => count is >= 0 and <= 1 << 24 ? count : throw new InvalidDataException($"a count of {count}");

    private static void WriteBytes(BinaryWriter w, byte[]? bytes)
    {
        w.Write(bytes is null ? -1 : bytes.Length);
        if (bytes is not null) w.Write(bytes);
    }

    private static byte[]? ReadBytes(BinaryReader r)
    {
        var length = r.ReadInt32();
        if (length == -1) return null;
        var bytes = r.ReadBytes(CheckedCount(length));
        return bytes.Length == length ? bytes : throw new EndOfStreamException();
    }
}
