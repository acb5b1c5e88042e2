using System.Text.Json;
using Thalamus.Chain;

namespace Thalamus.Rpc;

public sealed partial class RpcDispatcher
{
    private void GetBalance(ref ParamReader p, Utf8JsonWriter w)
    {
        var address = p.ReadAddress("address");
        var block = p.ReadOptionalBlock("block");
        p.End();
        w.WriteQuantity(Backend.GetBalance(address, block));
    }

    private void GetCode(ref ParamReader p, Utf8JsonWriter w)
    {
        var address = p.ReadAddress("address");
        var block = p.ReadOptionalBlock("block");
        p.End();
        w.WriteData(Backend.GetCode(address, block));
    }

    private void GetStorageAt(ref ParamReader p, Utf8JsonWriter w)
    {
        var address = p.ReadAddress("address");
        var slot = p.ReadStorageSlot("slot");
        var block = p.ReadOptionalBlock("block");
        p.End();
        w.WriteWord(Backend.GetStorageAt(address, slot, block));
    }

    private void GetTransactionCount(ref ParamReader p, Utf8JsonWriter w)
    {
        var address = p.ReadAddress("address");
        var block = p.ReadOptionalBlock("block");
        p.End();
        w.WriteQuantity(Backend.GetTransactionCount(address, block));
    }

    private void Call(ref ParamReader p, Utf8JsonWriter w)
    {
        var request = p.ReadCallRequest("transaction", out _);
        var block = p.ReadOptionalBlock("block");
        p.RejectUnlessAbsent("stateOverrides", "state overrides are not supported");
        p.RejectUnlessAbsent("blockOverrides", "block overrides are not supported");
        p.End();
        var result = Backend.Call(request, block);
        if (result.Reverted)
        {
            var reason = result.RevertReason;
            throw new RpcException(RpcErrorCodes.ExecutionReverted,
                reason is null ? "execution reverted" : "execution reverted: " + reason, result.ReturnData);
        }
        if (!result.Success) throw RpcException.ServerError(result.Error ?? "execution failed");
        w.WriteData(result.ReturnData);
    }

    private void EstimateGas(ref ParamReader p, Utf8JsonWriter w)
    {
        var request = p.ReadCallRequest("transaction", out _);
        var block = p.ReadOptionalBlock("block");
        p.RejectUnlessAbsent("stateOverrides", "state overrides are not supported");
        p.End();
        w.WriteQuantity(Backend.EstimateGas(request, block));
    }

    private void FeeHistory(ref ParamReader p, Utf8JsonWriter w)
    {
        var count = p.ReadFlexibleUInt64("blockCount");
        var newest = p.ReadBlockTag("newestBlock");
        var percentiles = p.ReadOptionalPercentiles("rewardPercentiles");
        p.End();
        var blocks = (int)Math.Min(count, (ulong)Options.MaxFeeHistoryBlocks);
        if (blocks == 0)
        {
            w.WriteStartObject();
            w.WriteQuantity(JsonEncodedText.Encode("oldestBlock"), 0UL);
            w.WriteEndObject();
            return;
        }
        EthJsonWriter.WriteFeeHistory(w, Backend.GetFeeHistory(blocks, newest, percentiles));
    }
}
