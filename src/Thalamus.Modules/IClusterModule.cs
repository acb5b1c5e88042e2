using Thalamus.Chain;
using Thalamus.Evm;
using Thalamus.Rpc;

namespace Thalamus.Modules;

/// <summary>
/// A protocol plugged into a node-cluster (the messenger, synchronous calls and liveness today; RTC,
/// multicast, DDPN, settlement and governance next). Registered when the cluster is created, it gets
/// four things without editing the cluster or the RPC dispatcher: system transactions at the start of
/// a chain's block (by also implementing <see cref="ISystemTransactionSource"/>), native contracts at
/// fixed addresses, every committed slot (with a checkpoint in the slot's transaction), and an RPC
/// namespace. Every hook but <see cref="RegisterRpcMethods"/> runs under the cluster's lock, in module
/// registration order; each has a default that does nothing.
/// </summary>
public interface IClusterModule
{
    /// <summary>Short and stable: the key of the module's gas share and of its stored state (e.g. "messenger").</summary>
    string Name { get; }

    /// <summary>
    /// Called once when the cluster is created, before its first slot: read the stored state (an index
    /// and its checkpoint) and catch up with the blocks committed after the checkpoint.
    /// </summary>
    void Attach(IClusterHost host)
    {
    }

    /// <summary>
    /// Accounts chain <paramref name="chainId"/> has from genesis: the module's Solidity predeploys (runtime
    /// code and storage, at fixed addresses) and its funded <see cref="SystemAccount"/>. Asked when a chain
    /// is created (at cluster creation or <c>AddChain</c>) and when its genesis is rebuilt for replay; a
    /// chain resumed from a database keeps the genesis it was created with. <paramref name="genesisTimestamp"/> is
    /// the genesis block's time (the stored one when a genesis is rebuilt), for a module whose genesis
    /// contracts are built by running constructors that read <c>block.timestamp</c>: the same chain always
    /// gets the same allocations, however late it is rebuilt.
    /// </summary>
    IEnumerable<KeyValuePair<Core.Address, GenesisAccount>> GenesisAllocations(ulong chainId, ulong genesisTimestamp) => [];

    /// <summary>The module's contracts by name, at the same address on every chain (the devnet's table of predeploys lists them).</summary>
    IEnumerable<KeyValuePair<string, Core.Address>> NamedPredeploys => [];

    /// <summary>Contracts implemented in C# on chain <paramref name="chainId"/> (asked once per chain, at creation).</summary>
    IEnumerable<NativeContract> NativeContracts(ulong chainId) => [];

    /// <summary>A block was sealed (slots seal several, round after round): an index that later rounds depend on follows here.</summary>
    void BlockSealed(SealedBlock block)
    {
    }

    /// <summary>A block failed to build; the chain went back to its head and what was proposed for it was not included.</summary>
    void BlockFailed(MemberChain chain)
    {
    }

    /// <summary>
    /// A slot's blocks are final, in the order sealed. What the module writes to <see cref="CommittedSlot.State"/>
    /// (an index and its checkpoint) commits in the same database transaction as the blocks.
    /// </summary>
    void SlotCommitted(CommittedSlot slot)
    {
    }

    /// <summary>
    /// The cluster rolled member chains back (between slots): <see cref="ClusterRollback.Discarded"/> says which blocks are
    /// gone. A module whose index or rows name those blocks brings them back in line here; what it writes to
    /// <see cref="ClusterRollback.State"/> commits with the rollback, in the transaction that also clears the rollback's
    /// durable intent. A crash before that commit (chains rewound or not) makes the next start finish the rollback and call
    /// this again, after <see cref="Attach"/> read the rows as they were before it (<see cref="ClusterRollback.Resumed"/>):
    /// work from the rollback and the stored rows, not from memory of the run that began it.
    /// </summary>
    void RolledBack(ClusterRollback rollback)
    {
    }

