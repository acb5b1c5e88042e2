using System.Text;
using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using BenchmarkDotNet.Reports;
using BenchmarkDotNet.Running;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Crypto;

namespace Thalamus.Benchmarks;

/// <summary>
/// In-process block building: signed ERC-20 transfers submitted as raw bytes (decoding, parallel
/// sender recovery, pool validation) and sealed into blocks (execution, receipts, roots, state
/// root, commit to the in-memory store). Reported per transfer, with transfers per second.
/// <c>Interval</c> seals full 30M-gas blocks; <c>Automine</c> seals one block per transfer.
/// </summary>
[MemoryDiagnoser]
[Config(typeof(TransfersPerSecondConfig))]
public class BlockBuildingBenchmarks
{
    private const int Senders = 200;
    private const int TransfersPerSender = 10;
    private const int Transfers = Senders * TransfersPerSender;
    private const ulong ChainId = 31337;
    private static readonly Address Token = Address.Parse("0x00000000000000000000000000000000000070c0");

    private readonly List<byte[]> _raw = [];
    private GenesisConfig _genesis = null!;
    private MemberChain _chain = null!;

    [Params(false, true)]
    public bool Automine { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var keys = new byte[Senders][];
        var addresses = new Address[Senders];
        var storage = new Dictionary<UInt256, UInt256>();
        var alloc = new Dictionary<Address, GenesisAccount>();
        for (var i = 0; i < Senders; i++)
        {
            keys[i] = Keccak256.Compute(Encoding.UTF8.GetBytes($"thalamus bench sender {i}")).ToArray();
            addresses[i] = Secp256k1.PrivateKeyToAddress(keys[i]);
            alloc[addresses[i]] = new GenesisAccount { Balance = UInt256.Parse("1000000000000000000000") };
            storage[BalanceSlot(addresses[i])] = 1_000_000_000UL;
        }
        alloc[Token] = new GenesisAccount { Code = TokenRuntime(), Storage = storage };
        _genesis = new GenesisConfig { ChainId = ChainId, Alloc = alloc };

        // Round-robin over senders so every block mixes many accounts; each pays the next sender.
        for (ulong nonce = 0; nonce < TransfersPerSender; nonce++)
        {
            for (var i = 0; i < Senders; i++)
            {
                var tx = new Transaction
                {
                    Type = TxType.DynamicFee,
                    ChainId = ChainId,
                    Nonce = nonce,
                    MaxFeePerGas = 100_000_000_000UL,
                    MaxPriorityFeePerGas = 1_000_000_000UL,
                    GasLimit = 100_000,
                    To = Token,
                    Data = TransferCall(addresses[(i + 1) % Senders], 1),
                };
                _raw.Add(TransactionSigner.Sign(tx, keys[i]).Encode());
            }
        }

        // A dry run proves the workload: every transfer is sealed and succeeds.
        NewChain();
        SignedTokenTransfers();
        for (ulong n = 1; n <= _chain.Head.Number; n++)
            foreach (var receipt in _chain.GetBlockReceipts(BlockSelector.FromNumber(n))!)
                if (!receipt.Success || receipt.Logs.Count != 1) throw new InvalidOperationException($"transfer {receipt.TransactionHash} failed");
        if (_chain.GetTransactionCount(addresses[0], BlockSelector.Latest) != TransfersPerSender)
            throw new InvalidOperationException("not every transfer was sealed");
    }

    [IterationSetup]
    public void NewChain()
    {
        var profile = new ChainProfile { ChainId = ChainId, BlockTime = Automine ? TimeSpan.Zero : TimeSpan.FromSeconds(1) };
        _chain = new MemberChain(profile, _genesis);
    }

    [Benchmark(OperationsPerInvoke = Transfers)]
    public ulong SignedTokenTransfers()
    {
        var results = _chain.SendRawTransactions(_raw);
        if (!results[^1].Accepted) throw new InvalidOperationException(results[^1].Error!.Message);
        while (_chain.WithPool(p => p.Count) > 0) _chain.Mine();
        return _chain.Head.Number;
    }

    private static UInt256 BalanceSlot(Address holder)
    {
        var preimage = new byte[64];
        holder.Bytes.CopyTo(preimage.AsSpan(12));
        return Keccak256.Compute(preimage).ToUInt256();
    }

