using System.Text.Json;
using Thalamus.Chain;

namespace Thalamus.Rpc;

public sealed partial class RpcDispatcher
{
    /// <summary>Most blocks one evm_mine / anvil_mine call may seal.</summary>
    public const int MaxBlocksPerMineCall = 100_000;

    /// <summary>evm_mine([timestamp | {timestamp, blocks}]): seals now, optionally at a given time (anvil and Hardhat forms).</summary>
    private void Mine(ref ParamReader p, Utf8JsonWriter w)
    {
        ulong? timestamp = null;
        ulong blocks = 1;
        if (p.TryPeekKind("options", out var kind))
        {
            if (kind == JsonTokenType.StartObject)
            {
                ref var r = ref p.Current;
                while (r.Read() && r.TokenType == JsonTokenType.PropertyName)
                {
                    if (r.ValueTextEquals("timestamp"u8))
                    {
                        r.Read();
                        if (r.TokenType == JsonTokenType.Null) continue;
                        p.Check(Prefix("timestamp", RpcJsonReader.FlexibleUInt64(ref r, out var t)));
                        timestamp = t;
                    }
                    else if (r.ValueTextEquals("blocks"u8))
                    {
                        r.Read();
                        if (r.TokenType == JsonTokenType.Null) continue;
                        p.Check(Prefix("blocks", RpcJsonReader.FlexibleUInt64(ref r, out blocks)));
                    }
                    else
                    {
                        r.Read();
                        r.Skip();
                    }
                }
            }
            else
            {
                p.Check(RpcJsonReader.FlexibleUInt64(ref p.Current, out var t));
                timestamp = t;
            }
        }
        p.End();
        Backend.Mine(CheckBlockCount(blocks), timestamp);
        w.WriteStringValue("0x0");
    }

    /// <summary>anvil_mine / hardhat_mine([blocks], [interval seconds]).</summary>
    private void MineMany(ref ParamReader p, Utf8JsonWriter w)
    {
        var blocks = p.ReadOptionalFlexibleUInt64("blocks") ?? 1;
        var interval = p.ReadOptionalFlexibleUInt64("interval");
        p.End();
        var count = CheckBlockCount(blocks);
        if (interval is not { } seconds || seconds == 0)
        {
            Backend.Mine(count, null);
        }
        else
        {
            for (var i = 0; i < count; i++) Backend.Mine(1, Backend.Head.Timestamp + seconds);
        }
        w.WriteNullValue();
    }

    private void Revert(ref ParamReader p, Utf8JsonWriter w)
    {
        var id = p.ReadFlexibleUInt64("snapshotId");
        p.End();
        w.WriteBooleanValue(Backend.Revert(id));
    }

    private void IncreaseTime(ref ParamReader p, Utf8JsonWriter w)
    {
        var seconds = p.ReadFlexibleUInt64("seconds");
        p.End();
        w.WriteQuantity(Backend.IncreaseTime(seconds));
    }

    private void SetNextBlockTimestamp(ref ParamReader p, Utf8JsonWriter w)
    {
        var timestamp = p.ReadFlexibleUInt64("timestamp");
        p.End();
        Backend.SetNextBlockTimestamp(timestamp);
        w.WriteNullValue();
    }

    private void SetAutomine(ref ParamReader p, Utf8JsonWriter w)
    {
        var enabled = p.ReadBool("enabled");
        p.End();
        Backend.SetAutomine(enabled);
        w.WriteNullValue();
    }

    /// <summary>evm_setIntervalMining(seconds), as anvil takes it; 0 stops interval sealing.</summary>
    private void SetIntervalMining(ref ParamReader p, Utf8JsonWriter w)
    {
        var seconds = p.ReadFlexibleUInt64("interval");
        p.End();
        if (seconds > 365UL * 24 * 3600) p.Check($"interval of {seconds} seconds is too long");
        Backend.SetIntervalMining(TimeSpan.FromSeconds(seconds));
        w.WriteNullValue();
    }

    private void SetBalance(ref ParamReader p, Utf8JsonWriter w)
    {
        var address = p.ReadAddress("address");
        var balance = p.ReadQuantity256("balance");
        p.End();
        Backend.SetBalance(address, balance);
        w.WriteNullValue();
    }

    private void SetCode(ref ParamReader p, Utf8JsonWriter w)
    {
        var address = p.ReadAddress("address");
        var code = p.ReadData("code");
        p.End();
        Backend.SetCode(address, code);
        w.WriteNullValue();
    }

    private void SetNonce(ref ParamReader p, Utf8JsonWriter w)
    {
        var address = p.ReadAddress("address");
        var nonce = p.ReadQuantity("nonce");
        p.End();
        Backend.SetNonce(address, nonce);
        w.WriteNullValue();
    }

    private void SetStorageAt(ref ParamReader p, Utf8JsonWriter w)
    {
        var address = p.ReadAddress("address");
        var slot = p.ReadStorageSlot("slot");
        var value = p.ReadStorageSlot("value");
        p.End();
        Backend.SetStorageAt(address, slot, value);
        w.WriteBooleanValue(true);
    }

    private static int CheckBlockCount(ulong blocks)
    {
        if (blocks == 0 || blocks > MaxBlocksPerMineCall)
            throw RpcException.InvalidParams($"invalid block count {blocks}: mine between 1 and {MaxBlocksPerMineCall} blocks per call");
        return (int)blocks;
    }

    private static string? Prefix(string field, string? error) => error is null ? null : $"field \"{field}\": {error}";
}
