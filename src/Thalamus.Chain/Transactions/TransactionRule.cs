namespace Thalamus.Chain;

/// <summary>The validity rule a transaction breaks (see <see cref="TransactionValidator"/>); one per geth error.</summary>
public enum TransactionRule
{
    InvalidChainId,
    NonceMax,
    TipAboveFeeCap,
    InsufficientFunds,
    IntrinsicGasTooLow,
    MaxInitCodeSizeExceeded,
    BlobTransactionCreate,
    MissingBlobHashes,
    TooManyBlobs,
    InvalidBlobHashVersion,
    ExceedsBlockGasLimit,
    NonceTooLow,
    NonceTooHigh,
    SenderNotEoa,
    FeeCapBelowBaseFee,
    BlobFeeCapBelowBlobBaseFee,
}
