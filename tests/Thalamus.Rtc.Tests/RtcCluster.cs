using Thalamus.Tests;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Rpc;
using Thalamus.Storage;

namespace Thalamus.Rtc.Tests;

/// <summary>A cluster of automining chains 901, 902, … running the rtc module, with helpers to deploy, send, call and build RTCs.</summary>
internal sealed class RtcCluster : IAsyncDisposable
{
    public static readonly IReadOnlyList<DevAccount> Accounts = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 4);

    /// <summary>sendRtc(Rtc): the tuple of IThalamus.Rtc.</summary>
    public const string SendRtc =
        "sendRtc(((uint256,address,bytes,uint8,address,uint256,uint256,address,uint64,bool)[],(uint16,uint16,uint16,uint32)[],bool,uint64))";

    public RtcCluster(int chains = 2, ClusterDatabase? database = null, TimeSpan[]? blockTimes = null, RtcOptions? options = null, ulong? genesisTimestamp = null,
        TimeProvider? time = null)
    {
        Module = new RtcModule(options);
        Options = new ClusterOptions
        {
            Chains = Enumerable.Range(0, blockTimes?.Length ?? chains)
                .Select(i => new ClusterChainOptions { ChainId = 901 + (ulong)i, BlockTime = blockTimes?[i] ?? TimeSpan.Zero }).ToList(),
            Accounts = Accounts,
            // With external chains, the cluster's time is the external chain's (deadlines are compared on both).
            GenesisTimestamp = genesisTimestamp ?? (options is null ? 1_700_000_000 : (ulong)DateTimeOffset.UtcNow.ToUnixTimeSeconds()),
        };
        Cluster = NodeCluster.Create(Options, database, [Module], time);
    }

    public RtcModule Module { get; }
    public ClusterOptions Options { get; }
    public NodeCluster Cluster { get; }

    public MemberChain this[int index] => Cluster.Chains[index];

    public RpcDispatcher Rpc(int chain = 0) => new(new MemberChainBackend(this[chain]), new RpcServerOptions { Methods = Cluster.RpcMethods });

    public static byte[] CreationCode(string contract)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "artifacts", contract + ".json");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return Hex.Decode(json.RootElement.GetProperty("bytecode").GetString()!);
    }

    public TransactionReceipt Send(MemberChain chain, int account, Address? to, byte[] data, ulong gas = 3_000_000, UInt256 value = default)
    {
        var key = Accounts[account];
        var tx = DevTransactions.Sign(chain, key, to, data, gas, value);
        var hash = chain.SendTransaction(tx);
        return chain.GetReceipt(hash) ?? throw new InvalidOperationException($"transaction {hash} was not mined");
    }

    public Address Deploy(MemberChain chain, string contract, params AbiValue[] args)
    {
        var receipt = Send(chain, 0, null, [.. CreationCode(contract), .. Abi.Encode(args)], 6_000_000);
        Assert.True(receipt.Success, $"deploying {contract} failed");
        return receipt.ContractAddress!.Value;
    }

    public CallResult Call(MemberChain chain, Address to, byte[] data, int account = 0) =>
        chain.Call(new CallRequest { To = to, Data = data, From = Accounts[account].Address, Gas = 5_000_000 }, BlockSelector.Latest);

    public UInt256 Word(MemberChain chain, Address to, string signature, params AbiValue[] args)
    {
        var result = Call(chain, to, Abi.Call(signature, args));
        Assert.True(result.Success, $"eth_call {signature} failed: {result.Error}");
        return new AbiReader(result.ReturnData).Word(0);
    }

    /// <summary>One call object (IThalamus.Call) without assets.</summary>
    public static AbiValue CallObject(ulong chainId, Address target, byte[] data) => AbiValue.Tuple(
        chainId, target, AbiValue.Bytes(data), 0UL, Address.Zero, 0UL, 0UL, Address.Zero, 0UL, false);

    /// <summary>A call object carrying native value.</summary>
    public static AbiValue NativeCall(ulong chainId, Address target, byte[] data, ulong wei) => AbiValue.Tuple(
        chainId, target, AbiValue.Bytes(data), 1UL, Address.Zero, wei, 0UL, Address.Zero, 0UL, false);

    /// <summary>The call data of sendRtc(calls, no pipes, atomic, deadline).</summary>
    public static byte[] Rtc(bool atomic, ulong deadline, params AbiValue[] calls) =>
        Abi.Call(SendRtc, AbiValue.Tuple(AbiValue.Array(calls), AbiValue.Array(), atomic, deadline));

    /// <summary>The id of the RtcSent event in a receipt.</summary>
    public static Hash256 RtcIdOf(TransactionReceipt receipt) =>
        receipt.Logs.Single(l => l.Address == RtcPredeploys.Gateway && l.Topics[0] == RtcLogs.RtcSent).Topics[1];

    public async ValueTask DisposeAsync()
    {
        await Module.DisposeAsync();
        await Cluster.DisposeAsync();
    }
}
