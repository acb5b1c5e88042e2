using Thalamus.Chain;
using Thalamus.Core;

namespace Thalamus.Settlement;

/// <summary>
/// What settlement needs of its parent chain, whether it is the node's embedded chain
/// (<see cref="InProcessParentChain"/>) or any Ethereum JSON-RPC endpoint (<see cref="JsonRpcParentChain"/>):
/// send a transaction and wait for its receipt, call, read logs, the head, and a transaction's input.
/// </summary>
public interface IParentChain
{
    ulong ChainId { get; }

    ulong BlockNumber();

    /// <summary>The latest block's timestamp (seconds): the clock of challenge windows and timeouts.</summary>
    ulong LatestTimestamp();

    UInt256 BalanceOf(Address account);

    /// <summary>
    /// Signs and sends a transaction from <paramref name="from"/> (a contract creation when <paramref name="to"/> is null),
    /// its gas estimated first, and waits for its receipt.
    /// </summary>
    /// <exception cref="ParentChainException">the call reverts (with its reason), or the parent refuses the transaction.</exception>
    ParentReceipt Send(ParentAccount from, Address? to, byte[] data, UInt256 value = default);

    /// <summary>eth_call on the latest block.</summary>
    /// <exception cref="ParentChainException">the call reverts (with its reason).</exception>
    byte[] Call(Address to, byte[] data);

    /// <summary>Logs of <paramref name="address"/> with first topic <paramref name="topic0"/> in the block range.</summary>
    IReadOnlyList<LogRecord> GetLogs(Address address, Hash256 topic0, ulong fromBlock, ulong toBlock);

    /// <summary>The calldata of a mined transaction.</summary>
    byte[] TransactionInput(Hash256 transaction);

    /// <summary>Dev time travel: moves the parent's clock forward (<c>evm_increaseTime</c>), in step with the cluster's chains.</summary>
    /// <exception cref="ParentChainException">the parent does not offer time travel.</exception>
    void IncreaseTime(ulong seconds);
}

/// <summary>A mined parent-chain transaction.</summary>
public sealed record ParentReceipt(Hash256 TransactionHash, bool Success, ulong GasUsed, ulong BlockNumber, Address? ContractAddress);

/// <summary>The parent chain refused or reverted something; <see cref="Exception.Message"/> says what and why.</summary>
public sealed class ParentChainException : Exception
{
    public ParentChainException(string message, string? revertReason = null, Exception? inner = null) : base(message, inner) => RevertReason = revertReason;

    /// <summary>The contract's revert reason, when the failure was a revert.</summary>
    public string? RevertReason { get; }
}
