using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Crypto;

namespace Thalamus.Modules;

/// <summary>
/// The account a module signs its system transactions with (the messenger's relayer, an RTC or
/// multicast fan-out sender, a settlement poster). Its key is keccak256 of a well-known name, like the
/// dev accounts' keys: anyone can recompute it, so the contracts it calls must check the sender's
/// address, and what makes a system transaction trusted is that the node puts it in the block.
/// </summary>
public sealed class SystemAccount
{
    /// <summary>Enough to pay for a dev cluster's system transactions forever.</summary>
    public static readonly UInt256 GenesisBalance = UInt256.FromBigInteger(System.Numerics.BigInteger.Pow(10, 30));

    private readonly byte[] _key;

    /// <param name="name">The key's seed, e.g. <c>thalamus.cluster.relayer</c>; stable forever (it is the account's address).</param>
    public SystemAccount(string name)
    {
        ArgumentException.ThrowIfNullOrEmpty(name);
        Name = name;
        _key = Keccak256.Compute(System.Text.Encoding.UTF8.GetBytes(name)).Bytes.ToArray();
        Address = Secp256k1.PrivateKeyToAddress(_key);
        Known.TryAdd(Address, name);
    }

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<Address, string> Known = new();

    /// <summary>
    /// True when <paramref name="address"/> is a system account created in this process: its transactions are the node's own
    /// (proposed again by their module), not a user's (a rollback puts only users' back in the pool).
    /// </summary>
    public static bool IsSystemAccount(in Address address) => Known.ContainsKey(address);

    /// <summary>
    /// The reason a cluster chain's pool refuses <paramref name="sender"/> from outside the node (<c>MemberChain.ReservedSender</c>),
    /// or null: a system account's key is public, so only the node may put its transactions in blocks.
    /// </summary>
    public static string? RefusalFor(Address sender) =>
        Known.TryGetValue(sender, out var name) ? $"is the node's system account \"{name}\": only the node signs its transactions" : null;

    public string Name { get; }

    public Address Address { get; }

    /// <summary>The genesis allocation that funds the account (what <see cref="IClusterModule.GenesisAllocations"/> returns for it).</summary>
    public KeyValuePair<Address, GenesisAccount> Funded() => new(Address, new GenesisAccount { Balance = GenesisBalance });

    /// <summary>The account's next nonce on <paramref name="chain"/>'s live state (the pending block's, between transactions of one block add what was proposed).</summary>
    public ulong NonceOn(MemberChain chain) => chain.LiveState.GetNonce(Address);

    /// <summary>
    /// A system transaction: EIP-1559, no tip, the fee cap at the next block's base fee (so it is valid
    /// exactly in the block it was proposed for), signed with this account's key.
    /// </summary>
    public PooledTransaction Sign(ulong chainId, ulong nonce, Address? to, byte[] data, ulong gasLimit, UInt256 baseFee, UInt256 value = default)
    {
        var unsigned = new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = chainId,
            Nonce = nonce,
            MaxPriorityFeePerGas = UInt256.Zero,
            MaxFeePerGas = baseFee,
            GasLimit = gasLimit,
            To = to,
            Value = value,
            Data = data,
        };
        return new PooledTransaction(TransactionSigner.Sign(unsigned, _key), Address, 0);
    }
}