    private static readonly AbiSelector Transfer = Abi.Selector("transfer(address,uint256)");

    private static byte[] TransferCall(Address to, UInt256 amount) => Abi.EncodeCall(Transfer, to, amount);

    /// <summary>
    /// A minimal ERC-20 in raw bytecode: balances at keccak(holder . 0); transfer(address,uint256)
    /// checks and moves the amount and logs Transfer(from, to, amount); anything else reverts.
    /// </summary>
    private static byte[] TokenRuntime()
    {
        var topic = Abi.EventTopic("Transfer(address,address,uint256)").ToArray();
        var code = new List<byte>();
        void Op(params byte[] bytes) => code.AddRange(bytes);
        Op(0x60, 0x00, 0x35, 0x60, 0xe0, 0x1c);                 // selector
        Op([0x63, .. Transfer.ToArray(), 0x14]);               // == transfer
        var jumpToTransfer = code.Count + 1;
        Op(0x61, 0x00, 0x00, 0x57);                             // ?transfer
        Op(0x60, 0x00, 0x80, 0xfd);                             // revert
        var transfer = code.Count;
        Op(0x5b);
        Op(0x33, 0x60, 0x00, 0x52, 0x60, 0x40, 0x60, 0x00, 0x20);  // slotFrom
        Op(0x80, 0x54, 0x60, 0x24, 0x35);                       // slotFrom balFrom amount
        Op(0x80, 0x82, 0x10);                                   // balFrom < amount
        var jumpToFail = code.Count + 1;
        Op(0x61, 0x00, 0x00, 0x57);
        Op(0x80, 0x82, 0x03, 0x83, 0x55);                       // sstore(slotFrom, balFrom - amount)
        Op(0x60, 0x04, 0x35, 0x60, 0x00, 0x52, 0x60, 0x40, 0x60, 0x00, 0x20); // slotTo
        Op(0x80, 0x54, 0x82, 0x01, 0x90, 0x55);                 // sstore(slotTo, balTo + amount)
        Op(0x60, 0x00, 0x52);                                   // mem[0] = amount
        Op(0x60, 0x04, 0x35, 0x33, 0x7f);
        Op(topic);
        Op(0x60, 0x20, 0x60, 0x00, 0xa3);                       // LOG3
        Op(0x60, 0x01, 0x60, 0x00, 0x52, 0x60, 0x20, 0x60, 0x00, 0xf3);
        var fail = code.Count;
        Op(0x5b, 0x60, 0x00, 0x80, 0xfd);
        var result = code.ToArray();
        result[jumpToTransfer] = (byte)(transfer >> 8);
        result[jumpToTransfer + 1] = (byte)transfer;
        result[jumpToFail] = (byte)(fail >> 8);
        result[jumpToFail + 1] = (byte)fail;
        return result;
    }

    private sealed class TransfersPerSecondConfig : ManualConfig
    {
        public TransfersPerSecondConfig() => AddColumn(new TransfersPerSecondColumn());
    }

    /// <summary>Transfers per second of the mean time per transfer.</summary>
    private sealed class TransfersPerSecondColumn : IColumn
    {
        public string Id => nameof(TransfersPerSecondColumn);
        public string ColumnName => "Transfers/s";
        public bool AlwaysShow => true;
        public ColumnCategory Category => ColumnCategory.Custom;
        public int PriorityInCategory => 0;
        public bool IsNumeric => true;
        public UnitType UnitType => UnitType.Dimensionless;
        public string Legend => "Signed ERC-20 transfers per second (1 s / mean time per transfer)";
        public bool IsDefault(Summary summary, BenchmarkCase benchmarkCase) => false;
        public bool IsAvailable(Summary summary) => true;

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase) => GetValue(summary, benchmarkCase, SummaryStyle.Default);

        public string GetValue(Summary summary, BenchmarkCase benchmarkCase, SummaryStyle style)
        {
            var report = summary[benchmarkCase];
            if (report?.ResultStatistics is not { } stats) return "-";
            return (1e9 / stats.Mean).ToString("N0", System.Globalization.CultureInfo.InvariantCulture);
        }
    }
}
