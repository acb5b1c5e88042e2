using Thalamus.Chain;
using Thalamus.Core;
using static Thalamus.Rpc.Tests.RpcTestClient;

namespace Thalamus.Rtc.Tests;

/// <summary>The cluster address book (ThalamusAddressBook at 0x…33): registered by a contract's owner, replicated by the module.</summary>
public sealed class AddressBookTests
{
    [Fact]
    public async Task A_name_registered_by_the_owner_on_one_chain_resolves_the_same_on_every_chain()
    {
        await using var rtc = new RtcCluster(chains: 3);
        var (a, b, c) = (rtc[0], rtc[1], rtc[2]);
        var vault = rtc.Deploy(b, "RtcOwnedVault"); // account 0 owns it
        var registered = rtc.Send(b, 0, RtcPredeploys.AddressBook, Abi.Call("register(string,address)", AbiValue.String("vault"), vault));
        Assert.True(registered.Success);

        foreach (var chain in new[] { a, b, c })
        {
            var resolved = rtc.Call(chain, RtcPredeploys.AddressBook, Abi.Call("resolve(string)", AbiValue.String("vault")));
            Assert.True(resolved.Success, $"resolve on {chain.ChainId}: {Abi.DecodeRevertReason(resolved.ReturnData)}");
            var reader = new AbiReader(resolved.ReturnData);
            Assert.Equal((new UInt256(902), vault), (reader.Word(0), reader.Address(1)));
        }
        Assert.Equal(UInt256.One, rtc.Word(a, RtcPredeploys.AddressBook, "applied(uint256)", 902UL));

        var json = Result(rtc.Rpc(0), "thalamus_resolveName", "[\"vault\"]");
        Assert.Equal("vault@eip155:902", json.GetProperty("erc7828").GetString());
        Assert.Equal($"{vault}@eip155:902", json.GetProperty("address7828").GetString());
        Assert.Equal("0x386", json.GetProperty("chainId").GetString());
        Assert.Equal(RtcCluster.Accounts[0].Address.ToString(), json.GetProperty("owner").GetString());
    }

    [Fact]
    public async Task Names_not_in_the_book_strangers_and_taken_names_are_refused_with_the_reason()
    {
        await using var rtc = new RtcCluster(chains: 2);
        var (a, b) = (rtc[0], rtc[1]);
        var vault = rtc.Deploy(a, "RtcOwnedVault");
        var other = rtc.Deploy(b, "RtcOwnedVault");

        Assert.Equal("ThalamusAddressBook: no name 'nope' in the book",
            Reason(rtc.Call(a, RtcPredeploys.AddressBook, Abi.Call("resolve(string)", AbiValue.String("nope")))));
        var error = Error(rtc.Rpc(0), "thalamus_resolveName", "[\"nope\"]");
        Assert.Contains("no name 'nope' in the address book", error.Message, StringComparison.Ordinal);

        Assert.Equal($"ThalamusAddressBook: only the owner of {vault} on this chain may name it",
            Reason(rtc.Call(a, RtcPredeploys.AddressBook, Abi.Call("register(string,address)", AbiValue.String("vault"), vault), account: 1)));
        Assert.Equal("ThalamusAddressBook: a name uses a-z, 0-9, '-', '_' and '.'",
            Reason(rtc.Call(a, RtcPredeploys.AddressBook, Abi.Call("register(string,address)", AbiValue.String("Vault@901"), vault))));
        Assert.True(rtc.Send(a, 0, RtcPredeploys.AddressBook, Abi.Call("register(string,address)", AbiValue.String("vault"), vault)).Success);
        // Replicated to B: the name is taken there too, even for the owner of another contract.
        Assert.Equal("ThalamusAddressBook: the name 'vault' is taken",
            Reason(rtc.Call(b, RtcPredeploys.AddressBook, Abi.Call("register(string,address)", AbiValue.String("vault"), other))));
        Assert.Equal("ThalamusAddressBook: only the node replicates",
            Reason(rtc.Call(b, RtcPredeploys.AddressBook, Abi.Call("replicate(uint256,uint64,string,address,address)",
                901UL, 2UL, AbiValue.String("x"), other, RtcCluster.Accounts[1].Address), account: 1)));
    }

    [Fact]
    public async Task An_rtc_calls_a_contract_by_its_name_and_a_name_not_in_the_book_is_refused_with_the_reason()
    {
        await using var rtc = new RtcCluster(chains: 2);
        var (a, b) = (rtc[0], rtc[1]);
        var vault = rtc.Deploy(b, "RtcOwnedVault");
        Assert.True(rtc.Send(b, 0, RtcPredeploys.AddressBook, Abi.Call("register(string,address)", AbiValue.String("vault"), vault)).Success);

        // The call names no chain and no target: the name gives both (902, the vault).
        var byName = RtcCluster.CallObject(0, Address.Zero, Abi.Call("ping()"));
        var sent = rtc.Send(a, 1, RtcPredeploys.Gateway, Named(true, ["vault"], byName));
        Assert.True(sent.Success);
        var record = rtc.Module.GetRtc(RtcCluster.RtcIdOf(sent))!;
        Assert.Equal(RtcStatus.Ack, record.Status);
        Assert.Equal([902UL], record.ChainIds);
        Assert.Equal(RtcCluster.Accounts[1].Address, record.Sender); // the caller, not the gateway
        Assert.Equal(UInt256.One, new AbiReader(record.Results![0]).Word(0));
        Assert.Equal(UInt256.One, rtc.Word(b, vault, "pings()"));

        Assert.Equal("ThalamusAddressBook: no name 'ghost' in the book",
            Reason(rtc.Call(a, RtcPredeploys.Gateway, Named(true, ["ghost"], byName), account: 1)));
        Assert.Equal("Thalamus: one name per call ('' for none)",
            Reason(rtc.Call(a, RtcPredeploys.Gateway, Named(true, [], byName), account: 1)));
        Assert.Single(rtc.Module.GetRtcs(new RtcQuery()).Page);
    }

    /// <summary>sendRtcNamed(rtc, names, no preference).</summary>
    private static byte[] Named(bool atomic, string[] names, params AbiValue[] calls) =>
        Abi.Call(RtcCluster.SendRtc.Replace("sendRtc(", "sendRtcNamed(", StringComparison.Ordinal)[..^1] + ",string[],bytes32)",
            AbiValue.Tuple(AbiValue.Array(calls), AbiValue.Array(), atomic, 0UL),
            AbiValue.Array([.. names.Select(AbiValue.String)]), UInt256.Zero);

    private static string? Reason(CallResult result)
    {
        Assert.False(result.Success);
        return Abi.DecodeRevertReason(result.ReturnData);
    }
}
