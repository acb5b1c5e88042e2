using Thalamus.Tests;
using System.Buffers.Binary;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Rpc;
using Thalamus.Storage;

namespace Thalamus.Multicast.Tests;

/// <summary>A cluster of automining chains running the multicast module, with helpers to deploy, subscribe, publish and read.</summary>
internal sealed class MulticastKit : IAsyncDisposable
{
    public static readonly IReadOnlyList<DevAccount> Accounts = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 4);

    public static readonly uint StoreSelector = Selector("store(uint256)");

    public MulticastKit(int chains = 3, double share = 0.05, ClusterDatabase? database = null, ulong gasLimit = 30_000_000, bool sizeByMeasuredGas = true, Address? feeOwner = null,
        TimeProvider? time = null)
    {
        Options = new ClusterOptions
        {
            Chains = Enumerable.Range(0, chains).Select(i => new ClusterChainOptions { ChainId = 901 + (ulong)i, GasLimit = gasLimit }).ToList(),
            Accounts = Accounts,
            GenesisTimestamp = 1_700_000_000,
            SystemGasShares = new Dictionary<string, double> { ["messenger"] = Math.Min(0.5, 1 - share), [MulticastModule.ModuleName] = share },
        };
        Module = new MulticastModule(sizeByMeasuredGas, feeOwner);
        Cluster = NodeCluster.Create(Options, database, [Module], time);
    }

    public ClusterOptions Options { get; }
    public NodeCluster Cluster { get; }
    public MulticastModule Module { get; }

    public MemberChain this[int index] => Cluster.Chains[index];

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();

    public static uint Selector(string signature) => BinaryPrimitives.ReadUInt32BigEndian(Keccak256.Compute(System.Text.Encoding.ASCII.GetBytes(signature)).Bytes);

    public static byte[] CreationCode(string contract)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "artifacts", contract + ".json");
        using var json = JsonDocument.Parse(File.ReadAllText(path));
        return Hex.Decode(json.RootElement.GetProperty("bytecode").GetString()!);
    }

    public TransactionReceipt Send(MemberChain chain, int account, Address? to, byte[] data, UInt256 value = default, ulong gas = 10_000_000)
    {
        var key = Accounts[account];
        var tx = DevTransactions.Sign(chain, key, to, data, gas, value);
        var hash = chain.SendTransaction(tx);
        return chain.GetReceipt(hash) ?? throw new InvalidOperationException($"transaction {hash} was not mined");
    }

    public Address Deploy(MemberChain chain, string contract)
    {
        var receipt = Send(chain, 0, null, CreationCode(contract));
        Assert.True(receipt.Success, $"deploying {contract} failed");
        return receipt.ContractAddress!.Value;
    }

    public CallResult Call(MemberChain chain, Address to, byte[] data, int account = 0) =>
        chain.Call(new CallRequest { To = to, Data = data, From = Accounts[account].Address }, BlockSelector.Latest);

    public UInt256 Word(MemberChain chain, Address to, string signature, params AbiValue[] args)
    {
        var result = Call(chain, to, Abi.Call(signature, args));
        Assert.True(result.Success, $"{signature}: {result.RevertReason ?? result.Error}");
        return UInt256.FromBigEndian(result.ReturnData.AsSpan(0, 32));
    }

    /// <summary>The revert reason of the call (eth_call), after checking that the transaction itself is refused too and changes nothing it reports.</summary>
    public string Refusal(MemberChain chain, int account, Address to, byte[] data, UInt256 value = default)
    {
        var call = chain.Call(new CallRequest { To = to, Data = data, From = Accounts[account].Address, Value = value }, BlockSelector.Latest);
        Assert.False(call.Success, "the call succeeded");
        var receipt = Send(chain, account, to, data, value);
        Assert.False(receipt.Success, "the transaction succeeded");
        return call.RevertReason ?? call.Error ?? "";
    }

    public Hash256 CreateChannel(MemberChain chain, int account = 0, bool allowListOnly = false, uint gasPerDelivery = 100_000, ulong fee = 0)
    {
        var receipt = Send(chain, account, MulticastPredeploys.Registry,
            Abi.Call("createChannel(bool,uint32,uint128)", allowListOnly, (ulong)gasPerDelivery, fee));
        Assert.True(receipt.Success);
        return receipt.Logs.First(l => l.Address == MulticastPredeploys.Registry && l.Topics[0] == Abi.EventTopic("ChannelCreated(bytes32,address,uint256,bool,uint256,uint256)")).Topics[1];
    }

    public static byte[] SubscribeData(Hash256 channel, Address target, uint selector) =>
        Abi.Call("subscribe(bytes32,address,bytes4)", channel, target, AbiValue.FromWord(Bytes4(selector)));

    public TransactionReceipt Subscribe(MemberChain chain, Hash256 channel, Address target, uint selector = 0, int account = 0, ulong fee = 0) =>
        Send(chain, account, MulticastPredeploys.Registry, SubscribeData(channel, target, selector), new UInt256(fee));

    public TransactionReceipt Unsubscribe(MemberChain chain, Hash256 channel, Address target, uint selector = 0, int account = 0) =>
        Send(chain, account, MulticastPredeploys.Registry, Abi.Call("unsubscribe(bytes32,address,bytes4)", channel, target, AbiValue.FromWord(Bytes4(selector))));

    public UInt256 Quote(MemberChain chain, Hash256 channel, int payloadSize) =>
        Word(chain, MulticastPredeploys.Multicaster, "quotePublish(bytes32,uint256)", channel, (ulong)payloadSize);

    public static byte[] PublishData(Hash256 channel, byte[] message) => Abi.Call("publish(bytes32,bytes)", channel, AbiValue.Bytes(message));

    /// <summary>Publishes <paramref name="message"/>, paying the quoted fee; returns the receipt and the publish id.</summary>
    public (TransactionReceipt Receipt, Hash256 Id) Publish(MemberChain chain, Hash256 channel, byte[] message, int account = 0)
    {
        var fee = Quote(chain, channel, message.Length - MulticastHeader.Size);
        var receipt = Send(chain, account, MulticastPredeploys.Multicaster, PublishData(channel, message), fee);
        Assert.True(receipt.Success, "publish reverted");
        var log = receipt.Logs.First(l => l.Address == MulticastPredeploys.Multicaster);
        return (receipt, log.Topics[1]);
    }

    public static byte[] PlainMessage(byte[] payload, MulticastFlags flags = MulticastFlags.None) => MulticastHeader.Of(MulticastMessageType.Plain, flags).Message(payload);

    public static byte[] CallMessage(ulong value) => MulticastHeader.Of(MulticastMessageType.Call).Message(Abi.Encode(value));

    public ulong Received(MemberChain chain, Address subscriber) => (ulong)Word(chain, subscriber, "received()");

    public ulong OutOfOrder(MemberChain chain, Address subscriber) => (ulong)Word(chain, subscriber, "outOfOrder()");

    public PublishAggregate Aggregate(MemberChain home, Hash256 id)
    {
        var result = Call(home, MulticastPredeploys.Multicaster, Abi.Call("getPublish(bytes32)", id));
        Assert.True(result.Success);
        return MulticastAbi.DecodePublish(result.ReturnData);
    }

    public ChannelState Channel(MemberChain chain, Hash256 id)
    {
        var result = Call(chain, MulticastPredeploys.Registry, Abi.Call("getChannel(bytes32)", id));
        Assert.True(result.Success);
        return MulticastAbi.DecodeChannel(id, result.ReturnData);
    }

    /// <summary>Seals blocks (through evm_mine's path, with system transactions) until the module has nothing left or <paramref name="max"/> rounds.</summary>
    public int Drain(int max = 10_000)
    {
        var rounds = 0;
        while (rounds < max && Cluster.Chains.Any(c => Module.HasPendingWork(c)))
        {
            foreach (var chain in Cluster.Chains)
                if (Module.HasPendingWork(chain)) chain.Mine();
            rounds++;
        }
        return rounds;
    }

    /// <summary>Subscribes <paramref name="counter"/> (a MulticastCounter) under selectors first.. first + count - 1, in chunks that fit a block.</summary>
    public void SubscribeMany(MemberChain chain, Address counter, Hash256 channel, uint first, uint count, uint chunk = 100)
    {
        for (var done = 0u; done < count; done += chunk)
        {
            var n = Math.Min(chunk, count - done);
            var receipt = Send(chain, 0, counter, Abi.Call("subscribeMany(bytes32,uint32,uint32)", channel, (ulong)(first + done), (ulong)n), gas: 29_000_000);
            Assert.True(receipt.Success, "subscribeMany reverted");
        }
    }

    /// <summary>Blocks of <paramref name="chain"/> that carry a deliver() of the multicast account.</summary>
    public int DeliveryBlocks(MemberChain chain)
    {
        var blocks = 0;
        for (ulong n = 1; n <= chain.Head.Number; n++)
            if (chain.Store.GetBlock(n)!.Transactions.Any(tx => tx.To == MulticastPredeploys.Multicaster && tx.Data.Length > 4 && tx.Data[0] == DeliverSelector[0] && tx.Data.AsSpan(0, 4).SequenceEqual(DeliverSelector))) blocks++;
        return blocks;
    }

    /// <summary>The numbers of <paramref name="chain"/>'s blocks that carry a deliver() of the multicast account.</summary>
    public List<ulong> DeliveryBlockNumbers(MemberChain chain)
    {
        var blocks = new List<ulong>();
        for (ulong n = 1; n <= chain.Head.Number; n++)
            if (chain.Store.GetBlock(n)!.Transactions.Any(tx => tx.To == MulticastPredeploys.Multicaster && tx.Data.Length > 4 && tx.Data.AsSpan(0, 4).SequenceEqual(DeliverSelector))) blocks.Add(n);
        return blocks;
    }

    /// <summary>Every deliver() of the multicast account on <paramref name="chain"/>: subscribers sent in the batch, subscribers it reached (BatchDelivered).</summary>
    public List<(int Sent, int Delivered)> DeliverBatches(MemberChain chain)
    {
        var batches = new List<(int, int)>();
        var batchDelivered = Abi.EventTopic("BatchDelivered(bytes32,bytes32,uint64,uint32,uint32,uint32,uint32)");
        for (ulong n = 1; n <= chain.Head.Number; n++)
        {
            foreach (var tx in chain.Store.GetBlock(n)!.Transactions)
            {
                if (tx.To != MulticastPredeploys.Multicaster || tx.Data.Length < 4 || !tx.Data.AsSpan(0, 4).SequenceEqual(DeliverSelector)) continue;
                var args = new AbiReader(tx.Data.AsSpan(4));
                var sent = (int)args.UInt64((int)(args.UInt64(6) / 32));
                var receipt = chain.GetReceipt(tx.Hash)!;
                var log = receipt.Logs.FirstOrDefault(l => l.Address == MulticastPredeploys.Multicaster && l.Topics[0] == batchDelivered);
                batches.Add((sent, log is null ? 0 : (int)new AbiReader(log.Data).UInt64(2)));
            }
        }
        return batches;
    }

    private static readonly byte[] DeliverSelector = Keccak256.Compute("deliver((bytes32,uint64,uint256,address,uint32,uint32),(address,bytes4)[],bytes)"u8).Bytes[..4].ToArray();

    public RpcDispatcher Rpc(int chain = 0) => new(new MemberChainBackend(Cluster.Chains[chain]), new RpcServerOptions { Methods = Cluster.RpcMethods });

    public static UInt256 Bytes4(uint selector)
    {
        Span<byte> word = stackalloc byte[32];
        BinaryPrimitives.WriteUInt32BigEndian(word, selector);
        return UInt256.FromBigEndian(word);
    }
}