    /// <summary>
    /// Asked while a rollback traces its taint (under the lock, before any chain is rewound): the first block of chain
    /// <paramref name="consumerChainId"/> that consumed, through this module's own transactions, something chain
    /// <paramref name="sourceChainId"/>'s blocks from <paramref name="sourceFrom"/> on made (a registry op replicated, a publish
    /// fanned out), and why; null when none did. The cluster follows messages and synchronous calls itself; a module that
    /// carries data between chains with its system transactions says so here, so that no kept block keeps what a discarded
    /// one made. The answer joins the taint's fixed point like the cluster's own.
    /// </summary>
    (ulong Block, string Why)? FirstTaintedBlock(ulong consumerChainId, ulong sourceChainId, ulong sourceFrom) => null;

    /// <summary>
    /// Dev time travel (<c>cluster_increaseTime</c>): the cluster moved every member chain's clock forward by
    /// <paramref name="seconds"/>. A module that keeps a chain outside the cluster in step with it (settlement's parent)
    /// moves that chain's clock too. Called under no lock, after the members moved.
    /// </summary>
    void ClockMoved(ulong seconds)
    {
    }

    /// <summary>Adds the module's JSON-RPC methods (its namespace, e.g. <c>cluster_*</c>); called once, not under the lock.</summary>
    void RegisterRpcMethods(RpcMethodRegistry registry)
    {
    }
}

/// <summary>
/// A module whose transactions a chain's block starts with (the messenger's deliveries; later RTC
/// acknowledgements, multicast fan-out, settlement bookkeeping). Only sources get a share of the
/// block's gas (<c>ClusterOptions.SystemGasShares</c>, by module name).
/// </summary>
public interface ISystemTransactionSource : IClusterModule
{
    /// <summary>
    /// What <paramref name="request"/>'s chain's next block starts with (signed transactions, in order),
    /// within <see cref="SystemTransactionRequest.GasBudget"/>. Sources are asked in registration order
    /// (the model: Nethermind's composite transaction sources); what one proposes runs before the next one's.
    /// </summary>
    IReadOnlyList<PooledTransaction> ProposeSystemTransactions(SystemTransactionRequest request);

    /// <summary>
    /// True while the source has work for <paramref name="chain"/>'s next block (a fan-out that continues
    /// across blocks): an automining chain then seals blocks for it without a user transaction, in the
    /// slot's later rounds and then from the scheduler, as it does for waiting messages. Must turn false
    /// once <see cref="ProposeSystemTransactions"/> has nothing to propose, or the chain seals empty blocks.
    /// </summary>
    bool HasPendingWork(MemberChain chain) => false;
}

/// <summary>What a module sees of its cluster.</summary>
public interface IClusterHost
{
    /// <summary>The member chains in the configured order.</summary>
    IReadOnlyList<MemberChain> Chains { get; }

    /// <summary>The cluster's one clock (block timestamps, message times, the scheduler).</summary>
    TimeProvider Time { get; }

    /// <summary>Slots run so far.</summary>
    ulong Slot { get; }

    /// <summary>The module's committed rows (an index and its checkpoint) in key order; empty for an in-memory cluster.</summary>
    IReadOnlyList<(byte[] Key, byte[] Value)> ReadState(string module);

    /// <summary>
    /// The genesis chain <paramref name="chainId"/> was created with (the cluster's and every module's allocations):
    /// what a protocol that re-derives the chains elsewhere (settlement's verifier) must be told.
    /// </summary>
    GenesisConfig GenesisOf(ulong chainId);

    /// <summary>
    /// Asks the cluster to roll back from block <see cref="RollbackRequest.FromBlock"/> of chain <see cref="RollbackRequest.ChainId"/>
    /// (a block found invalid): that block and its chain's later ones, and every block of another chain that consumed a message or
    /// a synchronous call from them (transitively), are discarded; their other transactions go back to the pools. Carried out
    /// between slots: at once when no slot is running (the report is returned), else right after the running slot (null is
    /// returned; <see cref="IClusterModule.RolledBack"/> tells every module either way).
    /// </summary>
    ClusterRollback? RequestRollback(RollbackRequest request) =>
        throw new NotSupportedException("this cluster host cannot roll back");

