using System.Security.Cryptography;
using Thalamus.Core;
using Thalamus.State;

namespace Thalamus.Ddpn;

/// <summary>A call's gas: every charge past the limit is an out-of-gas stop of the whole call.</summary>
internal sealed class Meter(long limit)
{
    public long Used { get; private set; } = 0;

    public long Limit => limit;

    public long Left => limit - Used;

    public void Charge(long amount)
    {
        Used += amount;
        if (Used > limit) throw new DdpnOutOfGasException();
    }
}

internal sealed class DdpnOutOfGasException : Exception;

/// <summary>A refusal: the call reverts with <c>Error("DDPN: …")</c>.</summary>
internal sealed class DdpnRevertException(string reason) : Exception("DDPN: " + reason);

/// <summary>
/// The unit's storage (its own account at <see cref="DdpnAddresses.Unit"/>), metered. A record is a
/// run of slots from SHA-256(tag ‖ id); a blob is a length at its base slot followed by its bytes in words.
/// </summary>
internal sealed class UnitStorage(IWorldState state, Meter meter, Address? account = null)
{
    private readonly Address _account = account ?? DdpnAddresses.Unit;

    public Meter Meter => meter;

    public static UInt256 Slot(byte tag, ReadOnlySpan<byte> id)
    {
        Span<byte> buffer = stackalloc byte[1 + 32];
        buffer[0] = tag;
        id[..Math.Min(id.Length, 32)].CopyTo(buffer[1..]);
        Span<byte> hash = stackalloc byte[32];
        SHA256.HashData(buffer, hash);
        // Leave room below 2^256 for offsets.
        hash[0] = 0;
        return UInt256.FromBigEndian(hash);
    }

    public static UInt256 Slot(byte tag, in Hash256 id) => Slot(tag, id.Bytes);

    public UInt256 Get(in UInt256 slot)
    {
        meter.Charge(DdpnGas.WordRead);
        return state.GetStorage(_account, slot);
    }

    public ulong GetUInt64(in UInt256 slot) => (ulong)Get(slot);

    public Hash256 GetHash(in UInt256 slot) => Hash256.FromUInt256(Get(slot));

    public void Set(in UInt256 slot, in UInt256 value)
    {
        meter.Charge(DdpnGas.WordRead);
        if (state.GetStorage(_account, slot) == value) return;
        meter.Charge(DdpnGas.WordWrite);
        state.SetStorage(_account, slot, value);
    }

    public void Set(in UInt256 slot, ulong value) => Set(slot, new UInt256(value));

    public void Set(in UInt256 slot, in Hash256 value) => Set(slot, value.ToUInt256());

    public static UInt256 At(in UInt256 slot, ulong offset) => slot + new UInt256(offset);

    /// <summary>The blob at <paramref name="baseSlot"/> (empty when none).</summary>
    public byte[] ReadBlob(in UInt256 baseSlot)
    {
        var length = Get(baseSlot);
        if (!length.IsUInt64 || (ulong)length > int.MaxValue) throw new DdpnRevertException("corrupt blob length");
        return ReadBytes(baseSlot, 0, (int)(ulong)length);
    }

    public long BlobLength(in UInt256 baseSlot) => (long)(ulong)Get(baseSlot);

    /// <summary><paramref name="length"/> bytes of the blob at <paramref name="baseSlot"/> from byte <paramref name="offset"/>.</summary>
    public byte[] ReadBytes(in UInt256 baseSlot, long offset, int length)
    {
        var result = new byte[length];
        if (length == 0) return result;
        long first = offset / 32, last = (offset + length - 1) / 32;
        meter.Charge(DdpnGas.WordRead * (last - first + 1));
        Span<byte> word = stackalloc byte[32];
        for (long w = first; w <= last; w++)
        {
            state.GetStorage(_account, At(baseSlot, 1 + (ulong)w)).WriteBigEndian(word);
            long wordStart = w * 32;
            long from = Math.Max(offset, wordStart), to = Math.Min(offset + length, wordStart + 32);
            word[(int)(from - wordStart)..(int)(to - wordStart)].CopyTo(result.AsSpan((int)(from - offset)));
        }
        return result;
    }

    /// <summary>Replaces the blob at <paramref name="baseSlot"/>; words that keep their value cost only their read.</summary>
    public void WriteBlob(in UInt256 baseSlot, ReadOnlySpan<byte> data)
    {
        WriteBytes(baseSlot, 0, data);
        Set(baseSlot, (ulong)data.Length);
    }

    /// <summary>Writes <paramref name="data"/> into the blob's words from byte <paramref name="offset"/> (the length is the caller's).</summary>
    public void WriteBytes(in UInt256 baseSlot, long offset, ReadOnlySpan<byte> data)
    {
        if (data.Length == 0) return;
        long first = offset / 32, last = (offset + data.Length - 1) / 32;
        Span<byte> word = stackalloc byte[32];
        for (long w = first; w <= last; w++)
        {
            var slot = At(baseSlot, 1 + (ulong)w);
            meter.Charge(DdpnGas.WordRead);
            var before = state.GetStorage(_account, slot);
            before.WriteBigEndian(word);
            long wordStart = w * 32;
            long from = Math.Max(offset, wordStart), to = Math.Min(offset + data.Length, wordStart + 32);
            data[(int)(from - offset)..(int)(to - offset)].CopyTo(word[(int)(from - wordStart)..]);
            var after = UInt256.FromBigEndian(word);
            if (after == before) continue;
            meter.Charge(DdpnGas.WordWrite);
            state.SetStorage(_account, slot, after);
        }
    }

    public Hash256 Sha256(ReadOnlySpan<byte> data)
    {
        meter.Charge(DdpnGas.Hash(data.Length));
        return new Hash256(SHA256.HashData(data));
    }
}
