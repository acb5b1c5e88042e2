using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.Evm.Precompiles;
using Thalamus.Modules;
using Thalamus.State;

namespace Thalamus.Cluster;

// The modules every cluster has, besides the messenger (ClusterMessengerModule.cs).

/// <summary>Synchronous cross-chain calls on the seam: the native <c>CrossChainCall</c> contract on every chain.</summary>
internal sealed class CrossChainCallModule : IClusterModule
{
    public string Name => "crossChainCall";

    public IEnumerable<NativeContract> NativeContracts(ulong chainId) => [CrossChainCallContract.Instance];
}

/// <summary>
/// <c>ICrossChainCall(0x…24).crossCall</c>: answered by the block context's <see cref="BlockContext.CrossChainCalls"/>
/// (live, simulated for eth_call, or replayed from a block's section). Not an Ethereum precompile: only a
/// CALL or STATICCALL without value reaches it, the address is never touched and it does not start
/// warm (so its gas is what it always was), and the handler learns when each transaction ends.
/// </summary>
internal sealed class CrossChainCallContract() : NativeContract(ClusterPredeploys.CrossChainCall)
{
    public static CrossChainCallContract Instance { get; } = new();

    public override bool IsPrecompile => false;

    public override bool WarmAtTransactionStart => false;

    public override bool HasTransactionScope => true;

    public override PrecompileResult Run(in NativeCall call)
    {
        // Without a handler (never in a cluster's contexts) the address behaves as the empty account it is.
        if (call.Block.CrossChainCalls is not { } handler) return new PrecompileResult(true, 0, []);
        var result = handler.Call(call.State, call.Caller, call.Input, call.Gas, call.IsStatic);
        return new PrecompileResult(result.Success, result.GasUsed, result.Output);
    }

    public override void TransactionEnded(IWorldState state, BlockContext block) => block.CrossChainCalls?.TransactionEnded(state);
}

/// <summary>The cluster_* namespace (chains, status, messages, halt and resume) on the seam.</summary>
internal sealed class ClusterRpcModule(IClusterBackend backend) : IClusterModule
{
    public string Name => "cluster";

    public void RegisterRpcMethods(Rpc.RpcMethodRegistry registry) => ClusterRpcMethods.Register(registry, backend);
}
