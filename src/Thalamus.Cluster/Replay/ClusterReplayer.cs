using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Evm;
using Thalamus.State;

namespace Thalamus.Cluster.Replay;

/// <summary>
/// Re-executes a member chain's blocks from genesis on a fresh in-memory state, one chain at a time:
/// each block's cluster section supplies what came from other chains (the synchronous calls it
/// received, applied before its transactions, and the results its own calls got), so the state
/// root, receipts root and gas used of every block can be checked without the other chains.
/// </summary>
public static class ClusterReplayer
{
    /// <summary>A member chain's native contracts without protocol modules: the Cancun precompiles and CrossChainCall (what a verifier replays with).</summary>
    public static NativeContracts DefaultNativeContracts { get; } = NativeContracts.Cancun.With([CrossChainCallContract.Instance]);

    /// <summary>Verifies every block of <paramref name="store"/> up to its head (as it is when the call starts).</summary>
    /// <param name="nativeContracts">The chain's native contracts (<see cref="MemberChain.NativeContracts"/>); by default the Cancun precompiles and CrossChainCall.</param>
    public static ReplayReport Verify(IChainStore store, ChainProfile profile, GenesisConfig genesis, NativeContracts? nativeContracts = null)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(profile);
        ArgumentNullException.ThrowIfNull(genesis);
        var mismatches = new List<ReplayMismatch>();
        if (store.HeadNumber is not { } head || store.GetHeader(store.FirstNumber) is not { } storedGenesis)
            return new ReplayReport { ChainId = profile.ChainId, BlocksChecked = 0, Mismatches = [new ReplayMismatch(0, "the store has no genesis block")] };

        // A fork re-executes over the same (cached) remote state.
        var state = new WorldState(new MemoryKeyValueStore(), Keccak256.OfEmptyList, genesis.RemoteState);
        var genesisBlock = BlockBuilder.BuildGenesis(genesis, state);
        if (genesisBlock.Hash != storedGenesis.Hash)
            mismatches.Add(new ReplayMismatch(0, $"genesis hash {storedGenesis.Hash} differs from the rebuilt {genesisBlock.Hash} (state root {storedGenesis.StateRoot} vs {genesisBlock.Header.StateRoot})"));

