using Thalamus.Chain;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Modules;
using Thalamus.Rpc;
using Thalamus.Rpc.Tests;
using Thalamus.Storage;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Cluster.Tests.Seam;

/// <summary>A protocol plugs into the cluster through the seam alone (see <see cref="HeartbeatModule"/>).</summary>
public sealed class ModuleSeamTests : IDisposable
{
    private const ulong A = 901;
    private const ulong B = 902;

    /// <summary>Funded at genesis; only the heartbeat module signs with it.</summary>
    private static readonly DevAccount ModuleKey = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 6)[5];

    private readonly string _directory = Directory.CreateTempSubdirectory("thalamus-seam-test-").FullName;

    public void Dispose()
    {
        try { Directory.Delete(_directory, recursive: true); } catch (IOException) { }
    }

    private static ClusterOptions Options(IReadOnlyDictionary<string, double>? shares = null) => new()
    {
        Chains = [new ClusterChainOptions { ChainId = A }, new ClusterChainOptions { ChainId = B }],
        Accounts = [.. ClusterTestKit.Accounts, ModuleKey],
        GenesisTimestamp = 1_700_000_000,
        SystemGasShares = shares ?? new Dictionary<string, double> { ["messenger"] = 0.5 },
    };

    private static Hash256 Transfer(MemberChain chain, int account)
    {
        var key = ClusterTestKit.Accounts[account];
        var tx = TransactionSigner.Sign(new Transaction
        {
            Type = TxType.DynamicFee,
            ChainId = chain.ChainId,
            Nonce = chain.GetTransactionCount(key.Address, BlockSelector.Pending),
            MaxFeePerGas = new UInt256(100_000_000_000),
            MaxPriorityFeePerGas = new UInt256(1_000_000_000),
            GasLimit = 21_000,
            To = ClusterTestKit.Accounts[3].Address,
            Value = UInt256.One,
        }, key.PrivateKey);
        var hash = chain.SendTransaction(tx);
        Assert.NotNull(chain.GetReceipt(hash));
        return hash;
    }

    [Fact]
    public async Task A_module_system_transaction_starts_every_block_of_its_chain_and_no_block_of_the_others()
    {
        var module = new HeartbeatModule(B, ModuleKey);
        await using var cluster = NodeCluster.Create(Options(), modules: [module]);
        var (a, b) = (cluster.GetChain(A), cluster.GetChain(B));
        for (var i = 0; i < 3; i++)
        {
            Transfer(a, 0);
            Transfer(b, 1);
        }

        for (ulong n = 1; n <= b.Head.Number; n++)
        {
            var block = b.Store.GetBlock(n)!;
            Assert.Equal(2, block.Transactions.Count);
            Assert.Equal(HeartbeatModule.ContractAddress, block.Transactions[0].To);
            var receipt = b.GetReceipt(block.Transactions[0].Hash)!;
            Assert.True(receipt.Success);
            Assert.Equal(module.Sender, receipt.From);
        }
        for (ulong n = 1; n <= a.Head.Number; n++)
            Assert.DoesNotContain(a.Store.GetBlock(n)!.Transactions, tx => tx.To == HeartbeatModule.ContractAddress);
        Assert.Equal((3UL, 3UL), module.Counts(B));
        Assert.Equal((3UL, 0UL), module.Counts(A));
    }

    [Fact]
    public async Task A_module_native_contract_answers_at_its_new_address_only_on_the_chain_it_was_given_to()
    {
        await using var cluster = NodeCluster.Create(Options(), modules: [new HeartbeatModule(B, ModuleKey)]);
        var (a, b) = (cluster.GetChain(A), cluster.GetChain(B));
        Transfer(b, 1);
        var input = new byte[32];
        input[31] = 0x2a;

        var result = b.Call(new CallRequest { To = HeartbeatModule.ContractAddress, Data = input }, BlockSelector.Latest);
        Assert.True(result.Success, result.Error);
        Assert.Equal(new UInt256(B), UInt256.FromBigEndian(result.ReturnData.AsSpan(0, 32)));
        Assert.Equal(new UInt256(b.Head.Number), UInt256.FromBigEndian(result.ReturnData.AsSpan(32, 32)));
        Assert.Equal(input, result.ReturnData[64..]);

        // Bad input fails the call (all gas consumed) instead of answering.
        Assert.False(b.Call(new CallRequest { To = HeartbeatModule.ContractAddress, Data = [1, 2, 3] }, BlockSelector.Latest).Success);
        // On chain A the address is an ordinary empty account.
        var onA = a.Call(new CallRequest { To = HeartbeatModule.ContractAddress, Data = input }, BlockSelector.Latest);
        Assert.True(onA.Success);
        Assert.Empty(onA.ReturnData);
        Assert.Contains(b.NativeContracts.All, c => c.Address == HeartbeatModule.ContractAddress);
    }

    [Fact]
    public async Task A_module_index_resumes_from_its_checkpoint_after_a_restart_without_walking_the_blocks()
    {
        var path = Path.Combine(_directory, "cluster.db");
        (ulong, ulong) countsA, countsB;
        using (var database = ClusterDatabase.Open(path))
        {
            var module = new HeartbeatModule(B, ModuleKey);
            await using var cluster = NodeCluster.Create(Options(), database, [module]);
            Assert.False(module.ResumedFromCheckpoint);
            for (var i = 0; i < 4; i++) Transfer(cluster.GetChain(i % 2 == 0 ? A : B), 0);
            (countsA, countsB) = (module.Counts(A), module.Counts(B));
            Assert.Equal((2UL, 2UL), countsB);
        }

        using (var database = ClusterDatabase.Open(path))
        {
            var module = new HeartbeatModule(B, ModuleKey);
            await using var cluster = NodeCluster.Create(Options(), database, [module]);
            Assert.True(module.ResumedFromCheckpoint);
            Assert.Equal(0, module.BlocksWalkedAtStart);
            Assert.Equal(countsA, module.Counts(A));
            Assert.Equal(countsB, module.Counts(B));
            Transfer(cluster.GetChain(B), 1);
            Assert.Equal((countsB.Item1 + 1, countsB.Item2 + 1), module.Counts(B));
        }
    }

    [Fact]
    public async Task A_module_without_rows_rebuilds_its_index_from_the_chains()
    {
        var path = Path.Combine(_directory, "cluster.db");
        using (var database = ClusterDatabase.Open(path))
        {
            // The first run has no heartbeat module: nothing of it is stored.
            await using var cluster = NodeCluster.Create(Options(), database);
            for (var i = 0; i < 3; i++) Transfer(cluster.GetChain(A), 0);
        }
        using (var database = ClusterDatabase.Open(path))
        {
            var module = new HeartbeatModule(B, ModuleKey);
            await using var cluster = NodeCluster.Create(Options(), database, [module]);
            Assert.False(module.ResumedFromCheckpoint);
            Assert.Equal(3, module.BlocksWalkedAtStart);
            Assert.Equal((3UL, 0UL), module.Counts(A));
        }
    }

    [Fact]
    public async Task A_module_rpc_methods_are_served_by_every_chain_endpoint_beside_the_cluster_ones()
    {
        var module = new HeartbeatModule(B, ModuleKey);
        await using var cluster = NodeCluster.Create(Options(), modules: [module]);
        Transfer(cluster.GetChain(B), 1);
        Transfer(cluster.GetChain(B), 1);
        using var rpc = new RpcDispatcher(new MemberChainBackend(cluster.GetChain(A)), new RpcServerOptions { Methods = cluster.RpcMethods });

        Assert.Equal("0x2", Result(rpc, "heartbeat_blocks", "[\"0x386\"]").GetString());
        Assert.Equal("0x2", Result(rpc, "heartbeat_beats", "[902]").GetString());
        Assert.Equal("0x0", Result(rpc, "heartbeat_beats", "[901]").GetString());
        var modules = Result(rpc, "rpc_modules");
        Assert.True(modules.TryGetProperty("heartbeat", out _));
        Assert.True(modules.TryGetProperty("cluster", out _));
        Assert.Equal(2, Result(rpc, "cluster_chains").GetArrayLength());
        var (code, message, _) = Error(rpc, "heartbeat_blocks", "[]");
        Assert.Equal(RpcErrorCodes.InvalidParams, code);
        Assert.Contains("chainId", message);
        Assert.Equal(RpcErrorCodes.MethodNotFound, Error(rpc, "heartbeat_nothing").Code);
    }

    [Fact]
    public async Task A_module_gets_the_share_of_the_block_gas_its_configuration_gives_and_proposes_nothing_beyond_it()
    {
        var module = new HeartbeatModule(B, ModuleKey);
        // 0.1 % of 30,000,000 is 30,000: less than one heartbeat's gas limit.
        await using var cluster = NodeCluster.Create(
            Options(new Dictionary<string, double> { ["messenger"] = 0.5, [HeartbeatModule.ModuleName] = 0.001 }), modules: [module]);
        var b = cluster.GetChain(B);
        Transfer(b, 1);
        Assert.Equal([30_000UL], module.Budgets);
        Assert.Single(b.Store.GetBlock(1)!.Transactions);
        Assert.Equal((1UL, 0UL), module.Counts(B));
    }

    [Fact]
    public void Modules_that_clash_are_refused_at_creation_with_the_reason()
    {
        var twice = Assert.Throws<ClusterConfigurationException>(() =>
            NodeCluster.Create(Options(), modules: [new HeartbeatModule(B, ModuleKey), new HeartbeatModule(A, ModuleKey)]));
        Assert.Contains("two cluster modules are named \"heartbeat\"", twice.Message);

        var greedy = Assert.Throws<ClusterConfigurationException>(() =>
            NodeCluster.Create(Options(new Dictionary<string, double> { ["messenger"] = 0.5, [HeartbeatModule.ModuleName] = 0.6 }),
                modules: [new HeartbeatModule(B, ModuleKey)]));
        Assert.Equal("the modules' system gas shares add up to 1.1 of a block, more than all of it", greedy.Message);

        var onPrecompile = Assert.Throws<ClusterConfigurationException>(() =>
            NodeCluster.Create(Options(), modules: [new SquatterModule()]));
        Assert.Contains("two native contracts at 0x0000000000000000000000000000000000000001", onPrecompile.Message, StringComparison.OrdinalIgnoreCase);
    }

    [Fact]
    public async Task A_module_genesis_accounts_are_on_every_chain_it_gives_them_to_also_a_chain_added_later_and_in_the_replayed_genesis()
    {
        var module = new PredeployModule(Address.Parse("0x42000000000000000000000000000000000000b2"));
        await using var cluster = NodeCluster.Create(Options(), modules: [module]);
        foreach (var chainId in new[] { A, B })
        {
            var chain = cluster.GetChain(chainId);
            Assert.Equal(PredeployModule.Code, chain.GetCode(module.At, BlockSelector.Latest));
            Assert.Equal(new UInt256(chainId), chain.GetStorageAt(module.At, UInt256.One, BlockSelector.Latest));
            Assert.Equal(SystemAccount.GenesisBalance, chain.GetBalance(PredeployModule.Signer.Address, BlockSelector.Latest));
            Assert.True(cluster.GenesisOf(chainId).Alloc.ContainsKey(module.At));
        }
        var added = cluster.AddChain(new ClusterChainOptions { ChainId = 903 });
        Assert.Equal(PredeployModule.Code, added.GetCode(module.At, BlockSelector.Latest));
    }

    [Fact]
    public void A_module_genesis_account_on_a_predeploy_or_on_another_module_account_is_refused_at_creation_with_the_reason()
    {
        var onMessenger = Assert.Throws<ClusterConfigurationException>(() =>
            NodeCluster.Create(Options(), modules: [new PredeployModule(ClusterPredeploys.Messenger)]));
        Assert.Contains("module \"predeploy\" puts an account at 0x4200000000000000000000000000000000000023 in genesis, where a cluster predeploy has one",
            onMessenger.Message, StringComparison.OrdinalIgnoreCase);

        var at = Address.Parse("0x42000000000000000000000000000000000000b3");
        var twice = Assert.Throws<ClusterConfigurationException>(() =>
            NodeCluster.Create(Options(), modules: [new PredeployModule(at), new PredeployModule(at, "other")]));
        Assert.Contains("where module \"predeploy\" has one", twice.Message);
    }

    /// <summary>A Solidity-style predeploy (runtime code and a storage slot holding the chain id) and a funded system account.</summary>
    [Fact]
    public async Task A_transaction_signed_with_a_system_account_s_public_key_is_refused_by_a_cluster_chain_s_pool_with_the_reason()
    {
        var account = new SystemAccount("thalamus.seam-test");
        await using var cluster = NodeCluster.Create(Options(), modules: [new PredeployModule(Address.Parse("0x4200000000000000000000000000000000000099"))]);
        var a = cluster.GetChain(A);
        var tx = account.Sign(A, 0, ClusterTestKit.Accounts[0].Address, [], 21_000, new UInt256(100_000_000_000));
        var refused = Assert.Throws<TxPoolException>(() => a.SendRawTransaction(tx.Transaction.Encode()));
        Assert.Equal(TxPoolError.InvalidSender, refused.Error);
        Assert.Equal($"invalid sender: {account.Address} is the node's system account \"thalamus.seam-test\": only the node signs its transactions", refused.Message);
        // A user's transaction still enters.
        Transfer(a, 0);
    }

    private sealed class PredeployModule(Address at, string name = "predeploy") : IClusterModule
    {
        public static readonly byte[] Code = Hex.Decode("0x600160005260206000f3");

        public static readonly SystemAccount Signer = new("thalamus.test.predeploy");

        public Address At => at;

        public string Name => name;

        public IEnumerable<KeyValuePair<Address, GenesisAccount>> GenesisAllocations(ulong chainId, ulong genesisTimestamp) =>
        [
            new(at, new GenesisAccount { Nonce = 1, Code = Code, Storage = new Dictionary<UInt256, UInt256> { [UInt256.One] = new UInt256(chainId) } }),
            Signer.Funded(),
        ];
    }

    /// <summary>Claims ecrecover's address.</summary>
    private sealed class SquatterModule : IClusterModule
    {
        public string Name => "squatter";

        public IEnumerable<Evm.NativeContract> NativeContracts(ulong chainId) => [new Squat()];

        private sealed class Squat() : Evm.NativeContract(Address.Parse("0x0000000000000000000000000000000000000001"))
        {
            public override Evm.Precompiles.PrecompileResult Run(in Evm.NativeCall call) => new(true, 0, []);
        }
    }
}
