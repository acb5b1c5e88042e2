using System.Text;
using Thalamus.Core;
using Thalamus.Crypto;

namespace Thalamus.Chain.Tests.Node;

/// <summary>A test key derived from a fixed label (dev accounts are another component's).</summary>
internal sealed class TestAccount
{
    public TestAccount(string label)
    {
        PrivateKey = Keccak256.Compute(Encoding.UTF8.GetBytes("thalamus chain test key " + label)).ToArray();
        Address = Secp256k1.PrivateKeyToAddress(PrivateKey);
    }

    public byte[] PrivateKey { get; }
    public Address Address { get; }

    public static readonly TestAccount Alice = new("alice");
    public static readonly TestAccount Bob = new("bob");
    public static readonly TestAccount Carol = new("carol");

    public Transaction Sign(Transaction tx) => TransactionSigner.Sign(tx, PrivateKey);

    /// <summary>A signed EIP-1559 transaction with sensible defaults.</summary>
    public Transaction Transfer(ulong nonce, Address? to, UInt256 value, ulong chainId = ChainTestKit.ChainId,
        ulong gas = 21_000, UInt256? maxFee = null, UInt256? tip = null, byte[]? data = null) =>
        Sign(new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = chainId,
            Nonce = nonce,
            MaxFeePerGas = maxFee ?? ChainTestKit.Gwei(10),
            MaxPriorityFeePerGas = tip ?? ChainTestKit.Gwei(1),
            GasLimit = gas,
            To = to,
            Value = value,
            Data = data ?? [],
        });

    /// <summary>A signed legacy (EIP-155) transaction.</summary>
    public Transaction Legacy(ulong nonce, Address? to, UInt256 value, UInt256 gasPrice, ulong gas = 21_000, byte[]? data = null,
        ulong chainId = ChainTestKit.ChainId) =>
        Sign(new Transaction
        {
            Type = TxType.Legacy,
            ChainId = chainId,
            Nonce = nonce,
            GasPrice = gasPrice,
            GasLimit = gas,
            To = to,
            Value = value,
            Data = data ?? [],
        });
}
