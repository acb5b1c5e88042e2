using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Crypto;

namespace Thalamus.Tests;

/// <summary>
/// The transaction the cluster and protocol tests send: EIP-1559 from a dev account at its pending
/// nonce, 100 gwei fee cap, 1 gwei tip. Linked into each test project that needs it (one copy).
/// </summary>
internal static class DevTransactions
{
    public static Transaction Sign(MemberChain chain, DevAccount key, Address? to, byte[] data, ulong gas, UInt256 value = default, ulong? nonce = null) =>
        TransactionSigner.Sign(new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = chain.ChainId,
            Nonce = nonce ?? chain.GetTransactionCount(key.Address, BlockSelector.Pending),
            MaxFeePerGas = new UInt256(100_000_000_000),
            MaxPriorityFeePerGas = new UInt256(1_000_000_000),
            GasLimit = gas,
            To = to,
            Value = value,
            Data = data,
        }, key.PrivateKey);
}
