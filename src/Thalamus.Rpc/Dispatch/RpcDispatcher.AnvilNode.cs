using System.Globalization;
using System.Security.Cryptography;
using System.Text.Json;
using Thalamus.Core;

namespace Thalamus.Rpc;

// anvil's settings for the blocks to come and its node description (anvil_nodeInfo, anvil_metadata), with anvil 1.7.1's shapes.
public sealed partial class RpcDispatcher
{
    /// <summary>anvil_metadata's instanceId: random for each endpoint instance, as anvil draws one at start.</summary>
    private readonly Hash256 _instanceId = new(RandomNumberGenerator.GetBytes(32));

    /// <summary>anvil_setCoinbase(address): the blocks sealed from now on have this coinbase (eth_coinbase follows after the next block).</summary>
    private void SetCoinbase(ref ParamReader p, Utf8JsonWriter w)
    {
        var coinbase = p.ReadAddress("address");
        p.End();
        Backend.SetCoinbase(coinbase);
        w.WriteNullValue();
    }

    /// <summary>anvil_setNextBlockBaseFeePerGas(baseFee): the next block's base fee only.</summary>
    private void SetNextBlockBaseFeePerGas(ref ParamReader p, Utf8JsonWriter w)
    {
        var baseFee = p.ReadQuantity256("baseFee");
        p.End();
        Backend.SetNextBlockBaseFeePerGas(baseFee);
        w.WriteNullValue();
    }

    /// <summary>anvil_setMinGasPrice(gasPrice): anvil refuses it when EIP-1559 is active, as it is on every Thalamus chain.</summary>
    private static void SetMinGasPrice(ref ParamReader p)
    {
        p.ReadQuantity256("gasPrice");
        p.End();
        throw RpcException.InvalidParams("anvil_setMinGasPrice is not supported when EIP-1559 is active");
    }

    /// <summary>anvil_setBlockTimestampInterval(seconds).</summary>
    private void SetBlockTimestampInterval(ref ParamReader p, Utf8JsonWriter w)
    {
        var seconds = p.ReadFlexibleUInt64("seconds");
        p.End();
        Backend.SetBlockTimestampInterval(seconds);
        w.WriteNullValue();
    }

    /// <summary>evm_setBlockGasLimit(gasLimit): true, as anvil answers.</summary>
    private void SetBlockGasLimit(ref ParamReader p, Utf8JsonWriter w)
    {
        var gasLimit = p.ReadQuantity256("gasLimit");
        p.End();
        if (gasLimit > long.MaxValue) throw RpcException.InvalidParams($"invalid block gas limit {gasLimit}: it must be at most {long.MaxValue}");
        Backend.SetBlockGasLimit((ulong)gasLimit);
        w.WriteBooleanValue(true);
    }

    /// <summary>
    /// anvil_nodeInfo: <c>{currentBlockNumber, currentBlockTimestamp, currentBlockHash, hardFork,
    /// transactionOrder, environment: {baseFee, chainId, gasLimit, gasPrice}, forkConfig: {}}</c>;
    /// the block number and the environment's fees and gas limit are quantities, the rest numbers, as anvil writes them.
    /// </summary>
    private void NodeInfo(Utf8JsonWriter w)
    {
        var head = Backend.Head;
        w.WriteStartObject();
        w.WritePropertyName("currentBlockNumber");
        w.WriteQuantity(head.Number);
        w.WriteNumber("currentBlockTimestamp", head.Timestamp);
        w.WritePropertyName("currentBlockHash");
        w.WriteHash(head.Hash);
        w.WriteString("hardFork", "cancun");
        w.WriteString("transactionOrder", "fees");
        w.WriteStartObject("environment");
        w.WritePropertyName("baseFee");
        w.WriteQuantity(Backend.NextBaseFee());
        w.WriteNumber("chainId", Backend.ChainId);
        w.WritePropertyName("gasLimit");
        w.WriteQuantity(Backend.NextBlockGasLimit);
        w.WritePropertyName("gasPrice");
        w.WriteQuantity(Backend.GasPrice());
        w.WriteEndObject();
        // No fork: anvil leaves out forkUrl, forkBlockNumber and forkRetryBackoff.
        w.WriteStartObject("forkConfig");
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>
    /// anvil_metadata (Hardhat's hardhat_metadata shape): <c>{clientVersion, chainId, instanceId,
    /// latestBlockNumber, latestBlockHash, forkedNetwork: null, snapshots: {}}</c>.
    /// </summary>
    private void Metadata(Utf8JsonWriter w)
    {
        var head = Backend.Head;
        w.WriteStartObject();
        w.WriteString("clientVersion", Options.ClientVersion);
        w.WriteNumber("chainId", Backend.ChainId);
        w.WritePropertyName("instanceId");
        w.WriteHash(_instanceId);
        w.WriteNumber("latestBlockNumber", head.Number);
        w.WritePropertyName("latestBlockHash");
        w.WriteHash(head.Hash);
        w.WriteNull("forkedNetwork");
        w.WriteStartObject("snapshots");
        w.WriteEndObject();
        w.WriteEndObject();
    }
}
