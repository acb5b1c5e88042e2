using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Cluster;

/// <summary>
/// <c>crossCall(uint256 destinationChainId, address target, bytes data) returns (bool ok, bytes result)</c>
/// for code running on <paramref name="origin"/>: runs <c>target.call(data)</c> on the destination's
/// state inside the calling transaction, with the ClusterMessenger as msg.sender and the messenger's
/// delivery context (its transient slots 0 and 1) holding the calling contract and the origin chain.
/// </summary>
/// <remarks>
/// Rules: the destination must be another member that is neither halted nor held; re-entering a
/// chain that already has a call in progress (A -> B -> A) is refused, as is going deeper than
/// <see cref="ClusterOptions.MaxCrossCallDepth"/>: a refusal is <c>(false, Error(reason))</c>. Gas:
/// <see cref="BaseGas"/> plus whatever the destination used, at most
/// <see cref="ClusterOptions.CrossCallGasCap"/>, all charged to the origin transaction. A revert
/// on the destination is <c>(false, revertData)</c> and leaves it unchanged; a revert of the origin
/// frame (or any frame above it) undoes the destination through the origin's journal.
/// </remarks>
internal sealed class CrossChainCallHandler(CrossCallScope scope, ClusterMember origin) : ICrossChainCallHandler
{
    /// <summary>Charged for every call, on top of the destination's gas (the cost of two cold accounts and the bookkeeping).</summary>
    public const long BaseGas = CrossChainCall.BaseGas;

    private static readonly AbiSelector CrossCall = Abi.Selector("crossCall(uint256,address,bytes)");

    /// <summary>admitMessage(uint256,bytes32): the messenger's admission check for sendMessageOrRevert.</summary>
    internal static readonly AbiSelector AdmitSelector = Abi.Selector("admitMessage(uint256,bytes32)");

    /// <summary>Charged for an admission check (a cold account's worth of bookkeeping).</summary>
    public const long AdmissionGas = 2_600;

    private static readonly Address Messenger = ClusterPredeploys.Messenger;

    public CrossChainCallResult Call(IWorldState originState, in Address caller, byte[] input, long gas, bool isStatic)
    {
        if (AdmitSelector.Matches(input)) return Admit(originState, caller, input, gas, isStatic);
        if (gas < BaseGas || !TryDecode(input, out var destinationId, out var target, out var data)) return CrossChainCallResult.Failed;

        var cluster = scope.Cluster;
        var destination = cluster.FindMember(destinationId);
        var refusal =
            destination is null ? $"CrossChainCall: unknown chain {destinationId}" :
            ReferenceEquals(destination, origin) ? "CrossChainCall: destination is the calling chain" :
            scope.Stack.Contains(destinationId) ? $"CrossChainCall: re-entrant call into chain {destinationId}, which has a call in progress" :
            scope.Stack.Count > cluster.Options.MaxCrossCallDepth ? $"CrossChainCall: deeper than {cluster.Options.MaxCrossCallDepth} nested calls" :
            !cluster.CanSealMember(destination) ? $"CrossChainCall: chain {destinationId} is halted or held (see cluster_status)" :
            null;
        if (refusal is not null)
        {
            var reason = Abi.EncodeError(refusal);
            scope.Record(origin, null, null, new OutboundCall(destinationId, target, data, false, reason, 0));
            return new CrossChainCallResult(true, BaseGas, EncodeResult(false, reason));
        }

        var pushedOrigin = scope.Stack.Add(origin.ChainId);
        scope.Stack.Add(destinationId);
        var state = scope.StateOf(destination!);
        var mark = scope.Mark(destination!);
        ExecutionResult result;
        int snapshot;
        var callGas = Math.Min(gas - BaseGas, cluster.Options.CrossCallGasCap);
        try
        {
            scope.EnterTransaction(destination!);
            var context = scope.ContextOf(destination!);
            result = InboundDelivery.Run(state, context, scope.MachineOf(destination!), caller, origin.ChainId, target, data, callGas, isStatic,
                out snapshot);
        }
        finally
        {
            scope.Stack.Remove(destinationId);
            if (pushedOrigin) scope.Stack.Remove(origin.ChainId);
        }

        var used = callGas - result.GasLeft;
        var inbound = new InboundCall(origin.ChainId, destination!.Group, caller, target, data, callGas, isStatic, result.Success, result.Output, used,
            result.Success ? result.Logs : []);
        scope.Record(origin, destination, inbound, new OutboundCall(destinationId, target, data, result.Success, result.Output, used));
        // Messages the destination sent in the call are admitted with the calling transaction.
        if (result.Success && scope is LiveCrossCallScope) cluster.NoteSyncSends(originState, result.Logs);
        var undoDestination = destination;
        originState.RecordExternalUndo(() =>
        {
            // Runs only while the origin transaction is open, so the destination's scope (and journal) is too.
            if (state.TakeSnapshot() >= snapshot) state.Revert(snapshot);
            scope.Forget(undoDestination, mark);
        });
        return new CrossChainCallResult(true, BaseGas + used, EncodeResult(result.Success, result.Output));
    }

    /// <summary>
    /// admitMessage(destination, id), from the messenger only and not static: reserves room for the message
    /// in a destination block within Delta (undone with the calling frame) or says why there is none.
    /// The answer is recorded like a call's result, so a replay of the block gets the same one.
    /// </summary>
    private CrossChainCallResult Admit(IWorldState originState, in Address caller, byte[] input, long gas, bool isStatic)
    {
        if (gas < AdmissionGas || isStatic || caller != Messenger || !TryDecodeAdmit(input, out var destination, out var id))
            return CrossChainCallResult.Failed;
        var reason = scope.Cluster.AdmitOne(origin, originState, destination, id, simulation: scope is not LiveCrossCallScope);
        var output = reason is null ? [] : Abi.EncodeError(reason);
        scope.Record(origin, null, null, new OutboundCall(destination, Messenger, id.Bytes.ToArray(), reason is null, output, 0));
        return new CrossChainCallResult(true, AdmissionGas, EncodeResult(reason is null, output));
    }

    internal static bool TryDecodeAdmit(byte[] input, out ulong destination, out Hash256 id)
    {
        destination = 0;
        id = default;
        if (input.Length != 4 + 64 || !AbiReader.TryCall(input, AdmitSelector, out var arguments)) return false;
        var chain = arguments.Word(0);
        if (!chain.IsUInt64) return false;
        destination = (ulong)chain;
        id = arguments.Bytes32(1);
        return true;
    }

    public void TransactionEnded(IWorldState originState)
    {
        scope.EndTransaction();
        if (scope is LiveCrossCallScope)
        {
            scope.Cluster.ClearSyncSends();
            origin.TransactionOutboundMark = origin.Outbound.Count;
        }
    }

    /// <summary>What crossCall returns: <c>abi.encode(bool ok, bytes result)</c>.</summary>
    internal static byte[] EncodeResult(bool ok, byte[] result) => Abi.Encode(ok, AbiValue.Bytes(result));

    /// <summary>Reads <c>crossCall(uint256,address,bytes)</c> input; false when it is malformed.</summary>
    internal static bool TryDecode(byte[] input, out ulong destination, out Address target, out byte[] data)
    {
        destination = 0;
        target = default;
        data = [];
        if (!AbiReader.TryCall(input, CrossCall, out var arguments)) return false;
        try
        {
            destination = arguments.UInt64(0);
            target = arguments.Address(1);
            data = arguments.Bytes(2);
            return true;
        }
        catch (AbiException)
        {
            return false;
        }
    }
}
