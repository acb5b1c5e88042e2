using System.Text;
using BenchmarkDotNet.Attributes;
using Thalamus.Chain;
using Thalamus.Rpc;

namespace Thalamus.Benchmarks;

/// <summary>
/// One JSON-RPC request through <see cref="RpcDispatcher.Process"/> (parse, access check, dispatch,
/// write) on an in-memory chain: the per-request cost every endpoint pays before any chain work.
/// </summary>
[MemoryDiagnoser]
public class RpcDispatchBenchmarks
{
    private static readonly byte[] ChainIdRequest = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"eth_chainId","params":[]}""");
    private static readonly byte[] BlockNumberRequest = Encoding.UTF8.GetBytes("""{"jsonrpc":"2.0","id":1,"method":"eth_blockNumber","params":[]}""");

    private readonly PooledBufferWriter _output = new(4096);
    private RpcDispatcher _dispatcher = null!;

    [GlobalSetup]
    public void Setup()
    {
        var chain = new MemberChain(new ChainProfile { ChainId = 901 }, new GenesisConfig { ChainId = 901 });
        _dispatcher = new RpcDispatcher(new MemberChainBackend(chain), new RpcServerOptions());
    }

    [GlobalCleanup]
    public void Cleanup() => _dispatcher.Dispose();

    [Benchmark]
    public int EthChainId()
    {
        _output.Clear();
        _dispatcher.Process(ChainIdRequest, _output);
        return _output.WrittenCount;
    }

    [Benchmark]
    public int EthBlockNumber()
    {
        _output.Clear();
        _dispatcher.Process(BlockNumberRequest, _output);
        return _output.WrittenCount;
    }
}
