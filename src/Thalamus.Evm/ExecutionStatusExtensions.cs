namespace Thalamus.Evm;

/// <summary>Messages for <see cref="ExecutionStatus"/>, worded as geth words them so traces and receipts compare.</summary>
public static class ExecutionStatusExtensions
{
    public static bool IsExceptionalHalt(this ExecutionStatus status) => status > ExecutionStatus.Revert;

    public static string? ToErrorMessage(this ExecutionStatus status) => status switch
    {
        ExecutionStatus.Success => null,
        ExecutionStatus.Revert => "execution reverted",
        ExecutionStatus.OutOfGas => "out of gas",
        ExecutionStatus.InvalidJump => "invalid jump destination",
        ExecutionStatus.StackUnderflow => "stack underflow",
        ExecutionStatus.StackOverflow => "stack limit reached 1024",
        ExecutionStatus.InvalidOpcode => "invalid opcode",
        ExecutionStatus.WriteProtection => "write protection",
        ExecutionStatus.ReturnDataOutOfBounds => "return data out of bounds",
        ExecutionStatus.InvalidCodePrefix => "invalid code: must not begin with 0xef",
        ExecutionStatus.CodeSizeExceeded => "max code size exceeded",
        ExecutionStatus.InitCodeSizeExceeded => "max initcode size exceeded",
        ExecutionStatus.CodeStoreOutOfGas => "contract creation code storage out of gas",
        ExecutionStatus.ContractAddressCollision => "contract address collision",
        ExecutionStatus.PrecompileFailure => "precompile failed",
        _ => status.ToString(),
    };
}
