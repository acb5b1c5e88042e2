using System.Text.Json;
using BenchmarkDotNet.Attributes;
using Thalamus.Chain;
using Thalamus.Chain.Tracing;
using Thalamus.Core;
using Thalamus.Crypto;

namespace Thalamus.Benchmarks;

/// <summary>
/// debug_traceTransaction's cost against plain execution, on a mined transaction of an in-memory
/// chain: an OpenZeppelin ERC-20 transfer (TestToken) and snailtracer (evm-benchmarks). <c>Plain</c>
/// runs the same call untraced (eth_call on the head); <c>StructLogger</c> and <c>CallTracer</c>
/// re-execute the block on its parent state with the tracer and write geth's JSON (to a null stream).
/// </summary>
/// <remarks>
/// <c>dotnet run -c Release --project bench/Thalamus.Benchmarks -- --filter '*TracingBenchmarks*' --job short</c>
/// </remarks>
[MemoryDiagnoser]
public class TracingBenchmarks
{
    private const ulong ChainId = 31337;

    private MemberChain _chain = null!;
    private Hash256 _hash;
    private CallRequest _call = null!;

    [Params("erc20-transfer", "snailtracer")]
    public string Case { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var key = DevAccounts.Derive(count: 1)[0];
        var snail = Address.Parse("0x00000000000000000000000000000000000005a1");
        var alloc = new Dictionary<Address, GenesisAccount> { [key.Address] = new() { Balance = UInt256.Parse("1000000000000000000000000") } };
        var (snailCode, snailInput) = EvmBenchmarks.Load("snailtracer/benchmark");
        alloc[snail] = new GenesisAccount { Code = snailCode };
        _chain = new MemberChain(new ChainProfile { ChainId = ChainId, BlockGasLimit = 1_000_000_000 }, new GenesisConfig { ChainId = ChainId, Alloc = alloc, GasLimit = 1_000_000_000 });

        ulong nonce = 0;
        Hash256 Send(Address? to, byte[] data, ulong gas)
        {
            var tx = new Transaction
            {
                Type = TxType.DynamicFee, ChainId = ChainId, Nonce = nonce++, MaxFeePerGas = 100_000_000_000UL,
                MaxPriorityFeePerGas = 1_000_000_000UL, GasLimit = gas, To = to, Data = data,
            };
            var hash = _chain.SendRawTransaction(TransactionSigner.Sign(tx, key.PrivateKey).Encode());
            var receipt = _chain.GetReceipt(hash) ?? throw new InvalidOperationException("not mined");
            if (!receipt.Success) throw new InvalidOperationException($"{Case}: transaction failed");
            return hash;
        }

        if (Case == "snailtracer")
        {
            _hash = Send(snail, snailInput, 900_000_000);
            _call = new CallRequest { From = key.Address, To = snail, Data = snailInput, Gas = 900_000_000 };
        }
        else
        {
            var creation = ClusterBenchKit.Artifact("TestToken");
            var supply = new byte[32];
            supply[0] = 1;
            var deployed = Send(null, [.. creation, .. supply], 3_000_000);
            var token = _chain.GetReceipt(deployed)!.ContractAddress!.Value;
            var transfer = new byte[68];
            transfer[0] = 0xa9; transfer[1] = 0x05; transfer[2] = 0x9c; transfer[3] = 0xbb;
            transfer[35] = 0x42; // to 0x…42
            transfer[67] = 1;    // one unit
            _hash = Send(token, transfer, 100_000);
            _call = new CallRequest { From = key.Address, To = token, Data = transfer, Gas = 100_000 };
        }
    }

    [Benchmark(Baseline = true)]
    public int Plain() => _chain.Call(_call, BlockSelector.Latest).ReturnData.Length;

    /// <summary>snailtracer's full struct log would pass the node's cap (<see cref="TraceOptions.DefaultMaxStructLogBytes"/>): every step is traced, the first 100,000 are kept.</summary>
    [Benchmark]
    public long StructLogger() => Trace(new StructLogger(new TraceOptions { Limit = Case == "snailtracer" ? 100_000 : 0 }));

    [Benchmark]
    public long CallTracer() => Trace(new CallTracer());

    private long Trace(ITransactionTracer tracer)
    {
        if (!_chain.TraceTransaction(_hash, tracer)) throw new InvalidOperationException("not traced");
        using var sink = new CountingStream();
        using (var writer = new Utf8JsonWriter(sink)) tracer.WriteResult(writer);
        return sink.Length;
    }

    /// <summary>Median wall time of each method and case over <c>runs</c> runs (default 7) after one warm-up, and the JSON size.</summary>
    public static int RunStopwatch(string[] args)
    {
        var runs = args.Length > 0 && int.TryParse(args[0], out var n) && n > 0 ? n : 7;
        foreach (var name in new[] { "erc20-transfer", "snailtracer" })
        {
            var bench = new TracingBenchmarks { Case = name };
            bench.Setup();
            double plain = 0;
            foreach (var (method, run) in new (string, Func<long>)[] { ("Plain", () => bench.Plain()), ("StructLogger", bench.StructLogger), ("CallTracer", bench.CallTracer) })
            {
                var size = run();
                // Cheap cases run 40 times as often, so the traced interpreter loop is tiered up as in a busy node.
                var count = name == "snailtracer" ? runs : runs * 40;
                var times = new double[count];
                for (var i = 0; i < count; i++)
                {
                    var watch = System.Diagnostics.Stopwatch.StartNew();
                    run();
                    times[i] = watch.Elapsed.TotalMilliseconds;
                }
                Array.Sort(times);
                var median = times[count / 2];
                if (method == "Plain") plain = median;
                Console.WriteLine($"{name,-16}{method,-14}{median,12:F3} ms  x{median / plain,6:F1}  {(method == "Plain" ? "" : $"{size / 1024.0:F0} KiB JSON")}");
            }
        }
        return 0;
    }

    /// <summary>Counts what is written and keeps nothing.</summary>
    private sealed class CountingStream : Stream
    {
        private long _length;
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _length;
        public override long Position { get => _length; set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => _length += count;
        public override void Write(ReadOnlySpan<byte> buffer) => _length += buffer.Length;
    }
}
