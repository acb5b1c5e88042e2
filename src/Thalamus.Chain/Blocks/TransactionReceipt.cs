using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>
/// A receipt as clients see it (eth_getTransactionReceipt): the consensus <see cref="Receipt"/>
/// plus where the transaction sits and what it paid. Everything here can be rebuilt from the
/// stored fields, so a store may persist <see cref="Receipt.Encode"/> and the metadata.
/// </summary>
public sealed class TransactionReceipt
{
    private IReadOnlyList<LogRecord>? _logs;

    public required Receipt Receipt { get; init; }
    public required Hash256 TransactionHash { get; init; }
    public required int TransactionIndex { get; init; }
    public required Hash256 BlockHash { get; init; }
    public required ulong BlockNumber { get; init; }
    public required Address From { get; init; }

    /// <summary>Null for a contract creation.</summary>
    public Address? To { get; init; }

    /// <summary>The created contract's address for a creation (even a failed one, like geth), else null.</summary>
    public Address? ContractAddress { get; init; }

    /// <summary>Gas used by this transaction alone.</summary>
    public required ulong GasUsed { get; init; }

    public required UInt256 EffectiveGasPrice { get; init; }

    /// <summary>EIP-4844 (0 for other types).</summary>
    public ulong BlobGasUsed { get; init; }

    /// <summary>The blob base fee paid, for blob transactions only.</summary>
    public UInt256? BlobGasPrice { get; init; }

    /// <summary>Block-wide index of this transaction's first log.</summary>
    public required int FirstLogIndex { get; init; }

    public TxType Type => Receipt.TxType;
    public bool Success => Receipt.Success;
    public byte Status => Receipt.StatusCode;
    public ulong CumulativeGasUsed => Receipt.CumulativeGasUsed;
    public Bloom LogsBloom => Receipt.Bloom;

    /// <summary>The logs with their block-wide positions.</summary>
    public IReadOnlyList<LogRecord> Logs => _logs ??= BuildLogs();

    private LogRecord[] BuildLogs()
    {
        var entries = Receipt.Logs;
        var logs = new LogRecord[entries.Count];
        for (var i = 0; i < logs.Length; i++)
        {
            var entry = entries[i];
            logs[i] = new LogRecord(entry.Address, entry.Topics, entry.Data, BlockNumber, BlockHash,
                TransactionHash, TransactionIndex, FirstLogIndex + i);
        }
        return logs;
    }
}
