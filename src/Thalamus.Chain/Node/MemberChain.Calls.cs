using Thalamus.Chain.Tracing;
using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Chain;

public sealed partial class MemberChain
{
    /// <summary>geth's estimate stops when the bracket is within 1.5% of the answer.</summary>
    private const double EstimateErrorRatio = 0.015;

    /// <summary>
    /// eth_call: executes <paramref name="request"/> on the state of <paramref name="block"/> and
    /// discards the changes. A revert is a result (Reverted, ReturnData = revert data), not an exception.
    /// </summary>
    /// <exception cref="ChainException">unknown block, or the call is invalid (e.g. insufficient funds).</exception>
    public CallResult Call(CallRequest request, BlockSelector block)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = ResolveHeader(block) ?? throw HeaderNotFound(block);
        var gas = CallGas(request, header, out var capped);
        var result = ExecuteCall(request, header, gas);
        if (!result.IsValid) throw new ChainException(result.Error ?? "invalid call");
        var reverted = result.Status == ExecutionStatus.Revert;
        return new CallResult
        {
            Success = result.Success,
            ReturnData = result.Output,
            GasUsed = (ulong)result.GasUsed,
            Reverted = reverted,
            Error = result.Success ? null : reverted ? "execution reverted" : CallFailure(result, capped, gas),
        };
    }

    /// <summary>The RPC gas cap for calls on <paramref name="header"/>'s block (<see cref="ChainProfile.RpcGasCap"/>; zero = its gas limit).</summary>
    public ulong RpcGasCapFor(BlockHeader header)
    {
        ArgumentNullException.ThrowIfNull(header);
        return Profile.RpcGasCap == 0 ? header.GasLimit : Profile.RpcGasCap;
    }

    /// <summary>
    /// The gas an eth_call or eth_createAccessList runs with: the request's, or the cap when it
    /// asks for none or for more (geth caps, it does not refuse); <paramref name="capped"/> says the cap decided.
    /// </summary>
    private ulong CallGas(CallRequest request, BlockHeader header, out bool capped)
    {
        var cap = RpcGasCapFor(header);
        capped = request.Gas is not { } given || given >= cap;
        return capped ? cap : request.Gas!.Value;
    }

    /// <summary>Why a call failed: out of gas under the cap reads as geth's estimate does, naming the cap.</summary>
    private static string CallFailure(TransactionResult result, bool capped, ulong gas) =>
        capped && result.Status == ExecutionStatus.OutOfGas
            ? $"gas required exceeds allowance ({gas})"
            : result.Error ?? result.Status.ToString();

    /// <summary>
    /// eth_estimateGas: the smallest gas limit (within 1.5%) at which the call succeeds, found by
    /// binary search as geth does.
    /// </summary>
    /// <exception cref="ExecutionRevertedException">the call reverts even with all the gas (code 3, revert data).</exception>
    /// <exception cref="ChainException">unknown block, invalid call, or no gas limit up to the cap makes it succeed.</exception>
    public ulong EstimateGas(CallRequest request, BlockSelector block)
    {
        ArgumentNullException.ThrowIfNull(request);
        var header = ResolveHeader(block) ?? throw HeaderNotFound(block);
        var hi = request.Gas is { } given && given >= IntrinsicGas.Transaction ? given : header.GasLimit;
        hi = Math.Min(hi, RpcGasCapFor(header));

        // With fees, the sender's balance caps the gas it can buy (geth's allowance rule).
        if (request.HasFees)
        {
            var feeCap = request.MaxFeePerGas ?? request.GasPrice ?? UInt256.Zero;
            if (!feeCap.IsZero)
            {
                var balance = OpenState(header).GetBalance(request.From ?? Address.Zero);
                var value = request.Value ?? UInt256.Zero;
                if (value > balance) throw new ChainException("insufficient funds for transfer");
                var allowance = (balance - value) / feeCap;
                if (allowance.IsUInt64 && (ulong)allowance < hi) hi = (ulong)allowance;
            }
        }

        var first = ExecuteCall(request, header, hi);
        if (!first.IsValid) throw new ChainException(first.Error ?? "invalid call");
        if (!first.Success)
        {
            if (first.Status == ExecutionStatus.Revert) throw new ExecutionRevertedException(first.Output);
            if (first.Status == ExecutionStatus.OutOfGas) throw new ChainException($"gas required exceeds allowance ({hi})");
            throw new ChainException(first.Error ?? first.Status.ToString());
        }

        // A plain transfer to an account without code needs exactly the intrinsic gas.
        var lo = (ulong)first.GasUsed - 1;
        if (request.To is { } to && (request.Data is null || request.Data.Length == 0) && (request.AccessList is null || request.AccessList.Count == 0)
            && OpenState(header).GetCode(to).Length == 0)
            return IntrinsicGas.Transaction;

        // Optimistic guess: the used gas plus the 63/64 reserve usually suffices.
        var optimistic = ((ulong)first.GasUsed + 2300) * 64 / 63;
        if (optimistic < hi)
        {
            var attempt = ExecuteCall(request, header, optimistic);
            if (attempt.IsValid && attempt.Success) hi = optimistic;
            else lo = Math.Max(lo, optimistic);
        }

        while (lo + 1 < hi)
        {
            if ((double)(hi - lo) / hi < EstimateErrorRatio) break;
            var mid = lo + (hi - lo) / 2;
            if (mid > lo * 2) mid = lo * 2; // most calls need little gas: search low first
            var attempt = ExecuteCall(request, header, mid);
            if (attempt.IsValid && attempt.Success) hi = mid;
            else lo = mid;
        }
        return hi;
    }

    /// <summary>Runs the request as a transaction with <paramref name="gas"/> on a fresh copy of the block's state (with the head's setter edits).</summary>
    private TransactionResult ExecuteCall(CallRequest request, BlockHeader header, ulong gas) =>
        ExecuteCallOn(OpenState(header), request, header, gas);

    /// <summary>Runs the request on <paramref name="state"/> (the block's state, possibly wrapped) in the block's context.</summary>
    /// <param name="tracer">debug_traceCall's tracer: it sees the call start and may wrap the state.</param>
    private TransactionResult ExecuteCallOn(IWorldState state, CallRequest request, BlockHeader header, ulong gas, ITransactionTracer? tracer = null)
    {
        var from = request.From ?? Address.Zero;
        var hasFees = request.HasFees;
        var tx = BuildCallTransaction(request, state.GetNonce(from), gas);
        var context = new BlockContext
        {
            Coinbase = header.Coinbase,
            Number = header.Number,
            Timestamp = header.Timestamp,
            GasLimit = (long)Math.Max(header.GasLimit, gas),
            // Like geth, a call without fees runs with a zero base fee so that a zero price is valid.
            BaseFee = hasFees ? header.BaseFeePerGas : UInt256.Zero,
            PrevRandao = header.PrevRandao,
            BlobBaseFee = header.BlobBaseFee,
            ChainId = ChainId,
            BlockHashProvider = BlockHashAt,
            NativeContracts = _builder.NativeContracts,
            CrossChainCalls = _coordinator?.CreateSimulationHandler(this),
            Admission = _coordinator?.CreateSimulationAdmission(this),
        };
        if (tracer is null) return _callProcessor.Execute(state, context, tx, from);
        tracer.OnTransactionStart(tx, from, context);
        return new TransactionProcessor(tracer) { SkipAccountChecks = true }.Execute(tracer.Wrap(state), context, tx, from);
    }

    private Transaction BuildCallTransaction(CallRequest request, ulong nonce, ulong gas)
    {
        var accessList = request.AccessList ?? [];
        var data = request.Data ?? [];
        var value = request.Value ?? UInt256.Zero;
        if (request.BlobVersionedHashes is { Count: > 0 } blobHashes)
        {
            return new Transaction
            {
                Type = TxType.Blob, ChainId = ChainId, Nonce = nonce, GasLimit = gas, To = request.To, Value = value, Data = data,
                AccessList = accessList, MaxFeePerGas = request.MaxFeePerGas ?? UInt256.Zero, MaxPriorityFeePerGas = request.MaxPriorityFeePerGas ?? UInt256.Zero,
                MaxFeePerBlobGas = request.MaxFeePerBlobGas ?? UInt256.Zero, BlobVersionedHashes = blobHashes,
            };
        }
        if (request.MaxFeePerGas is not null || request.MaxPriorityFeePerGas is not null)
        {
            var maxFee = request.MaxFeePerGas ?? request.MaxPriorityFeePerGas!.Value;
            var tip = request.MaxPriorityFeePerGas ?? UInt256.Zero;
            return new Transaction
            {
                Type = TxType.DynamicFee, ChainId = ChainId, Nonce = nonce, GasLimit = gas, To = request.To, Value = value, Data = data,
                AccessList = accessList, MaxFeePerGas = maxFee, MaxPriorityFeePerGas = tip < maxFee ? tip : maxFee,
            };
        }
        return new Transaction
        {
            Type = accessList.Count > 0 ? TxType.AccessList : TxType.Legacy, ChainId = ChainId, Nonce = nonce, GasLimit = gas,
            To = request.To, Value = value, Data = data, AccessList = accessList, GasPrice = request.GasPrice ?? UInt256.Zero,
        };
    }
}
