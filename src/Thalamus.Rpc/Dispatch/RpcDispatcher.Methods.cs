using System.Text.Json;

namespace Thalamus.Rpc;

public sealed partial class RpcDispatcher
{
    /// <summary>Every method this endpoint serves (rpc_modules and tests list them).</summary>
    public static IReadOnlyList<string> SupportedMethods { get; } =
    [
        "eth_chainId", "eth_blockNumber", "eth_getBalance", "eth_getCode", "eth_getStorageAt", "eth_getTransactionCount",
        "eth_call", "eth_estimateGas", "eth_createAccessList", "eth_getProof", "eth_gasPrice", "eth_maxPriorityFeePerGas", "eth_blobBaseFee", "eth_feeHistory",
        "eth_getBlockByNumber", "eth_getBlockByHash", "eth_getBlockTransactionCountByNumber", "eth_getBlockTransactionCountByHash",
        "eth_getTransactionByBlockNumberAndIndex", "eth_getTransactionByBlockHashAndIndex", "eth_getUncleCountByBlockNumber",
        "eth_getUncleCountByBlockHash", "eth_getUncleByBlockNumberAndIndex", "eth_getUncleByBlockHashAndIndex", "eth_getBlockReceipts",
        "eth_getTransactionByHash", "eth_getTransactionReceipt", "eth_getLogs", "eth_sendRawTransaction", "eth_sendTransaction",
        "eth_sign", "personal_sign", "eth_accounts", "eth_syncing", "eth_mining", "eth_hashrate", "eth_coinbase",
        "eth_newFilter", "eth_newBlockFilter", "eth_newPendingTransactionFilter", "eth_getFilterChanges", "eth_getFilterLogs",
        "eth_uninstallFilter", "eth_subscribe", "eth_unsubscribe",
        "net_version", "net_listening", "net_peerCount", "web3_clientVersion", "web3_sha3", "rpc_modules",
        "evm_mine", "evm_snapshot", "evm_revert", "evm_increaseTime", "evm_setNextBlockTimestamp", "evm_setAutomine",
        "evm_setIntervalMining", "anvil_mine", "hardhat_mine", "anvil_setAutomine", "anvil_getAutomine", "hardhat_getAutomine",
        "anvil_setIntervalMining", "anvil_setBalance", "hardhat_setBalance", "anvil_setCode", "hardhat_setCode",
        "anvil_setNonce", "hardhat_setNonce", "anvil_setStorageAt", "hardhat_setStorageAt",
        // developer tools (RpcDispatcher.Debug.cs)
        "debug_traceTransaction", "debug_traceCall", "debug_traceBlockByNumber", "debug_traceBlockByHash",
        "txpool_status", "txpool_content", "txpool_inspect", "anvil_dropTransaction", "eth_getRawTransactionByHash",
        // anvil's block settings, node description and signing (RpcDispatcher.AnvilNode.cs, RpcDispatcher.Transactions.cs)
        "anvil_setCoinbase", "anvil_setNextBlockBaseFeePerGas", "anvil_setMinGasPrice", "anvil_setBlockTimestampInterval",
        "anvil_removeBlockTimestampInterval", "evm_setBlockGasLimit", "anvil_nodeInfo", "anvil_metadata",
        "eth_signTransaction", "eth_signTypedData_v4",
        // state dump and load (RpcDispatcher.StateDump.cs)
        "anvil_dumpState", "anvil_loadState",
        // impersonation, reset and chain id (RpcDispatcher.Impersonation.cs), simulation (RpcDispatcher.Simulate.cs)
        "anvil_impersonateAccount", "hardhat_impersonateAccount", "anvil_stopImpersonatingAccount", "hardhat_stopImpersonatingAccount",
        "anvil_autoImpersonateAccount", "anvil_reset", "hardhat_reset", "anvil_setChainId", "eth_simulateV1",
        // and whatever RpcServerOptions.Methods registers (a cluster's modules: cluster_*)
    ];

