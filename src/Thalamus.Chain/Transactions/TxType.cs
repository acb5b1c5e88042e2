namespace Thalamus.Chain;

/// <summary>The EIP-2718 transaction type byte (Legacy has no type byte on the wire).</summary>
public enum TxType : byte
{
    /// <summary>The original RLP list, with or without EIP-155 replay protection.</summary>
    Legacy = 0,

    /// <summary>EIP-2930: access lists, envelope type 0x01.</summary>
    AccessList = 1,

    /// <summary>EIP-1559: priority fee and fee cap, envelope type 0x02.</summary>
    DynamicFee = 2,

    /// <summary>EIP-4844: blob-carrying transaction, envelope type 0x03.</summary>
    Blob = 3,
}
