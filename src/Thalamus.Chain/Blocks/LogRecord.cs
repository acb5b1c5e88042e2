using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>A log with its position, as eth_getLogs and log subscriptions return it.</summary>
public sealed record LogRecord(
    Address Address,
    IReadOnlyList<Hash256> Topics,
    byte[] Data,
    ulong BlockNumber,
    Hash256 BlockHash,
    Hash256 TransactionHash,
    int TransactionIndex,
    int LogIndex,
    bool Removed = false);
