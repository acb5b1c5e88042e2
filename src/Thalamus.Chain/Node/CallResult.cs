using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>What eth_call produced. On a revert <see cref="ReturnData"/> is the revert data.</summary>
public sealed class CallResult
{
    public required bool Success { get; init; }
    public required byte[] ReturnData { get; init; }
    public required ulong GasUsed { get; init; }

    /// <summary>Null on success; "execution reverted" or the EVM's error otherwise.</summary>
    public string? Error { get; init; }

    public bool Reverted { get; init; }

    /// <summary>The revert data when <see cref="Reverted"/>, else null.</summary>
    public byte[]? RevertData => Reverted ? ReturnData : null;

    /// <summary>The Error(string) reason when the revert data is one, else null.</summary>
    public string? RevertReason => Reverted ? Abi.DecodeRevertReason(ReturnData) : null;
}
