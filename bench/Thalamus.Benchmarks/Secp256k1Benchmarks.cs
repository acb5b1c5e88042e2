using BenchmarkDotNet.Attributes;
using BenchmarkDotNet.Columns;
using BenchmarkDotNet.Configs;
using Thalamus.Core;
using Thalamus.Crypto;

namespace Thalamus.Benchmarks;

/// <summary>
/// secp256k1 through libsecp256k1: address recovery (what sender recovery and ecrecover cost),
/// signing and verification, single-threaded. Reports operations per second.
/// </summary>
[Config(typeof(OperationsPerSecondConfig))]
[MemoryDiagnoser]
public class Secp256k1Benchmarks
{
    private const int Count = 64;
    private readonly byte[][] _hashes = new byte[Count][];
    private readonly Signature[] _signatures = new Signature[Count];
    private readonly byte[][] _publicKeys = new byte[Count][];
    private byte[] _privateKey = [];
    private int _next;

    [GlobalSetup]
    public void Setup()
    {
        _privateKey = Hex.Decode("0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80");
        for (int i = 0; i < Count; i++)
        {
            // Distinct keys and messages so no call is a repeat of the previous one.
            byte[] key = Keccak256.Compute(BitConverter.GetBytes(i + 1)).ToArray();
            _hashes[i] = Keccak256.Compute(key).ToArray();
            _signatures[i] = Secp256k1.Sign(_hashes[i], key);
            _publicKeys[i] = new byte[64];
            Secp256k1.PrivateKeyToPublicKey(key, _publicKeys[i]);
        }
    }

    [Benchmark(Description = "recover address")]
    public Address RecoverAddress()
    {
        int i = _next = (_next + 1) & (Count - 1);
        Secp256k1.TryRecoverAddress(_hashes[i], _signatures[i], out Address address);
        return address;
    }

    [Benchmark(Description = "sign (RFC 6979)")]
    public Signature Sign()
    {
        int i = _next = (_next + 1) & (Count - 1);
        return Secp256k1.Sign(_hashes[i], _privateKey);
    }

    [Benchmark(Description = "verify")]
    public bool Verify()
    {
        int i = _next = (_next + 1) & (Count - 1);
        return Secp256k1.Verify(_hashes[i], _signatures[i], _publicKeys[i]);
    }

    private sealed class OperationsPerSecondConfig : ManualConfig
    {
        public OperationsPerSecondConfig() => AddColumn(StatisticColumn.OperationsPerSecond);
    }
}
