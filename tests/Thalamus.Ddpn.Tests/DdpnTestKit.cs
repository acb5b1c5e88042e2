using Thalamus.Tests;
using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Dlx;

namespace Thalamus.Ddpn.Tests;

/// <summary>A cluster with the ddpn module, and helpers to submit, run and read jobs through transactions to the unit.</summary>
internal sealed class DdpnTestKit : IAsyncDisposable
{
    public static readonly IReadOnlyList<DevAccount> Accounts = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 8);

    /// <summary>Where the stand-in payment token lands: the first transaction of account 0 on a chain (<see cref="DeployToken"/>).</summary>
    public static readonly Address Token = Thalamus.Evm.ContractAddress.From(Accounts[0].Address, 0);

    /// <summary>The token's supply, all minted to account 0.</summary>
    public static readonly UInt256 Supply = UInt256.Parse("1000000000000000000000000");

    public DdpnTestKit(IReadOnlyList<ClusterChainOptions> chains, TimeProvider? time = null, DdpnOptions? options = null,
        Thalamus.Storage.ClusterDatabase? database = null)
    {
        Module = new DdpnModule(options ?? new DdpnOptions { PaymentToken = Token });
        Cluster = NodeCluster.Create(new ClusterOptions
        {
            Chains = chains,
            Accounts = Accounts,
            GenesisTimestamp = 1_700_000_000,
        }, database, modules: [Module], time: time);
    }

    public DdpnModule Module { get; }

    public NodeCluster Cluster { get; }

    public MemberChain this[int index] => Cluster.Chains[index];

    public static string Sample(string name)
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var path = Path.Combine(dir.FullName, "samples", "dlx", name);
            if (File.Exists(path)) return path;
        }
        throw new FileNotFoundException($"samples/dlx/{name} not found above {AppContext.BaseDirectory}");
    }

    public static DlxProgramImage Assemble(string name) => DlxAssembler.Assemble(File.ReadAllText(Sample(name)));

    public static Transaction Sign(MemberChain chain, int account, byte[] data, ulong gas, ulong? nonce = null)
    {
        var key = Accounts[account];
        return DevTransactions.Sign(chain, key, DdpnAddresses.Unit, data, gas, nonce: nonce);
    }

    /// <summary>Sends a call to the unit (automine) and returns its receipt, which must succeed.</summary>
    public static TransactionReceipt Send(MemberChain chain, byte[] data, ulong gas = 29_000_000, int account = 0)
    {
        var hash = chain.SendTransaction(Sign(chain, account, data, gas));
        var receipt = chain.GetReceipt(hash) ?? throw new InvalidOperationException($"transaction {hash} was not mined");
        Assert.True(receipt.Success, $"the unit refused on chain {chain.ChainId}: {Reason(chain, data, gas)}");
        return receipt;
    }

    /// <summary>The revert reason the unit gives for <paramref name="data"/> now (null when it would succeed).</summary>
    public static string? Reason(MemberChain chain, byte[] data, ulong gas = 29_000_000)
    {
        var result = chain.Call(new CallRequest { From = Accounts[0].Address, To = DdpnAddresses.Unit, Data = data, Gas = gas }, BlockSelector.Latest);
        return result.Success ? null : Abi.DecodeRevertReason(result.ReturnData) ?? result.Error;
    }

    public static byte[] View(MemberChain chain, byte[] data)
    {
        var result = chain.Call(new CallRequest { From = Accounts[0].Address, To = DdpnAddresses.Unit, Data = data, Gas = 29_000_000 }, BlockSelector.Latest);
        Assert.True(result.Success, result.Error);
        return result.ReturnData;
    }

    public static Hash256 Word32(TransactionReceipt receipt) => Assert.Single(receipt.Logs, l => l.Topics.Count > 1).Topics[1];

    /// <summary>Submits <paramref name="data"/> to the unit as chained chunks of <paramref name="limit"/> bytes; returns the submission id.</summary>
    public static Hash256 Submit(MemberChain chain, byte[] data, int limit, string metadata = "")
    {
        var chunks = DlxChunker.Split(data, limit, System.Text.Encoding.UTF8.GetBytes(metadata));
        var first = Send(chain, Abi.Call(DdpnUnitAbi.BeginSubmission, AbiValue.Bytes(chunks[0])));
        var id = new Hash256(System.Security.Cryptography.SHA256.HashData(chunks[0]));
        Assert.Equal(id, first.Logs[0].Topics[1]);
        for (var i = 1; i < chunks.Count; i++) Send(chain, Abi.Call(DdpnUnitAbi.ContinueSubmission, id, AbiValue.Bytes(chunks[i])));
        return id;
    }

    public static Hash256 RegisterProgram(MemberChain chain, DlxProgramImage image, int limit)
    {
        var id = Submit(chain, image.ToBytes(), limit, "program");
        Send(chain, Abi.Call(DdpnUnitAbi.RegisterProgram, id));
        return id;
    }

    public static Hash256 CreateJob(MemberChain chain, Hash256 program, Hash256[] inputs, ulong gasLimit, ulong segment = 0)
    {
        var receipt = Send(chain, Abi.Call(DdpnUnitAbi.CreateJob, program, AbiValue.Array([.. inputs.Select(i => (AbiValue)i)]), gasLimit, segment));
        return Assert.Single(receipt.Logs, l => l.Topics[0] == DdpnUnitAbi.JobCreated).Topics[1];
    }

    public static DdpnJobInfo Job(MemberChain chain, Hash256 job) => DdpnJobInfo.Decode(View(chain, Abi.Call(DdpnUnitAbi.GetJob, job)));

    public static byte[] Output(MemberChain chain, Hash256 job) => new AbiReader(View(chain, Abi.Call(DdpnUnitAbi.GetOutput, job))).Bytes(0);

    public static byte[] MachineState(MemberChain chain, Hash256 job) => new AbiReader(View(chain, Abi.Call(DdpnUnitAbi.GetState, job))).Bytes(0);

    public static (Hash256 Before, Hash256 After) Execution(MemberChain chain, Hash256 job, ulong index)
    {
        var r = new AbiReader(View(chain, Abi.Call(DdpnUnitAbi.GetExecution, job, index)));
        return (r.Bytes32(0), r.Bytes32(1));
    }

    /// <summary>The TestToken creation (an OpenZeppelin ERC-20, <see cref="Supply"/> to account 0); must be account 0's first transaction on the chain.</summary>
    public static byte[] TokenCreation()
    {
        using var json = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "artifacts", "TestToken.json")));
        return [.. Hex.Decode(json.RootElement.GetProperty("bytecode").GetString()!), .. Abi.Encode(Supply)];
    }

    /// <summary>Deploys the token on an automining chain (account 0's first transaction there).</summary>
    public static void DeployToken(MemberChain chain)
    {
        Assert.Equal(0UL, chain.GetTransactionCount(Accounts[0].Address, BlockSelector.Latest));
        var hash = chain.SendTransaction(DevTransactions.Sign(chain, Accounts[0], null, TokenCreation(), 3_000_000));
        Assert.Equal(Token, chain.GetReceipt(hash)!.ContractAddress);
    }

    public static UInt256 TokenBalance(MemberChain chain, Address who)
    {
        var result = chain.Call(new CallRequest { To = Token, Data = Abi.Call("balanceOf(address)", who) }, BlockSelector.Latest);
        Assert.True(result.Success, result.Error);
        return new AbiReader(result.ReturnData).Word(0);
    }

    public static byte[] TokenTransfer(Address to, UInt256 amount) => Abi.Call("transfer(address,uint256)", to, amount);

    public static byte[] ApproveEscrow(UInt256 amount) => Abi.Call("approve(address,uint256)", DdpnAddresses.Escrow, amount);

    public static byte[] EscrowStake(UInt256 amount) => Abi.Call("stake(uint256)", amount);

    public static byte[] EscrowPostOffer(ulong[] segmentGas, ulong[] allowed, UInt256 maxCost, ulong alphaPpm) =>
        Abi.Call("postOffer(bytes32,uint256[],uint256[],uint256,uint256)", Hash256.Zero, AbiValue.Array([.. segmentGas.Select(g => (AbiValue)g)]),
            AbiValue.Array([.. allowed.Select(c => (AbiValue)c)]), maxCost, alphaPpm);

    /// <summary>The revert reason a call from <paramref name="account"/> gets now (null when it would succeed).</summary>
    public static string? ReasonFrom(MemberChain chain, int account, Address to, byte[] data)
    {
        var result = chain.Call(new CallRequest { From = Accounts[account].Address, To = to, Data = data, Gas = 5_000_000 }, BlockSelector.Latest);
        return result.Success ? null : Abi.DecodeRevertReason(result.ReturnData) ?? result.Error;
    }

    public static byte[] ManagementView(MemberChain chain, byte[] data)
    {
        var result = chain.Call(new CallRequest { To = DdpnAddresses.Management, Data = data, Gas = 10_000_000 }, BlockSelector.Latest);
        Assert.True(result.Success, result.Error);
        return result.ReturnData;
    }

    public async ValueTask DisposeAsync() => await Cluster.DisposeAsync();
}
