using Thalamus.Core;

namespace Thalamus.Evm;

/// <summary>The end of a top-level message call or contract creation.</summary>
public sealed class ExecutionResult
{
    public ExecutionStatus Status { get; init; }
    public bool Success => Status == ExecutionStatus.Success;
    /// <summary>Gas not consumed (before the transaction's refund is applied).</summary>
    public long GasLeft { get; init; }
    /// <summary>RETURN or REVERT data; for a successful creation, the deployed code.</summary>
    public byte[] Output { get; init; } = [];
    /// <summary>The refund counter at the end (EIP-3529 cap not applied; zero when the call failed).</summary>
    public long Refund { get; init; }
    /// <summary>Logs of the frames that did not revert, in order; empty when the call failed.</summary>
    public IReadOnlyList<LogEntry> Logs { get; init; } = [];
    /// <summary>Accounts to delete at the end of the transaction (SELFDESTRUCT of a contract created in it, EIP-6780).</summary>
    public IReadOnlyList<Address> DestroyedAccounts { get; init; } = [];
    /// <summary>For a creation, the new contract's address (set even when the creation failed).</summary>
    public Address? ContractAddress { get; init; }
    public string? Error => Status.ToErrorMessage();
}