    private void Invoke(string method, ReadOnlySpan<byte> parameters, RpcSession? session, Utf8JsonWriter w)
    {
        var p = new ParamReader(parameters);
        switch (method)
        {
            // chain state
            case "eth_chainId": p.End(); w.WriteQuantity(Backend.ChainId); break;
            case "eth_blockNumber": p.End(); w.WriteQuantity(Backend.Head.Number); break;
            case "eth_getBalance": GetBalance(ref p, w); break;
            case "eth_getCode": GetCode(ref p, w); break;
            case "eth_getStorageAt": GetStorageAt(ref p, w); break;
            case "eth_getTransactionCount": GetTransactionCount(ref p, w); break;
            case "eth_call": Call(ref p, w); break;
            case "eth_estimateGas": EstimateGas(ref p, w); break;
            case "eth_createAccessList": CreateAccessList(ref p, w); break;
            case "eth_getProof": GetProof(ref p, w); break;
            case "eth_gasPrice": p.End(); w.WriteQuantity(Backend.GasPrice()); break;
            case "eth_maxPriorityFeePerGas": p.End(); w.WriteQuantity(Backend.MaxPriorityFeePerGas()); break;
            case "eth_blobBaseFee": p.End(); w.WriteQuantity(Backend.Head.BlobBaseFee); break;
            case "eth_feeHistory": FeeHistory(ref p, w); break;

            // blocks and transactions
            case "eth_getBlockByNumber": GetBlockByNumber(ref p, w); break;
            case "eth_getBlockByHash": GetBlockByHash(ref p, w); break;
            case "eth_getBlockTransactionCountByNumber": GetBlockTransactionCount(ref p, w, byHash: false); break;
            case "eth_getBlockTransactionCountByHash": GetBlockTransactionCount(ref p, w, byHash: true); break;
            case "eth_getTransactionByBlockNumberAndIndex": GetTransactionByBlockAndIndex(ref p, w, byHash: false); break;
            case "eth_getTransactionByBlockHashAndIndex": GetTransactionByBlockAndIndex(ref p, w, byHash: true); break;
            case "eth_getUncleCountByBlockNumber": GetUncleCount(ref p, w, byHash: false); break;
            case "eth_getUncleCountByBlockHash": GetUncleCount(ref p, w, byHash: true); break;
            case "eth_getUncleByBlockNumberAndIndex": p.ReadBlockTag("block"); p.ReadQuantity("index"); p.End(); w.WriteNullValue(); break;
            case "eth_getUncleByBlockHashAndIndex": p.ReadHash("blockHash"); p.ReadQuantity("index"); p.End(); w.WriteNullValue(); break;
            case "eth_getBlockReceipts": GetBlockReceipts(ref p, w); break;
            case "eth_getTransactionByHash": GetTransactionByHash(ref p, w); break;
            case "eth_getTransactionReceipt": GetTransactionReceipt(ref p, w); break;
            case "eth_getLogs": GetLogs(ref p, w); break;
            case "eth_sendRawTransaction": SendRawTransaction(ref p, w); break;
            case "eth_sendTransaction": SendTransaction(ref p, w); break;
            case "eth_sign": Sign(ref p, w, addressFirst: true); break;
            case "personal_sign": Sign(ref p, w, addressFirst: false); break;

            // filters and subscriptions
            case "eth_newFilter": NewFilter(ref p, w); break;
            case "eth_newBlockFilter": p.End(); w.WriteStringValue(Filters.AddBlockFilter()); break;
            case "eth_newPendingTransactionFilter": p.End(); w.WriteStringValue(Filters.AddPendingTransactionFilter()); break;
            case "eth_getFilterChanges": GetFilterChanges(ref p, w); break;
            case "eth_getFilterLogs": GetFilterLogs(ref p, w); break;
            case "eth_uninstallFilter": UninstallFilter(ref p, w); break;
            case "eth_subscribe": Subscribe(ref p, session, w); break;
            case "eth_unsubscribe": Unsubscribe(ref p, session, w); break;

            // node information
            case "eth_accounts": p.End(); WriteAccounts(w); break;
            case "eth_syncing": p.End(); w.WriteBooleanValue(false); break;
            case "eth_mining": p.End(); w.WriteBooleanValue(false); break;
            case "eth_hashrate": p.End(); w.WriteQuantity(0UL); break;
            case "eth_coinbase": p.End(); w.WriteAddress(Backend.Head.Coinbase); break;
            case "net_version": p.End(); w.WriteStringValue(Backend.ChainId.ToString(System.Globalization.CultureInfo.InvariantCulture)); break;
            case "net_listening": p.End(); w.WriteBooleanValue(true); break;
            case "net_peerCount": p.End(); w.WriteQuantity(0UL); break;
            case "web3_clientVersion": p.End(); w.WriteStringValue(Options.ClientVersion); break;
            case "web3_sha3": Sha3(ref p, w); break;
            case "rpc_modules": p.End(); WriteModules(w); break;

            // dev conveniences (anvil / Hardhat names)
            case "evm_mine": Mine(ref p, w); break;
            case "anvil_mine" or "hardhat_mine": MineMany(ref p, w); break;
            case "evm_snapshot": p.End(); w.WriteQuantity(Backend.Snapshot()); break;
            case "evm_revert": Revert(ref p, w); break;
            case "evm_increaseTime": IncreaseTime(ref p, w); break;
            case "evm_setNextBlockTimestamp": SetNextBlockTimestamp(ref p, w); break;
            case "evm_setAutomine" or "anvil_setAutomine": SetAutomine(ref p, w); break;
            case "anvil_getAutomine" or "hardhat_getAutomine": p.End(); w.WriteBooleanValue(Backend.Automine); break;
            case "evm_setIntervalMining" or "anvil_setIntervalMining": SetIntervalMining(ref p, w); break;
            case "anvil_setBalance" or "hardhat_setBalance": SetBalance(ref p, w); break;
            case "anvil_setCode" or "hardhat_setCode": SetCode(ref p, w); break;
            case "anvil_setNonce" or "hardhat_setNonce": SetNonce(ref p, w); break;
            case "anvil_setStorageAt" or "hardhat_setStorageAt": SetStorageAt(ref p, w); break;

            // developer tools: tracing (RpcDispatcher.Debug.cs)
            case "debug_traceTransaction": TraceTransaction(ref p, w); break;
            case "debug_traceCall": TraceCall(ref p, w); break;
            case "debug_traceBlockByNumber": TraceBlock(ref p, w, byHash: false); break;
            case "debug_traceBlockByHash": TraceBlock(ref p, w, byHash: true); break;
            case "txpool_status": p.End(); PoolStatus(w); break;
            case "txpool_content": p.End(); PoolContent(w, inspect: false); break;
            case "txpool_inspect": p.End(); PoolContent(w, inspect: true); break;
            case "anvil_dropTransaction": DropTransaction(ref p, w); break;
            case "eth_getRawTransactionByHash": GetRawTransactionByHash(ref p, w); break;

            // anvil's block settings, node description and signing
            case "anvil_setCoinbase": SetCoinbase(ref p, w); break;
            case "anvil_setNextBlockBaseFeePerGas": SetNextBlockBaseFeePerGas(ref p, w); break;
            case "anvil_setMinGasPrice": SetMinGasPrice(ref p); break;
            case "anvil_setBlockTimestampInterval": SetBlockTimestampInterval(ref p, w); break;
            case "anvil_removeBlockTimestampInterval": p.End(); w.WriteBooleanValue(Backend.RemoveBlockTimestampInterval()); break;
            case "evm_setBlockGasLimit": SetBlockGasLimit(ref p, w); break;
            case "anvil_nodeInfo": p.End(); NodeInfo(w); break;
            case "anvil_metadata": p.End(); Metadata(w); break;
            case "eth_signTransaction": SignTransaction(ref p, w); break;
            case "eth_signTypedData_v4": SignTypedData(ref p, w); break;
            case "anvil_dumpState": DumpState(ref p, w); break;
            case "anvil_loadState": LoadState(ref p, w); break;
            case "anvil_impersonateAccount" or "hardhat_impersonateAccount": ImpersonateAccount(ref p, w, start: true); break;
            case "anvil_stopImpersonatingAccount" or "hardhat_stopImpersonatingAccount": ImpersonateAccount(ref p, w, start: false); break;
            case "anvil_autoImpersonateAccount": AutoImpersonateAccount(ref p, w); break;
            case "anvil_reset" or "hardhat_reset": ResetChain(ref p, w); break;
            case "anvil_setChainId": SetChainId(ref p, w); break;
            case "eth_simulateV1": SimulateV1(ref p, w); break;


            // the modules' namespaces (a node-cluster's cluster_*); -32601 when nobody registered the method
            default:
                var registered = Options.Methods?.Find(method) ?? throw RpcException.MethodNotFound(method);
                registered(ref p, w);
                break;
        }
    }

    private void WriteAccounts(Utf8JsonWriter w)
    {
        w.WriteStartArray();
        foreach (var account in Options.Accounts) w.WriteAddress(account.Address);
        w.WriteEndArray();
    }

    private void WriteModules(Utf8JsonWriter w)
    {
        // The namespaces this endpoint serves (its access policy) that have methods here; cluster only in a cluster.
        w.WriteStartObject();
        var methods = Options.Methods;
        foreach (var module in Options.Access.Namespaces)
        {
            var registered = methods is not null && methods.Namespaces.Contains(module);
            if (!registered && !SupportedMethods.Any(m => m.Length > module.Length && m[module.Length] == '_' && m.StartsWith(module, StringComparison.Ordinal))) continue;
            w.WriteString(module, "1.0");
        }
        // A module's own namespace that the access table does not know is served only by an open endpoint (devnet).
        if (methods is not null && ReferenceEquals(Options.Access, RpcAccessPolicy.Open))
            foreach (var ns in methods.Namespaces)
                if (!Options.Access.Namespaces.Contains(ns)) w.WriteString(ns, "1.0");
        w.WriteEndObject();
    }
}
