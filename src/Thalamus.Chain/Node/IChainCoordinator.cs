using Thalamus.Evm;

namespace Thalamus.Chain;

/// <summary>
/// Lets a node-cluster take part in a member chain's sealing (Thalamus.Cluster implements it).
/// Every method is called under the chain's lock, which a cluster shares between its chains.
/// </summary>
public interface IChainCoordinator
{
    /// <summary>False while the chain may not seal (halted, or held back by a halted chain); automine then leaves transactions pending.</summary>
    bool CanSeal(MemberChain chain);

    /// <summary>
    /// Runs <paramref name="seal"/> (automine, evm_mine) inside a cluster slot: opens one when none is
    /// open, and after it delivers what the new blocks sent, seals the chains they touched and
    /// commits every block of the slot together.
    /// </summary>
    T RunInSlot<T>(MemberChain chain, Func<T> seal);

    /// <summary>What the chain's next block must start with, and the handler its transactions' cross-chain calls go to.</summary>
    BlockPreparation PrepareBlock(MemberChain chain, BlockHeader parent);

    /// <summary>The chain's block was built and handed to its store; called before <see cref="MemberChain.BlockSealed"/>.</summary>
    void BlockSealed(MemberChain chain, BuiltBlock built);

    /// <summary>The chain's block failed to build: the coordinator discards what it prepared for it.</summary>
    void BlockFailed(MemberChain chain);

    /// <summary>
    /// Logs the block holds besides its receipts' (those of the synchronous calls it received, kept in
    /// its cluster section), in execution order; empty for most blocks.
    /// </summary>
    IReadOnlyList<LogEntry> SectionLogs(Block block);

    /// <summary>A handler for eth_call/eth_estimateGas: cross-chain calls run on copies of the other chains' head states.</summary>
    ICrossChainCallHandler? CreateSimulationHandler(MemberChain chain);

    /// <summary>How to re-execute <paramref name="block"/> of the chain alone (from its cluster section); null when it needs nothing.</summary>
    BlockReplay? PrepareReplay(MemberChain chain, Block block) => null;
    /// <summary>For eth_call/eth_estimateGas: reports (as an error) what admission would refuse in the chain's next block now.</summary>
    ITransactionAdmission? CreateSimulationAdmission(MemberChain chain);
}
