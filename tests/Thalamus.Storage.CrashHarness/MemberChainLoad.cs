using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Crypto;

namespace Thalamus.Storage.CrashHarness;

/// <summary>
/// A real member chain on a <see cref="SqliteChainStore"/>: signed EIP-1559 transfers from a
/// funded key, sealed in batches (or automined one by one when the batch size is 1).
/// </summary>
public static class MemberChainLoad
{
    public const ulong ChainId = 31337;

    /// <summary>anvil/Hardhat account 0's well-known key (funded at genesis here).</summary>
    public static readonly byte[] SenderKey = Hex.Decode("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");

    public static Address SenderAddress => Secp256k1.PrivateKeyToAddress(SenderKey);

    public static ChainProfile Profile(bool automine) => new()
    {
        ChainId = ChainId,
        BlockTime = automine ? TimeSpan.Zero : TimeSpan.FromDays(1),
        AllowEqualTimestamps = true,
    };

    public static GenesisConfig Genesis() => new()
    {
        ChainId = ChainId,
        Timestamp = 1_700_000_000,
        Alloc = new Dictionary<Address, GenesisAccount>
        {
            [SenderAddress] = new() { Balance = UInt256.Parse("1000000000000000000000000") },
        },
    };

    /// <summary>The recipient of the transaction with nonce <paramref name="nonce"/> (each gets a distinct one).</summary>
    public static Address Recipient(ulong nonce)
    {
        Span<byte> bytes = stackalloc byte[20];
        bytes[0] = 0xee;
        System.Buffers.Binary.BinaryPrimitives.WriteUInt64BigEndian(bytes[12..], nonce);
        return new Address(bytes);
    }

    /// <summary>The value sent by the transaction with nonce <paramref name="nonce"/>.</summary>
    public static UInt256 Amount(ulong nonce) => new(1_000 + nonce);

    public static Transaction Transfer(ulong nonce) => TransactionSigner.Sign(new Transaction
    {
        Type = TxType.DynamicFee,
        ChainId = ChainId,
        Nonce = nonce,
        MaxPriorityFeePerGas = 1,
        MaxFeePerGas = 100_000_000_000UL,
        GasLimit = 21_000,
        To = Recipient(nonce),
        Value = Amount(nonce),
    }, SenderKey);

    /// <summary>Sends transfers forever (or <paramref name="maxTransactions"/>), printing "receipt HASH BLOCK NONCE" once each has its receipt.</summary>
    public static void Run(ClusterDatabase database, int batch, long maxTransactions, TextWriter output)
    {
        var store = database.GetChainStore(ChainId);
        var chain = new MemberChain(Profile(batch <= 1), Genesis(), store);
        var nonce = chain.GetTransactionCount(SenderAddress, BlockSelector.Latest);
        output.WriteLine($"resumed head {chain.Head.Number} nonce {nonce}");
        long sent = 0;
        while (maxTransactions < 0 || sent < maxTransactions)
        {
            var sentNow = new List<(Hash256 Hash, ulong Nonce)>(batch);
            for (var i = 0; i < Math.Max(1, batch); i++)
            {
                var txNonce = nonce++;
                sentNow.Add((chain.SendTransaction(Transfer(txNonce)), txNonce));
            }
            if (batch > 1) chain.Mine();
            foreach (var (hash, txNonce) in sentNow)
            {
                var receipt = chain.GetReceipt(hash) ?? throw new InvalidOperationException($"no receipt for {hash} after sealing");
                output.WriteLine($"receipt {hash} {receipt.BlockNumber} {txNonce}");
            }
            sent += sentNow.Count;
        }
    }
}
