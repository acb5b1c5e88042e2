using Thalamus.Core;

namespace Thalamus.Chain;

/// <summary>eth_call / eth_estimateGas hit a REVERT: code 3, message "execution reverted[: reason]", data = revert data.</summary>
public sealed class ExecutionRevertedException : ChainException
{
    public ExecutionRevertedException(byte[] revertData)
        : base(FormatMessage(revertData), ExecutionRevertedCode, revertData)
    {
        RevertData = revertData;
        Reason = Abi.DecodeRevertReason(revertData);
    }

    public byte[] RevertData { get; }

    /// <summary>The decoded Error(string) reason, if any.</summary>
    public string? Reason { get; }

    private static string FormatMessage(byte[] revertData)
    {
        ArgumentNullException.ThrowIfNull(revertData);
        var reason = Abi.DecodeRevertReason(revertData);
        return reason is null ? "execution reverted" : "execution reverted: " + reason;
    }
}
