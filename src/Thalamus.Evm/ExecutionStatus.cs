namespace Thalamus.Evm;

/// <summary>How a message call or contract creation ended.</summary>
public enum ExecutionStatus : byte
{
    /// <summary>STOP, RETURN, or the end of the code (and for a creation, the code was deposited).</summary>
    Success = 0,
    /// <summary>REVERT: state changes undone, unused gas returned, output kept.</summary>
    Revert,
    // Every status below is an exceptional halt: state changes undone and all gas of the frame consumed.
    OutOfGas,
    InvalidJump,
    StackUnderflow,
    StackOverflow,
    InvalidOpcode,
    /// <summary>A state change (SSTORE, LOG, CREATE, CALL with value, ...) inside a STATICCALL.</summary>
    WriteProtection,
    ReturnDataOutOfBounds,
    /// <summary>EIP-3541: created code must not start with 0xEF.</summary>
    InvalidCodePrefix,
    /// <summary>EIP-170: created code longer than 24576 bytes.</summary>
    CodeSizeExceeded,
    /// <summary>EIP-3860: CREATE/CREATE2 init code longer than 49152 bytes.</summary>
    InitCodeSizeExceeded,
    /// <summary>The code deposit (200 gas per byte) did not fit in the remaining gas.</summary>
    CodeStoreOutOfGas,
    /// <summary>CREATE/CREATE2 onto an address that has a nonce, code or storage.</summary>
    ContractAddressCollision,
    /// <summary>A precompile rejected its input or ran out of gas.</summary>
    PrecompileFailure,
}
