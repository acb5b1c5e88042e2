using System.Numerics;
using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Tests;
using G = Thalamus.Governance.GovernanceContracts;

namespace Thalamus.Governance.Tests;

/// <summary>An Agora proposal: its calls and description.</summary>
internal sealed record Proposal(Address[] Targets, byte[][] Calldatas, string Description)
{
    public static Proposal Single(Address target, byte[] calldata, string description) => new([target], [calldata], description);

    public Hash256 DescriptionHash => Keccak256.Compute(System.Text.Encoding.UTF8.GetBytes(Description));

    private AbiValue[] Parts =>
    [
        AbiValue.Array([.. Targets.Select(t => (AbiValue)t)]),
        AbiValue.Array([.. Targets.Select(_ => (AbiValue)UInt256.Zero)]),
        AbiValue.Array([.. Calldatas.Select(AbiValue.Bytes)]),
    ];

    public byte[] Propose() => Abi.Call("propose(address[],uint256[],bytes[],string)", [.. Parts, AbiValue.String(Description)]);

    public byte[] Queue() => Abi.Call("queue(address[],uint256[],bytes[],bytes32)", [.. Parts, DescriptionHash]);

    public byte[] Execute() => Abi.Call("execute(address[],uint256[],bytes[],bytes32)", [.. Parts, DescriptionHash]);

    public byte[] Hash() => Abi.Call("hashProposal(address[],uint256[],bytes[],bytes32)", [.. Parts, DescriptionHash]);
}

/// <summary>A cluster with the governance module on its first chain (901), and helpers to stake, propose, vote and travel in time.</summary>
internal sealed class GovernanceTestKit : IAsyncDisposable
{
    public const ulong HomeId = 901;
    public const ulong VotingPeriod = 3 * 24 * 3600;
    public const ulong TimelockDelay = 24 * 3600;

