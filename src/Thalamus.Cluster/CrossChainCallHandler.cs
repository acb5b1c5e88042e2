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
    public const long BaseGas = 20_000;

    /// <summary>crossCall(uint256,address,bytes).</summary>
    private const uint Selector = 0x6161c169;

    /// <summary>admitMessage(uint256,bytes32): the messenger's admission check for sendMessageOrRevert.</summary>
    internal const uint AdmitSelector = 0xd0d0d3ad;

    /// <summary>Charged for an admission check (a cold account's worth of bookkeeping).</summary>
    public const long AdmissionGas = 2_600;

    private static readonly Address Messenger = ClusterPredeploys.Messenger;

    public CrossChainCallResult Call(IWorldState originState, in Address caller, byte[] input, long gas, bool isStatic)
    {
        if (AbiCodec.Selector(input) == AdmitSelector) return Admit(originState, caller, input, gas, isStatic);
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
            var reason = AbiCodec.EncodeError(refusal);
            scope.Record(origin, null, null, new OutboundCall(destinationId, target, data, false, reason, 0));
            return new CrossChainCallResult(true, BaseGas, AbiCodec.EncodeCallResult(false, reason));
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
            snapshot = state.TakeSnapshot();
            var previousSender = state.GetTransientStorage(Messenger, UInt256.Zero);
            var previousSource = state.GetTransientStorage(Messenger, UInt256.One);
            state.SetTransientStorage(Messenger, UInt256.Zero, caller.ToUInt256());
            state.SetTransientStorage(Messenger, UInt256.One, new UInt256(origin.ChainId));
            state.WarmAddress(Messenger);
            state.WarmAddress(target);
            result = scope.MachineOf(destination!).Call(state, context, new TransactionContext { Origin = Messenger }, Messenger, target,
                UInt256.Zero, data, callGas, isStatic);
            if (result.Success)
            {
                state.SetTransientStorage(Messenger, UInt256.Zero, previousSender);
                state.SetTransientStorage(Messenger, UInt256.One, previousSource);
                foreach (var destroyed in result.DestroyedAccounts) state.DeleteAccount(destroyed);
            }
            else
            {
                state.Revert(snapshot);
            }
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
        return new CrossChainCallResult(true, BaseGas + used, AbiCodec.EncodeCallResult(result.Success, result.Output));
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
        var output = reason is null ? [] : AbiCodec.EncodeError(reason);
        scope.Record(origin, null, null, new OutboundCall(destination, Messenger, id.Bytes.ToArray(), reason is null, output, 0));
        return new CrossChainCallResult(true, AdmissionGas, AbiCodec.EncodeCallResult(reason is null, output));
    }

    internal static bool TryDecodeAdmit(byte[] input, out ulong destination, out Hash256 id)
    {
        destination = 0;
        id = default;
        if (input.Length != 4 + 64 || AbiCodec.Selector(input) != AdmitSelector) return false;
        var chain = AbiCodec.ReadWord(input.AsSpan(4), 0);
        if (!chain.IsUInt64) return false;
        destination = (ulong)chain;
        id = new Hash256(input.AsSpan(36, 32));
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

    /// <summary>Reads <c>crossCall(uint256,address,bytes)</c> input; false when it is malformed.</summary>
    internal static bool TryDecode(byte[] input, out ulong destination, out Address target, out byte[] data)
    {
        destination = 0;
        target = default;
        data = [];
        if (input.Length < 4 + 96 || AbiCodec.Selector(input) != Selector) return false;
        var body = input.AsSpan(4);
        try
        {
            var chain = AbiCodec.ReadWord(body, 0);
            if (!chain.IsUInt64) return false;
            destination = (ulong)chain;
            target = AbiCodec.ReadAddress(body, 1);
            data = AbiCodec.ReadBytes(body, 2);
            return true;
        }
        catch (FormatException)
        {
            return false;
        }
    }
}
