namespace Thalamus.Chain;

/// <summary>What eth_createAccessList produced: the list, the gas the call uses with it, and the EVM error if it failed.</summary>
public sealed class AccessListResult
{
    public required IReadOnlyList<AccessListEntry> AccessList { get; init; }

    public required ulong GasUsed { get; init; }

    /// <summary>Null when the call succeeded; "execution reverted" or the EVM's error otherwise (geth's <c>error</c> field).</summary>
    public string? Error { get; init; }
}
