using Thalamus.Tests;
using System.Text.Json;
using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Cluster.Replay;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Storage;

namespace Thalamus.Settlement.Tests;

/// <summary>A parent clock the tests move (challenge windows, timeouts).</summary>
internal sealed class ManualClock(DateTimeOffset start) : IClock
{
    public DateTimeOffset UtcNow { get; set; } = start;
}

/// <summary>
/// A cluster of automining chains with the settlement module posting (when the test says so) to an embedded parent
/// chain, and a verifier on that parent. Accounts 0..3 use the chains; 4 challenges; 5 arbitrates.
/// </summary>
internal sealed class SettlementTestKit : IAsyncDisposable
{
    public static readonly IReadOnlyList<DevAccount> Accounts = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 6);

    public static readonly ReplayRules Rules = new()
    {
        NativeContracts = _ => ClusterReplayer.DefaultNativeContracts,
        PrepareReplay = ClusterReplayer.PrepareReplay,
    };

    public SettlementTestKit(int chains = 2, ulong? faultSlot = null, int slotsPerBatch = 2, MemberChain? parent = null, ClusterDatabase? database = null,
        SettlementTerms? terms = null)
    {
        Clock = new ManualClock(DateTimeOffset.FromUnixTimeSeconds(1_800_000_000));
        ParentChain = parent ?? InProcessParentChain.CreateChain([ParentAccount.FromName(SettlementOptions.PosterName).Address, .. Accounts.Select(a => a.Address)],
            clock: Clock, genesisTimestamp: 1_800_000_000);
        Parent = new InProcessParentChain(ParentChain);
        Module = new SettlementModule(new SettlementOptions
        {
            Parent = Parent,
            AutoPost = false,
            SlotsPerBatch = slotsPerBatch,
            FaultSlot = faultSlot,
            Terms = terms ?? new SettlementTerms(),
        });
        Options = new ClusterOptions
        {
            Chains = Enumerable.Range(0, chains).Select(i => new ClusterChainOptions { ChainId = 901 + (ulong)i }).ToList(),
            Accounts = [.. Accounts.Take(4)],
            GenesisTimestamp = 1_700_000_000,
        };
        Cluster = NodeCluster.Create(Options, database, [Module]);
    }

    public ManualClock Clock { get; }
    public MemberChain ParentChain { get; }
    public InProcessParentChain Parent { get; }
    public SettlementModule Module { get; }
    public ClusterOptions Options { get; }
    public NodeCluster Cluster { get; }
    public SettlementContract Contract => Module.Contract;

    public static ParentAccount Challenger => new(Accounts[4].PrivateKey);
    public static ParentAccount Arbiter => new(Accounts[5].PrivateKey);

    public SettlementVerifier Verifier(bool play = true) =>
        new(new SettlementContract(Parent, Contract.Address), Rules, play ? Challenger : null, play ? Arbiter : null);

    public MemberChain Chain(int i) => Cluster.Chains[i];

    /// <summary>Moves the parent's clock and mines a block there, so its latest timestamp moves.</summary>
    public void AdvanceParent(TimeSpan by)
    {
        Clock.UtcNow += by;
        ParentChain.Mine();
    }

    public static Hash256 Send(MemberChain chain, int account, Address? to, byte[] data, UInt256 value = default, ulong gas = 3_000_000)
    {
        var key = Accounts[account];
        var tx = DevTransactions.Sign(chain, key, to, data, gas, value);
        var hash = chain.SendTransaction(tx);
        Assert.True(chain.GetReceipt(hash)?.Receipt.Success, $"transaction {hash} on chain {chain.ChainId} failed");
        return hash;
    }

    public static void Transfer(MemberChain chain, int from, int to) => Send(chain, from, Accounts[to].Address, [], UInt256.One, 21_000);

    /// <summary>sendMessage on the ClusterMessenger: a message from <paramref name="chain"/> to <paramref name="destination"/>.</summary>
    public static void SendMessage(MemberChain chain, ulong destination, int account) =>
        Send(chain, account, MessageLeaves.Messenger,
            Abi.Call("sendMessage(uint256,address,bytes)", destination, Accounts[3].Address, AbiValue.Bytes([1, 2, 3])));

    public static Address Deploy(MemberChain chain, int account, string artifact)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "artifacts", artifact + ".json")));
        var code = Hex.Decode(json.RootElement.GetProperty("bytecode").GetString()!);
        var hash = Send(chain, account, null, code);
        return chain.GetReceipt(hash)!.ContractAddress!.Value;
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.DisposeAsync();
        Module.Dispose();
    }
}