    /// <summary>
    /// Asks for a member chain to be added or removed (a governance decision carried out): the cluster
    /// does it between slots, right after the slot running now (or the next one) commits, then calls
    /// <see cref="MembershipChange.Completed"/> with null or the reason it refused (an id taken, the last chain).
    /// </summary>
    void RequestMembershipChange(MembershipChange change) =>
        throw new NotSupportedException("this cluster host does not change its membership");

    /// <summary>
    /// Asks for a new delivery bound Delta (a governance decision carried out). The cluster checks it against every member
    /// chain's block time when asked and again when it takes effect, between slots, for the slots from
    /// <see cref="DeltaChange.ActivationSlot"/> on: messages sent from then on get the new bound, those admitted before keep the
    /// one they were promised. Then it calls <see cref="DeltaChange.Completed"/> with null or the reason it refused.
    /// </summary>
    void RequestDeltaChange(DeltaChange change) =>
        throw new NotSupportedException("this cluster host does not change its delta");
}

/// <summary>A block found invalid, and why: the start of a rollback (<see cref="IClusterHost.RequestRollback"/>).</summary>
public sealed record RollbackRequest(ulong ChainId, ulong FromBlock, string Reason)
{
    /// <summary>
    /// The asker's own bytes (e.g. which verdict it acts on), stored with the rollback's durable intent and given back in
    /// <see cref="ClusterRollback.Request"/>: a node that restarts to complete an interrupted rollback has nothing else from before.
    /// </summary>
    public byte[]? Context { get; init; }
}

/// <summary>The blocks <c>FromNumber..ToNumber</c> of one chain a rollback discarded, and why (the bad block, or the tainted input it consumed).</summary>
public sealed record DiscardedBlocks(ulong ChainId, ulong FromNumber, ulong ToNumber, string Why);

/// <summary>A transaction of a discarded block that could not go back to its chain's pool.</summary>
public sealed record DroppedTransaction(ulong ChainId, Core.Hash256 Hash, string Reason);

/// <summary>What a rollback did (cluster_status's <c>rollback</c>, the log, <see cref="IClusterModule.RolledBack"/>).</summary>
public sealed class ClusterRollback
{
    public required RollbackRequest Request { get; init; }
    /// <summary>The cluster slot after which it ran.</summary>
    public required ulong Slot { get; init; }
    /// <summary>When it ran, on the cluster's clock (Unix milliseconds).</summary>
    public required long TimeMs { get; init; }
    /// <summary>Per chain, the blocks discarded (chains not listed kept every block).</summary>
    public required IReadOnlyList<DiscardedBlocks> Discarded { get; init; }
    /// <summary>User transactions of discarded blocks put back in the pools (they are executed again).</summary>
    public required IReadOnlyList<Core.Hash256> Reinserted { get; init; }
    /// <summary>User transactions of discarded blocks the pools refused, with the reason (none is lost silently).</summary>
    public required IReadOnlyList<DroppedTransaction> Dropped { get; init; }
    /// <summary>Where a module writes its rows; they commit with the rollback.</summary>
    public required IModuleState State { get; init; }
    /// <summary>
    /// True when an earlier run of the node began this rollback and stopped before it was complete (a crash): this start
    /// finished it from its durable intent, before anything else. A module's in-memory state from that run is gone.
    /// </summary>
    public bool Resumed { get; init; }

    /// <summary>The first discarded block of <paramref name="chainId"/>, or null when it kept all its blocks.</summary>
    public ulong? FirstDiscarded(ulong chainId) => Discarded.FirstOrDefault(d => d.ChainId == chainId)?.FromNumber;

    /// <summary>True when block <paramref name="number"/> of <paramref name="chainId"/> was discarded.</summary>
    public bool IsDiscarded(ulong chainId, ulong number) => FirstDiscarded(chainId) is { } first && number >= first;

