using Thalamus.Evm;

namespace Thalamus.Chain;

/// <summary>
/// The gas a transaction costs before any code runs (Cancun): the base cost, calldata
/// (EIP-2028), init code words (EIP-3860) and the access list (EIP-2930).
/// </summary>
public static class IntrinsicGas
{
    public const ulong Transaction = 21_000;
    /// <summary>A creation also pays CREATE's base cost.</summary>
    public const ulong ContractCreation = Transaction + GasCosts.Create;
    public const ulong ZeroDataByte = 4;
    public const ulong NonZeroDataByte = 16;
    public const ulong InitCodeWord = GasCosts.InitCodeWord;
    public const ulong AccessListAddress = GasCosts.AccessListAddress;
    public const ulong AccessListStorageKey = GasCosts.AccessListStorageKey;

    public static ulong Calculate(Transaction tx) => Calculate(tx.Data, tx.IsContractCreation, tx.AccessList);

    public static ulong Calculate(ReadOnlySpan<byte> data, bool isContractCreation, IReadOnlyList<AccessListEntry> accessList)
    {
        var gas = isContractCreation ? ContractCreation : Transaction;

        // ulong cannot overflow here: data is at most 2^31 bytes and list counts are ints.
        var zeros = (ulong)data.Count((byte)0);
        var nonZeros = (ulong)data.Length - zeros;
        gas += zeros * ZeroDataByte + nonZeros * NonZeroDataByte;

        if (isContractCreation) gas += InitCodeWord * (((ulong)data.Length + 31) / 32);

        for (var i = 0; i < accessList.Count; i++)
            gas += AccessListAddress + (ulong)accessList[i].StorageKeys.Count * AccessListStorageKey;
        return gas;
    }
}
