using Thalamus.Evm;

namespace Thalamus.Chain;

/// <summary>
/// One simulated block: the block (its transactions carry the impersonation marker of their senders),
/// its receipts, each call's result, and with traceTransfers each call's logs with its transfers (else null).
/// </summary>
public sealed record SimulatedBlock(Block Block, IReadOnlyList<TransactionReceipt> Receipts, IReadOnlyList<TransactionResult> Results,
    IReadOnlyList<IReadOnlyList<LogEntry>>? TracedLogs = null);
