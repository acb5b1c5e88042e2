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
    private readonly RpcAccessPolicy _production = RpcAccessPolicy.ForPublicEndpoint(null, dev: false);
    private RpcDispatcher _dispatcher = null!;
    private RpcDispatcher _productionDispatcher = null!;

    [GlobalSetup]
    public void Setup()
    {
        var chain = new MemberChain(new ChainProfile { ChainId = 901 }, new GenesisConfig { ChainId = 901 });
        _dispatcher = new RpcDispatcher(new MemberChainBackend(chain), new RpcServerOptions());
        _productionDispatcher = new RpcDispatcher(new MemberChainBackend(chain), new RpcServerOptions { Access = _production });
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _dispatcher.Dispose();
        _productionDispatcher.Dispose();
    }

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

    /// <summary>eth_chainId on a production endpoint: the namespace table is consulted (the devnet's open policy skips it).</summary>
    [Benchmark]
    public int EthChainIdProduction()
    {
        _output.Clear();
        _productionDispatcher.Process(ChainIdRequest, _output);
        return _output.WrittenCount;
    }

    /// <summary>The access check alone, for a served method of a public namespace and for one of the cluster's.</summary>
    [Benchmark]
    public void AccessCheck()
    {
        _production.Demand("eth_getBalance");
        _production.Demand("cluster_status");
    }
}