    public static readonly IReadOnlyList<DevAccount> Accounts = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 10);

    /// <summary>One Athena (or Hermes): 10^18.</summary>
    public static readonly UInt256 Token = UInt256.FromBigInteger(BigInteger.Pow(10, 18));

    /// <summary>The cluster's genesis time: session 1 of the Agora starts here.</summary>
    public const ulong Genesis = 1_700_000_000;

    public GovernanceTestKit(int chains = 2, IReadOnlyList<ClusterChainOptions>? chainOptions = null, Thalamus.Storage.ClusterDatabase? database = null,
        IReadOnlyList<Thalamus.Modules.IClusterModule>? otherModules = null)
    {
        var options = chainOptions ?? [.. Enumerable.Range(0, chains).Select(i => new ClusterChainOptions { ChainId = HomeId + (ulong)i })];
        Module = new GovernanceModule(Options([.. options.Select(c => c.ChainId)]));
        Cluster = NodeCluster.Create(new ClusterOptions
        {
            Chains = options,
            Accounts = Accounts,
            GenesisTimestamp = Genesis,
        }, database, modules: [Module, .. otherModules ?? []], time: new GenesisClock());
    }

    /// <summary>The kit's governance options (default sessions: 28 days, proposals in the first 14).</summary>
    public static GovernanceOptions Options(IReadOnlyList<ulong> chains) => new()
    {
        HomeChainId = HomeId,
        InitialChains = chains,
        GenesisHolders = [.. Accounts.Select(a => a.Address)],
        VotingPeriodSeconds = (uint)VotingPeriod,
        TimelockDelaySeconds = (uint)TimelockDelay,
    };

    public GovernanceModule Module { get; }

    public NodeCluster Cluster { get; }

    public MemberChain Home => Cluster.GetChain(HomeId);

    public ValueTask DisposeAsync() => Cluster.DisposeAsync();

    public static UInt256 Tokens(ulong count) => new UInt256(count) * Token;

    /// <summary>Sends a transaction (automine) that must succeed; the failure message carries the revert.</summary>
    public TransactionReceipt Send(MemberChain chain, int account, Address to, byte[] data, ulong gas = 3_000_000)
    {
        var hash = chain.SendTransaction(DevTransactions.Sign(chain, Accounts[account], to, data, gas));
        var receipt = chain.GetReceipt(hash) ?? throw new InvalidOperationException($"transaction {hash} was not mined");
        if (!receipt.Success)
        {
            var again = chain.Call(new CallRequest { From = Accounts[account].Address, To = to, Data = data, Gas = gas }, BlockSelector.Latest);
            Assert.Fail($"account {account} -> {to} reverted: 0x{Convert.ToHexString(again.ReturnData)} {again.Error} (gas used {receipt.GasUsed} of {gas})");
        }
        return receipt;
    }

    public TransactionReceipt Send(int account, Address to, byte[] data, ulong gas = 3_000_000) => Send(Home, account, to, data, gas);

    /// <summary>Sends the transaction, which must revert (in a block, at the time travelled to), and returns the error's data.</summary>
    public byte[] Refusal(int account, Address to, byte[] data)
    {
        var hash = Home.SendTransaction(DevTransactions.Sign(Home, Accounts[account], to, data, 5_000_000));
        Assert.False(Home.GetReceipt(hash)!.Success, $"the transaction to {to} succeeded");
        var result = Home.Call(new CallRequest { From = Accounts[account].Address, To = to, Data = data, Gas = 5_000_000 }, BlockSelector.Latest);
        Assert.False(result.Success, $"the call to {to} succeeded");
        return result.ReturnData;
    }

    /// <summary>Asserts the call reverts with the custom error <paramref name="signature"/>.</summary>
    public byte[] AssertRefused(string signature, int account, Address to, byte[] data)
    {
        var refusal = Refusal(account, to, data);
        Assert.True(Abi.Selector(signature).Matches(refusal), $"expected {signature}, got 0x{Convert.ToHexString(refusal)}");
        return refusal;
    }

    public byte[] View(Address to, byte[] data)
    {
        var result = Home.Call(new CallRequest { To = to, Data = data, Gas = 10_000_000 }, BlockSelector.Latest);
        Assert.True(result.Success, result.Error);
        return result.ReturnData;
    }

    public UInt256 Word(Address to, byte[] data, int index = 0) => UInt256.FromBigEndian(View(to, data).AsSpan(32 * index, 32));

    public UInt256 HermesOf(Address account) => Word(G.Hermes, Abi.Call("balanceOf(address)", account));

    /// <summary>
    /// Moves the home chain's time (where every governance clock runs) <paramref name="seconds"/> past its head:
    /// evm_setNextBlockTimestamp, since a burst of automined blocks can run ahead of the clock evm_increaseTime moves.
    /// </summary>
    public void Travel(ulong seconds) => Home.SetNextBlockTimestamp(Home.Head.Timestamp + seconds);

    /// <summary>Moves the home chain's next block to the start of the next Agora session (AgoraGovernor.nextSessionStart).</summary>
    public ulong ToNextSession()
    {
        var next = (ulong)Word(G.Governor, Abi.Call("nextSessionStart()"));
        Home.SetNextBlockTimestamp(next);
        return next;
    }

    public void Stake(int account, UInt256 amount)
    {
        Send(account, G.Athena, Abi.Call("approve(address,uint256)", G.Staking, amount));
        Send(account, G.Staking, Abi.Call("stake(uint256)", amount));
    }

    public UInt256 Propose(int proposer, Proposal proposal)
    {
        var id = Word(G.Governor, proposal.Hash());
        Send(proposer, G.Governor, proposal.Propose());
        return id;
    }

    public void Vote(int account, UInt256 id, int support = 1) =>
        Send(account, G.Governor, Abi.Call("castVote(uint256,uint8)", id, (ulong)support));

    public int State(UInt256 id) => (int)(ulong)Word(G.Governor, Abi.Call("state(uint256)", id));

    /// <summary>Proposes, votes (for) with <paramref name="voters"/>, lets the vote end and queues; returns the proposal id.</summary>
    public UInt256 PassAndQueue(Proposal proposal, int proposer, params int[] voters)
    {
        var id = Propose(proposer, proposal);
        Travel(2);
        foreach (var voter in voters) Vote(voter, id);
        Travel(VotingPeriod + 1);
        Send(proposer, G.Governor, proposal.Queue());
        Travel(TimelockDelay + 1);
        return id;
    }

    public TransactionReceipt Execute(Proposal proposal, int account = 0) => Send(account, G.Governor, proposal.Execute(), gas: 5_000_000);

    /// <summary>
    /// Accounts 0-8 stake (9 strategists, 9,500,000 Athena: 0 holds 4,000,000, 1 holds 2,000,000, 2-8 hold 500,000 each);
    /// account 9 is a client that does not stake. 0 and 1 together pass anything.
    /// </summary>
    public void StakeEveryone()
    {
        Stake(0, Tokens(4_000_000));
        Stake(1, Tokens(2_000_000));
        for (var i = 2; i < 9; i++) Stake(i, Tokens(500_000));
        Travel(1);
    }
}

/// <summary>The cluster's clock stands at the genesis time (block times then move only by travel, as a session's terms are measured from genesis).</summary>
internal sealed class GenesisClock : TimeProvider
{
    public override DateTimeOffset GetUtcNow() => DateTimeOffset.FromUnixTimeSeconds(1_700_000_000);

    public override long GetTimestamp() => 0;
}

/// <summary>Governor.ProposalState (OpenZeppelin).</summary>
internal static class ProposalStates
{
    public const int Pending = 0, Active = 1, Canceled = 2, Defeated = 3, Succeeded = 4, Queued = 5, Expired = 6, Executed = 7;
}