        var builder = new BlockBuilder(profile) { NativeContracts = nativeContracts ?? DefaultNativeContracts };
        var processor = new TransactionProcessor();
        var machine = new VirtualMachine();
        var parent = storedGenesis;
        ulong checkedBlocks = 1;
        for (var number = storedGenesis.Number + 1; number <= head; number++)
        {
            if (store.GetBlock(number) is not { } block)
            {
                mismatches.Add(new ReplayMismatch(number, "the block is missing from the store"));
                break;
            }
            VerifyBlock(store, builder, processor, machine, state, parent, block, mismatches);
            parent = block.Header;
            checkedBlocks++;
        }
        return new ReplayReport { ChainId = profile.ChainId, BlocksChecked = checkedBlocks, Mismatches = mismatches };
    }

    /// <summary>Verifies every chain of <paramref name="cluster"/> (see <see cref="NodeCluster.GenesisOf"/>).</summary>
    public static IReadOnlyList<ReplayReport> VerifyCluster(NodeCluster cluster)
    {
        ArgumentNullException.ThrowIfNull(cluster);
        return cluster.Chains.Select(chain => Verify(chain.Store, chain.Profile, cluster.GenesisOf(chain.ChainId), chain.NativeContracts)).ToList();
    }

    private static void VerifyBlock(IChainStore store, BlockBuilder builder, TransactionProcessor processor, VirtualMachine machine,
        WorldState state, BlockHeader parent, Block block, List<ReplayMismatch> mismatches)
    {
        var header = block.Header;
        var number = header.Number;
        void Mismatch(string what) => mismatches.Add(new ReplayMismatch(number, what));

        if (header.ParentHash != parent.Hash) Mismatch($"parent hash {header.ParentHash} is not block {parent.Number}'s hash {parent.Hash}");
        var section = ReadSection(block, Mismatch);

        var handler = new ReplayCrossCallHandler(section.Outbound, Mismatch);
        // The block's own header gives coinbase, gas limit and base fee (anvil's setters change them).
        var context = builder.ContextOf(header, n => store.GetHeader(n)?.Hash ?? Hash256.Zero);
        context.CrossChainCalls = handler;

        ApplyInbound(state, context, machine, section.Inbound, Mismatch);

        var execution = new BlockExecution(processor, state, context);
        for (var i = 0; i < block.Transactions.Count; i++)
        {
            var tx = block.Transactions[i];
            Address sender;
            try
            {
                sender = tx.ResolveSender();
            }
            catch (InvalidSignatureException e)
            {
                Mismatch($"transaction {i}: {e.Message}");
                return;
            }
            var result = execution.Apply(tx, sender);
            if (!result.IsValid)
            {
                Mismatch($"transaction {i} ({tx.Hash}) is invalid on replay: {result.Error}");
                return;
            }
        }
        if (handler.Unconsumed > 0) Mismatch($"{handler.Unconsumed} recorded cross-chain call results were not used by the block's code");
        foreach (var difference in execution.Finish().Differences(header)) Mismatch(difference);
    }

    /// <summary>
    /// Re-execution of one stored block for tracing: its received calls (applied before its
    /// transactions) and its own calls answered from the recorded results; null without a section.
    /// </summary>
    public static BlockReplay? PrepareReplay(Block block)
    {
        ArgumentNullException.ThrowIfNull(block);
        if (block.ClusterSection is null) return null;
        var section = ReadSection(block, _ => { });
        return new BlockReplay
        {
            CrossChainCalls = new ReplayCrossCallHandler(section.Outbound, _ => { }),
            ApplyInbound = (state, context) => ApplyInbound(state, context, new VirtualMachine(), section.Inbound, _ => { }),
        };
    }

    /// <summary>The block's section, checked against the header's extra data (an empty section when absent or unreadable).</summary>
    private static ClusterSection ReadSection(Block block, Action<string> mismatch)
    {
        var extra = block.Header.ExtraData;
        if (block.ClusterSection is not { } encoded)
        {
            if (extra.Length != 0) mismatch($"extra data {Hex.Encode(extra)} but the block has no cluster section");
            return new ClusterSection([], []);
        }
        var hash = Keccak256.Compute(encoded);
        if (!hash.Bytes.SequenceEqual(extra)) mismatch($"extra data {Hex.Encode(extra)} is not the cluster section's hash {hash}");
        try
        {
            return ClusterSection.Decode(encoded);
        }
        catch (RlpException e)
        {
            mismatch($"the cluster section is malformed: {e.Message}");
            return new ClusterSection([], []);
        }
    }

    /// <summary>
    /// The received calls, as the live handler ran them: each group (one origin transaction) in one
    /// transaction scope, each call with the messenger as sender and its delivery context in the
    /// messenger's transient slots, reverted when it failed.
    /// </summary>
    private static void ApplyInbound(WorldState state, BlockContext context, VirtualMachine machine, IReadOnlyList<InboundCall> inbound,
        Action<string> mismatch)
    {
        var i = 0;
        while (i < inbound.Count)
        {
            var group = inbound[i].Group;
            state.BeginTransaction();
            for (; i < inbound.Count && inbound[i].Group == group; i++) ApplyInboundCall(state, context, machine, inbound[i], i, mismatch);
            state.EndTransaction();
        }
    }

    private static void ApplyInboundCall(WorldState state, BlockContext context, VirtualMachine machine, InboundCall call, int index,
        Action<string> mismatch)
    {
        var result = InboundDelivery.Run(state, context, machine, call.Caller, call.SourceChainId, call.Target, call.Data, call.Gas, call.IsStatic, out _);

        var what = $"inbound call {index} (from chain {call.SourceChainId}, {call.Caller} to {call.Target})";
        if (result.Success != call.Ok) mismatch($"{what} {(result.Success ? "succeeded" : "failed")} on replay but was recorded as {(call.Ok ? "succeeded" : "failed")}");
        if (!result.Output.AsSpan().SequenceEqual(call.Output)) mismatch($"{what} returned {Hex.Encode(result.Output)}, recorded {Hex.Encode(call.Output)}");
        var used = call.Gas - result.GasLeft;
        if (used != call.GasUsed) mismatch($"{what} used {used} gas, recorded {call.GasUsed}");
        var logs = result.Success ? result.Logs : [];
        if (!SameLogs(logs, call.Logs)) mismatch($"{what} emitted {logs.Count} logs that differ from the {call.Logs.Count} recorded");
    }

    private static bool SameLogs(IReadOnlyList<LogEntry> actual, IReadOnlyList<LogEntry> recorded)
    {
        if (actual.Count != recorded.Count) return false;
        for (var i = 0; i < actual.Count; i++)
        {
            var (a, r) = (actual[i], recorded[i]);
            if (a.Address != r.Address || a.Topics.Length != r.Topics.Length || !a.Data.AsSpan().SequenceEqual(r.Data)) return false;
            for (var t = 0; t < a.Topics.Length; t++) if (a.Topics[t] != r.Topics[t]) return false;
        }
        return true;
    }
}