    public override string ToString() =>
        (Resumed ? "completed an interrupted rollback: " : "") +
        $"rolled back from chain {Request.ChainId} block {Request.FromBlock} ({Request.Reason}): " +
        string.Join("; ", Discarded.Select(d => $"chain {d.ChainId} blocks {d.FromNumber}..{d.ToNumber} ({d.Why})")) +
        $"; {Reinserted.Count} transactions back in the pools, {Dropped.Count} dropped" +
        (Dropped.Count == 0 ? "" : ": " + string.Join(", ", Dropped.Select(d => $"{d.Hash} on chain {d.ChainId} ({d.Reason})")));
}

/// <summary>A chain to add (with its profile: genesis is the cluster's accounts and every module's allocations) or to remove.</summary>
public sealed class MembershipChange
{
    public required ulong ChainId { get; init; }

    /// <summary>True: remove the chain (messages queued to it fail back to their senders); false: add it.</summary>
    public bool Remove { get; init; }

    public string? Name { get; init; }

    /// <summary>Zero: automine.</summary>
    public TimeSpan BlockTime { get; init; }

    public ulong GasLimit { get; init; } = 30_000_000;

    /// <summary>Called under the cluster's lock once the change was tried: null when done, else the reason it was refused.</summary>
    public Action<MembershipChange, string?>? Completed { get; init; }
}

/// <summary>A new delivery bound Delta and the slot from which it holds (<see cref="IClusterHost.RequestDeltaChange"/>).</summary>
public sealed class DeltaChange
{
    /// <summary>The new bound: a message sent at logical time T runs on its destination by T + Delta.</summary>
    public required TimeSpan Delta { get; init; }

    /// <summary>The first slot whose sends get the new bound (a slot already past: the next one).</summary>
    public ulong ActivationSlot { get; init; }

    /// <summary>Called under the cluster's lock once the change took effect (null) or was refused (the reason).</summary>
    public Action<DeltaChange, string?>? Completed { get; init; }
}

/// <summary>The chain whose next block is being prepared, and the gas the asked module may fill.</summary>
public sealed class SystemTransactionRequest
{
    public required MemberChain Chain { get; init; }
    public required BlockHeader Parent { get; init; }
    /// <summary>The next block's base fee (what a system transaction's fee cap must reach).</summary>
    public required Core.UInt256 BaseFee { get; init; }
    /// <summary>The most gas (sum of gas limits) this module's transactions may take.</summary>
    public required ulong GasBudget { get; init; }
}

/// <summary>A block one chain sealed in a slot, with the logs of the synchronous calls it received (kept in its section).</summary>
public sealed class SealedBlock
{
    public required MemberChain Chain { get; init; }
    public required BuiltBlock Built { get; init; }
    public required ulong Slot { get; init; }
    /// <summary>Logs of the inbound synchronous calls, after the receipts' logs (see docs/cluster.md).</summary>
    public required IReadOnlyList<LogRecord> SectionLogs { get; init; }
}

/// <summary>A slot whose blocks are final.</summary>
public sealed class CommittedSlot
{
    public required ulong Slot { get; init; }
    /// <summary>The slot's time on the cluster's clock (Unix milliseconds).</summary>
    public required long TimeMs { get; init; }
    /// <summary>Every block of the slot, in the order sealed (empty when the slot sealed nothing).</summary>
    public required IReadOnlyList<SealedBlock> Blocks { get; init; }
    /// <summary>Where the module writes its rows; they commit with the slot's blocks.</summary>
    public required IModuleState State { get; init; }
}

/// <summary>A module's rows, written in the slot's transaction (a no-op for an in-memory cluster).</summary>
public interface IModuleState
{
    /// <summary>True when rows are kept (a cluster with a database).</summary>
    bool IsPersistent { get; }

    /// <summary>Sets (or, with null, deletes) the row <paramref name="key"/> of <paramref name="module"/>.</summary>
    void Put(string module, ReadOnlySpan<byte> key, byte[]? value);
}
