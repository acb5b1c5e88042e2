namespace Thalamus.Chain;

/// <summary>Why the pool rejected a transaction (the message carries geth's wording).</summary>
public enum TxPoolError
{
    AlreadyKnown,
    NonceTooLow,
    NonceTooHigh,
    InsufficientFunds,
    Underpriced,
    ReplacementUnderpriced,
    IntrinsicGasTooLow,
    ExceedsBlockGasLimit,
    InvalidChainId,
    OversizedData,
    InvalidSignature,
    InvalidTransaction,
    TipAboveFeeCap,
    PoolFull,
    AccountLimitExceeded,
    SenderNotEoa,
    InvalidSender,
}
