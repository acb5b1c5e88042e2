using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Cluster.Replay;

/// <summary>
/// Answers a re-executed block's calls to the CrossChainCall address from the results its cluster
/// section recorded, in order, charging what the live handler charged: <see cref="CrossChainCallHandler.BaseGas"/>
/// plus the destination's recorded gas (refusals record zero). Nothing runs on other chains: each
/// chain's blocks verify on their own.
/// </summary>
internal sealed class ReplayCrossCallHandler(IReadOnlyList<OutboundCall> recorded, Action<string> mismatch) : ICrossChainCallHandler
{

    private int _next;

    /// <summary>Recorded results no call consumed.</summary>
    public int Unconsumed => recorded.Count - _next;

    public CrossChainCallResult Call(IWorldState originState, in Address caller, byte[] input, long gas, bool isStatic)
    {
        if (CrossChainCallHandler.AdmitSelector.Matches(input)) return Admit(caller, input, gas, isStatic);
        // The live handler fails these before recording anything.
        if (gas < CrossChainCallHandler.BaseGas || !CrossChainCallHandler.TryDecode(input, out var destination, out var target, out var data))
            return CrossChainCallResult.Failed;
        if (_next == recorded.Count)
        {
            mismatch($"cross-chain call {_next} (to chain {destination}, {target}) has no recorded result");
            return CrossChainCallResult.Failed;
        }
        var index = _next++;
        var call = recorded[index];
        if (call.DestinationChainId != destination || call.Target != target || !call.Data.AsSpan().SequenceEqual(data))
            mismatch($"cross-chain call {index} is to chain {destination}, {target} with {data.Length} bytes of data; " +
                $"the section recorded chain {call.DestinationChainId}, {call.Target} with {call.Data.Length} bytes");
        if (call.GasUsed < 0 || call.GasUsed > gas - CrossChainCallHandler.BaseGas)
            mismatch($"cross-chain call {index} recorded {call.GasUsed} gas used but only {gas - CrossChainCallHandler.BaseGas} was available");
        return new CrossChainCallResult(true, CrossChainCallHandler.BaseGas + call.GasUsed, CrossChainCallHandler.EncodeResult(call.Ok, call.Output));
    }

    /// <summary>The messenger's admission check: the answer the section recorded.</summary>
    private CrossChainCallResult Admit(in Address caller, byte[] input, long gas, bool isStatic)
    {
        if (gas < CrossChainCallHandler.AdmissionGas || isStatic || caller != ClusterPredeploys.Messenger
            || !CrossChainCallHandler.TryDecodeAdmit(input, out var destination, out var id))
            return CrossChainCallResult.Failed;
        if (_next == recorded.Count)
        {
            mismatch($"admission check {_next} (message {id} to chain {destination}) has no recorded result");
            return CrossChainCallResult.Failed;
        }
        var index = _next++;
        var call = recorded[index];
        if (call.DestinationChainId != destination || call.Target != ClusterPredeploys.Messenger || !call.Data.AsSpan().SequenceEqual(id.Bytes))
            mismatch($"admission check {index} is for message {id} to chain {destination}; the section recorded something else");
        return new CrossChainCallResult(true, CrossChainCallHandler.AdmissionGas, CrossChainCallHandler.EncodeResult(call.Ok, call.Output));
    }

    public void TransactionEnded(IWorldState originState) { }

}
