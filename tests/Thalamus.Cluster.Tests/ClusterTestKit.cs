using Thalamus.Tests;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Storage;

namespace Thalamus.Cluster.Tests;

/// <summary>A cluster of automining chains with the dev accounts, and helpers to deploy, send and call.</summary>
internal sealed class ClusterTestKit : IAsyncDisposable
{
    public static readonly IReadOnlyList<DevAccount> Accounts = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 4);

    public ClusterTestKit(int chains = 2, TimeSpan? blockTime = null, TimeSpan? delta = null, ClusterDatabase? database = null,
        TimeSpan[]? blockTimes = null, ulong? deliveryGasLimit = null, ulong? deliveryGasBudget = null, TimeProvider? time = null,
        Func<ulong, IReadOnlyDictionary<Address, GenesisAccount>?>? loadedState = null, IEnumerable<Modules.IClusterModule>? modules = null)
    {
        Options = new ClusterOptions
        {
            Chains = Enumerable.Range(0, blockTimes?.Length ?? chains)
                .Select(i => new ClusterChainOptions
                {
                    ChainId = 901 + (ulong)i,
                    BlockTime = blockTimes?[i] ?? blockTime ?? TimeSpan.Zero,
                    LoadedState = loadedState?.Invoke(901 + (ulong)i),
                }).ToList(),
            Accounts = Accounts,
            Delta = delta,
            GenesisTimestamp = 1_700_000_000,
            DeliveryGasLimit = deliveryGasLimit ?? 1_000_000,
            DeliveryGasBudget = deliveryGasBudget,
        };
        Cluster = NodeCluster.Create(Options, database, modules, time: time);
    }

    public ClusterOptions Options { get; }
    public NodeCluster Cluster { get; }

    public MemberChain this[int index] => Cluster.Chains[index];

    public static byte[] CreationCode(string contract)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "artifacts", contract + ".json");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return Hex.Decode(json.RootElement.GetProperty("bytecode").GetString()!);
    }

    /// <summary>Signs and submits a transaction from dev account <paramref name="account"/>; returns its receipt (automine).</summary>
    public TransactionReceipt Send(MemberChain chain, int account, Address? to, byte[] data, ulong gas = 3_000_000)
    {
        var hash = SendNoWait(chain, account, to, data, gas);
        return chain.GetReceipt(hash) ?? throw new InvalidOperationException($"transaction {hash} was not mined (is the chain held?)");
    }

    public Hash256 SendNoWait(MemberChain chain, int account, Address? to, byte[] data, ulong gas = 3_000_000)
    {
        var key = Accounts[account];
        var tx = DevTransactions.Sign(chain, key, to, data, gas);
        return chain.SendTransaction(tx);
    }

    /// <summary>Deploys a compiled contract with its constructor arguments (ABI-encoded after the creation code).</summary>
    public Address Deploy(MemberChain chain, string contract, params AbiValue[] args)
    {
        var receipt = Send(chain, 0, null, [.. CreationCode(contract), .. Abi.Encode(args)], 6_000_000);
        Assert.True(receipt.Success, $"deploying {contract} failed");
        return receipt.ContractAddress!.Value;
    }

    public byte[] Call(MemberChain chain, Address to, byte[] data)
    {
        var result = chain.Call(new CallRequest { To = to, Data = data, From = Accounts[0].Address }, BlockSelector.Latest);
        Assert.True(result.Success, $"eth_call failed: {result.Error}");
        return result.ReturnData;
    }

    public UInt256 CallWord(MemberChain chain, Address to, string signature, params AbiValue[] args) =>
        new AbiReader(Call(chain, to, Abi.Call(signature, args))).Word(0);

    /// <summary>Deploys raw init code from dev account 0.</summary>
    public Address DeployCode(MemberChain chain, byte[] initCode)
    {
        var receipt = Send(chain, 0, null, initCode, 1_000_000);
        Assert.True(receipt.Success, "deploying raw code failed");
        return receipt.ContractAddress!.Value;
    }

    public UInt256 Storage(MemberChain chain, Address contract, ulong slot) => chain.GetStorageAt(contract, new UInt256(slot), BlockSelector.Latest);

    /// <summary>Polls for a receipt (interval chains); fails the test after <paramref name="timeout"/> (10 s by default).</summary>
    public static async Task<TransactionReceipt> WaitReceipt(MemberChain chain, Hash256 hash, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (DateTime.UtcNow < deadline)
        {
            if (chain.GetReceipt(hash) is { } receipt) return receipt;
            await Task.Delay(20);
        }
        throw new TimeoutException($"transaction {hash} was not mined on chain {chain.ChainId}");
    }

    /// <summary>Polls until <paramref name="condition"/> holds; fails the test after <paramref name="timeout"/> (10 s by default).</summary>
    public static async Task WaitUntil(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(10));
        while (!condition())
        {
            if (DateTime.UtcNow > deadline) throw new TimeoutException($"timed out waiting for {what}");
            await Task.Delay(20);
        }
    }

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
