using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Crypto;

namespace Thalamus.Settlement;

/// <summary>
/// The embedded parent chain: a standalone automining <see cref="MemberChain"/> in the node process (like
/// supersim's L1), with its own lock (not the cluster's) and, in the CLI, its own JSON-RPC endpoint.
/// </summary>
public sealed class InProcessParentChain(MemberChain chain) : IParentChain
{
    /// <summary>The embedded parent's default chain id (the devnet's table lists its endpoint).</summary>
    public const ulong DefaultChainId = 900;

    /// <summary>
    /// A new automining parent chain whose genesis funds <paramref name="funded"/> (the poster, the dev accounts
    /// that challenge and arbitrate) with 10^30 wei each.
    /// </summary>
    public static MemberChain CreateChain(IEnumerable<Address> funded, ulong chainId = DefaultChainId, IClock? clock = null, ulong genesisTimestamp = 0,
        IChainStore? store = null)
    {
        ArgumentNullException.ThrowIfNull(funded);
        var balance = UInt256.FromBigInteger(System.Numerics.BigInteger.Pow(10, 30));
        var alloc = funded.Distinct().ToDictionary(a => a, _ => new GenesisAccount { Balance = balance });
        var profile = new ChainProfile { ChainId = chainId, Name = "parent", AllowEqualTimestamps = true, BlockGasLimit = 60_000_000 };
        return new MemberChain(profile, new GenesisConfig { ChainId = chainId, GasLimit = 60_000_000, Timestamp = genesisTimestamp, Alloc = alloc }, store, clock);
    }

    public MemberChain Chain { get; } = chain ?? throw new ArgumentNullException(nameof(chain));

    public ulong ChainId => Chain.ChainId;

    public ulong BlockNumber() => Chain.Head.Number;

    public ulong LatestTimestamp() => Chain.Head.Timestamp;

    public void IncreaseTime(ulong seconds) => Chain.IncreaseTime(seconds);

    public UInt256 BalanceOf(Address account) => Chain.GetBalance(account, BlockSelector.Latest);

    public ParentReceipt Send(ParentAccount from, Address? to, byte[] data, UInt256 value = default)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(data);
        ulong gas;
        try
        {
            gas = Chain.EstimateGas(new CallRequest { From = from.Address, To = to, Data = data, Value = value }, BlockSelector.Pending);
        }
        catch (ExecutionRevertedException e)
        {
            throw new ParentChainException(e.Message, e.Reason, e);
        }
        catch (ChainException e)
        {
            throw new ParentChainException("the parent chain refused the call: " + e.Message, null, e);
        }
        var baseFee = Chain.Head.BaseFeePerGas;
        var tx = TransactionSigner.Sign(new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = ChainId,
            Nonce = Chain.GetTransactionCount(from.Address, BlockSelector.Pending),
            MaxPriorityFeePerGas = UInt256.Zero,
            MaxFeePerGas = baseFee * new UInt256(2) + new UInt256(1_000_000_000),
            GasLimit = gas + gas / 5 + 10_000,
            To = to,
            Value = value,
            Data = data,
        }, from.PrivateKey);
        Hash256 hash;
        try
        {
            hash = Chain.SendTransaction(tx);
        }
        catch (ChainException e)
        {
            throw new ParentChainException("the parent chain refused the transaction: " + e.Message, null, e);
        }
        if (Chain.GetReceipt(hash) is not { } receipt) Chain.Mine();
        receipt = Chain.GetReceipt(hash) ?? throw new ParentChainException($"transaction {hash} was not mined on the parent chain");
        return new ParentReceipt(hash, receipt.Receipt.Success, receipt.GasUsed, receipt.BlockNumber, receipt.ContractAddress);
    }

    public byte[] Call(Address to, byte[] data)
    {
        var result = Chain.Call(new CallRequest { To = to, Data = data }, BlockSelector.Latest);
        if (!result.Success) throw new ParentChainException($"call to {to} failed: {result.RevertReason ?? result.Error ?? "reverted"}", result.RevertReason);
        return result.ReturnData;
    }

    public IReadOnlyList<LogRecord> GetLogs(Address address, Hash256 topic0, ulong fromBlock, ulong toBlock) =>
        Chain.GetLogs(new LogFilter { FromBlock = fromBlock, ToBlock = toBlock, Addresses = [address], Topics = [new[] { topic0 }] });

    public byte[] TransactionInput(Hash256 transaction) =>
        Chain.GetTransaction(transaction)?.tx.Data ?? throw new ParentChainException($"transaction {transaction} is unknown to the parent chain");
}
