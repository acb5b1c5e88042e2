using System.Numerics;
using System.Text.Json;
using Nethereum.Contracts;
using Nethereum.Web3;
using Nethereum.Web3.Accounts;
using Thalamus.Chain;
using Thalamus.Cluster;
using Thalamus.Core;
using Thalamus.Crypto;
using Thalamus.Rpc;
using Thalamus.Rtc;
using Thalamus.Tests;
using Xunit;

namespace Thalamus.Sdk.Tests;

/// <summary>The C# SDK (on Nethereum) against a devnet in the test process: chains 901 and 902 with the rtc module behind a JSON-RPC server.</summary>
public sealed class RtcClientTests : IAsyncLifetime
{
    private static readonly IReadOnlyList<DevAccount> Accounts = DevAccounts.Derive(DevAccounts.DefaultMnemonic, 3);
    private NodeCluster _cluster = null!;
    private JsonRpcServer _server = null!;
    private RtcClient _client = null!;
    private Address _vault;

    public async Task InitializeAsync()
    {
        _cluster = NodeCluster.Create(new ClusterOptions
        {
            Chains = [new ClusterChainOptions { ChainId = 901 }, new ClusterChainOptions { ChainId = 902 }],
            Accounts = Accounts,
        }, null, [new RtcModule()]);
        var a = _cluster.Chains[0];
        _server = new JsonRpcServer(new RpcDispatcher(new MemberChainBackend(a), new RpcServerOptions { Methods = _cluster.RpcMethods, Port = 0 }));
        await _server.StartAsync();
        var b = _cluster.Chains[1];
        var deploy = b.GetReceipt(b.SendTransaction(DevTransactions.Sign(b, Accounts[0], null, Artifact("RtcVault"), 3_000_000)))!;
        _vault = deploy.ContractAddress!.Value;
        var web3 = new Web3(new Account(Hex.Encode(Accounts[1].PrivateKey.ToArray()), 901), _server.HttpUrl.ToString());
        _client = new RtcClient(web3);
    }

    public async Task DisposeAsync()
    {
        await _server.DisposeAsync();
        await _cluster.DisposeAsync();
    }

    [Fact]
    public async Task The_sdk_quotes_sends_an_async_rtc_and_tracks_it_to_its_ack_with_the_result()
    {
        var quotes = await _client.QuoteAsync(902);
        var quote = Assert.Single(quotes);
        Assert.Equal(("cluster", RtcClient.ZeroAddress, BigInteger.Zero), (quote.Provider, quote.Relayer, quote.Fee));

        var data = Abi.Call("add(address,uint256)", Accounts[1].Address, 5UL);
        var rtc = new RtcRequest { Calls = [RtcClient.Call(902, _vault.ToString(), data)], Atomic = false };
        var id = await _client.SendAsync(rtc, preference: "cheapest");
        var info = await _client.WaitAsync(id, TimeSpan.FromSeconds(30));
        Assert.Equal("ACK", info.Status);
        Assert.Equal(new UInt256(5), new AbiReader(Hex.Decode(info.Results[0])).Word(0));
        Assert.Equal(id, info.Id);
    }

    [Fact]
    public async Task An_atomic_rtc_from_the_sdk_is_acked_in_its_own_transaction()
    {
        var data = Abi.Call("add(address,uint256)", Accounts[1].Address, 2UL);
        var id = await _client.SendAsync(new RtcRequest { Calls = [RtcClient.Call(902, _vault.ToString(), data)], Atomic = true });
        var info = await _client.GetAsync(id);
        Assert.Equal("ACK", info!.Status);
        Assert.Equal(new UInt256(2), new AbiReader(Hex.Decode(info.Results[0])).Word(0));
    }

    [Fact]
    public async Task Refusals_reach_the_sdk_with_the_gateways_reason_and_nothing_is_sent()
    {
        var call = RtcClient.Call(902, _vault.ToString(), []);
        var unknownProvider = await Assert.ThrowsAnyAsync<Exception>(() => _client.SendAsync(new RtcRequest { Calls = [call], Atomic = true }, preference: "zeta"));
        Assert.Contains("Thalamus: chain 902 has no provider named zeta", unknownProvider.Message, StringComparison.Ordinal);
        var unknownChain = await Assert.ThrowsAnyAsync<Exception>(() =>
            _client.SendAsync(new RtcRequest { Calls = [RtcClient.Call(999, _vault.ToString(), [])], Atomic = true }));
        Assert.Contains("Thalamus: chain 999 is not a member of this cluster", unknownChain.Message, StringComparison.Ordinal);
        var unknownName = await Assert.ThrowsAnyAsync<Exception>(() => _client.ResolveNameAsync("nobody"));
        Assert.Contains("no name 'nobody' in the address book", unknownName.Message, StringComparison.Ordinal);
        Assert.Equal(0UL, _cluster.Chains[0].GetTransactionCount(Accounts[1].Address, BlockSelector.Latest));
    }

    private static byte[] Artifact(string contract)
    {
        using var json = JsonDocument.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "artifacts", contract + ".json")));
        return Hex.Decode(json.RootElement.GetProperty("bytecode").GetString()!);
    }
}
