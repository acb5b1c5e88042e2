using Thalamus.Core;
using Thalamus.Evm;

namespace Thalamus.Chain;

/// <summary>eth_simulateV1's input (geth's shape): blocks built in order on top of a base block.</summary>
public sealed class SimulationRequest
{
    /// <summary>Most blocks one simulation may build (geth: 256).</summary>
    public const int MaxBlocks = 256;

    public IReadOnlyList<SimulatedBlockRequest> Blocks { get; init; } = [];

    /// <summary>True: the calls are checked as transactions (nonce, funds, base fee); false: like eth_call (base fee 0 unless overridden).</summary>
    public bool Validation { get; init; }

    /// <summary>True: each call's logs include its ether transfers (<see cref="Tracing.TransferLogTracer"/>).</summary>
    public bool TraceTransfers { get; init; }
}

/// <summary>One block of a simulation: its overrides, then its calls.</summary>
public sealed class SimulatedBlockRequest
{
    public SimulationBlockOverrides? BlockOverrides { get; init; }

    public IReadOnlyList<AccountOverride> StateOverrides { get; init; } = [];

    public IReadOnlyList<CallRequest> Calls { get; init; } = [];
}

/// <summary>The header fields a simulated block may set (geth's blockOverrides).</summary>
public sealed class SimulationBlockOverrides
{
    public ulong? Number { get; init; }
    public ulong? Time { get; init; }
    public ulong? GasLimit { get; init; }
    public Address? FeeRecipient { get; init; }
    public Hash256? PrevRandao { get; init; }
    public UInt256? BaseFeePerGas { get; init; }
}

/// <summary>A state override of one account (geth's stateOverrides entry): <see cref="State"/> replaces the storage, <see cref="StateDiff"/> edits it.</summary>
public sealed class AccountOverride
{
    public Address Address { get; init; }
    public UInt256? Balance { get; init; }
    public ulong? Nonce { get; init; }
    public byte[]? Code { get; init; }
    public IReadOnlyDictionary<UInt256, UInt256>? State { get; init; }
    public IReadOnlyDictionary<UInt256, UInt256>? StateDiff { get; init; }
}

/// <summary>
/// One simulated block: the block (its transactions carry the impersonation marker of their senders),
/// its receipts, each call's result, and with traceTransfers each call's logs with its transfers (else null).
/// </summary>
public sealed record SimulatedBlock(Block Block, IReadOnlyList<TransactionReceipt> Receipts, IReadOnlyList<TransactionResult> Results,
    IReadOnlyList<IReadOnlyList<LogEntry>>? TracedLogs = null);
