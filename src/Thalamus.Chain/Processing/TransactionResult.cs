using Thalamus.Core;
using Thalamus.Evm;

namespace Thalamus.Chain;

/// <summary>
/// What a transaction did. An invalid transaction (<see cref="IsValid"/> false) was not executed
/// and changed nothing; a valid one was included whether its execution succeeded or not.
/// </summary>
public sealed class TransactionResult
{
    public bool IsValid { get; init; }
    /// <summary>For an invalid transaction, why (geth's wording); for a failed execution, the EVM error.</summary>
    public string? Error { get; init; }
    public bool Success { get; init; }
    public ExecutionStatus Status { get; init; }
    /// <summary>Gas charged to the sender, after the refund.</summary>
    public long GasUsed { get; init; }
    /// <summary>EIP-4844 blob gas paid for (at the blob base fee, burnt).</summary>
    public ulong BlobGasUsed { get; init; }
    public byte[] Output { get; init; } = [];
    public IReadOnlyList<LogEntry> Logs { get; init; } = [];
    /// <summary>The new contract's address for a creation (also when the creation failed).</summary>
    public Address? ContractAddress { get; init; }

    /// <summary>The transaction ran but was not admitted into this block (see <see cref="ITransactionAdmission"/>): nothing of it stays, and it waits in the pool.</summary>
    public bool Deferred { get; init; }

    public static TransactionResult Defer(string reason) => new() { IsValid = false, Deferred = true, Error = reason, Status = ExecutionStatus.Revert };

    public static TransactionResult Invalid(string error) => new() { IsValid = false, Error = error, Status = ExecutionStatus.Revert };
}
